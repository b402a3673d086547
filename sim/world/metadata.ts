import { type CatalogItem } from './catalog-generator';
import { hashString, Rng } from './rng';

/**
 * A TMDb v3 + OMDb stand-in database, generated from the catalog so that part of it matches:
 * about two thirds of the movie-length titles that carry a year, and the shows behind
 * "Show S01E02" titles (every episode of a known show exists). Unknown titles are simply not
 * found, as for a real obscure upload.
 */

export interface SimMovie {
  id: number;
  title: string;
  year: number;
  overview: string;
  tagline: string;
  runtime: number;
  genres: { id: number; name: string }[];
  imdb_id: string;
  certification: string;
  popularity: number;
  vote_average: number;
  cast: { name: string; character: string; order: number }[];
  directors: string[];
  imdb_rating: string;
  rt_rating: string;
}

export interface SimShow {
  id: number;
  name: string;
  first_air_year: number;
  overview: string;
  genres: { id: number; name: string }[];
  imdb_id: string;
}

const GENRES = [
  { id: 27, name: 'Horror' },
  { id: 878, name: 'Science Fiction' },
  { id: 35, name: 'Comedy' },
  { id: 18, name: 'Drama' },
  { id: 53, name: 'Thriller' },
  { id: 28, name: 'Action' },
  { id: 37, name: 'Western' },
  { id: 9648, name: 'Mystery' },
];
const FIRST = ['Vera', 'Bela', 'Lon', 'Ida', 'Vincent', 'Barbara', 'Boris', 'Gloria', 'Peter', 'Mae'];
const LAST = ['Hale', 'Lugosi', 'Chaney', 'Lupino', 'Price', 'Steele', 'Karloff', 'Stuart', 'Lorre', 'West'];
const CERTS = ['G', 'PG', 'PG-13', 'R', 'NR', 'Approved'];
const PLOTS = [
  'A small town wakes to find its harbor frozen solid in July, and something moving under the ice.',
  'A retired detective takes one last case that leads him to a castle nobody admits exists.',
  'Two rangers cross the desert with a stranger who claims to know where the empire buried its gold.',
  'When a saucer lands in the swamp, the only witness is a circus strongman nobody believes.',
  'An island of invaders, a lonely robot and a samurai with nothing left to lose.',
];

function person(rng: Rng): string {
  return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
}

/** "Title (1999)" or a release name → [title, year]; null without a year. */
function titleAndYear(raw: string): [string, number] | null {
  const t = raw.replace(/\.(mp4|mkv|avi)$/i, '').replace(/[._]/g, ' ');
  const m = /^(?:\((\d{4})\)\s*)?(.+?)\s*(?:\(?((?:19|20)\d{2})\)?)?(?:\s+\d{3,4}p)?\s*$/.exec(t);
  if (!m) return null;
  const year = Number(m[1] ?? m[3]);
  return year ? [m[2].trim(), year] : null;
}

export class MetadataDb {
  readonly movies: SimMovie[] = [];
  readonly shows: SimShow[] = [];
  /** Rejected keys answer 401 like the real services. */
  readonly tmdbKey = 'sim-tmdb-key';
  readonly omdbKey = 'sim-omdb-key';
  /** Every request path the stand-in answered (for tests of caching and back-off). */
  readonly requests: string[] = [];

  constructor(seed: number, catalog: readonly CatalogItem[]) {
    const seenShows = new Map<string, SimShow>();
    for (const item of catalog) {
      const rng = new Rng(hashString(item.friendly_token) ^ seed);
      const tv = /^(.+?)\s+S(\d{1,2})E(\d{1,3})$/.exec(item.title);
      if (tv) {
        const name = tv[1];
        if (!seenShows.has(name) && rng.chance(0.8)) {
          const show: SimShow = {
            id: 5000 + seenShows.size,
            name,
            first_air_year: rng.range(1950, 1990),
            overview: `${name} ran for years on network television. ${rng.pick(PLOTS)}`,
            genres: [rng.pick(GENRES)],
            imdb_id: `tt${String(900000 + seenShows.size).padStart(7, '0')}`,
          };
          seenShows.set(name, show);
          this.shows.push(show);
        }
        continue;
      }
      if (item.duration < 3600) continue;
      const ty = titleAndYear(item.title);
      if (!ty || !rng.chance(0.67)) continue;
      const [title, year] = ty;
      const id = 100 + this.movies.length;
      this.movies.push({
        id,
        title,
        year,
        overview: `${rng.pick(PLOTS)} ${rng.pick(PLOTS)}`,
        tagline: rng.chance(0.6) ? `${title}: nothing will ever be the same.` : '',
        runtime: Math.round(item.duration / 60),
        genres: [rng.pick(GENRES), rng.pick(GENRES)].filter((g, i, a) => a.indexOf(g) === i),
        imdb_id: `tt${String(100000 + id).padStart(7, '0')}`,
        certification: rng.pick(CERTS),
        popularity: Math.round(rng.next() * 500) / 10,
        vote_average: Math.round((4 + rng.next() * 5) * 10) / 10,
        cast: Array.from({ length: 4 }, (_, order) => ({
          name: person(rng),
          character: `Role ${order + 1}`,
          order,
        })),
        directors: [person(rng)],
        imdb_rating: `${(4 + rng.next() * 5).toFixed(1)}/10`,
        rt_rating: `${rng.range(20, 100)}%`,
      });
    }
  }

  /** TMDb's search is forgiving about case and punctuation; so is this one. */
  searchMovies(query: string, year: number | null): SimMovie[] {
    const q = norm(query);
    if (q === '') return [];
    return this.movies.filter((m) => norm(m.title).includes(q) && (year === null || m.year === year));
  }

  searchShows(query: string): SimShow[] {
    const q = norm(query);
    return q === '' ? [] : this.shows.filter((s) => norm(s.name).includes(q));
  }

  movie(id: number): SimMovie | undefined {
    return this.movies.find((m) => m.id === id);
  }

  show(id: number): SimShow | undefined {
    return this.shows.find((s) => s.id === id);
  }

  /** Every episode of a known show exists, named and described from a seed. */
  episode(show: SimShow, season: number, episode: number): Record<string, unknown> | null {
    if (season < 1 || season > 20 || episode < 1 || episode > 40) return null;
    const rng = new Rng(show.id * 1000 + season * 50 + episode);
    return {
      id: show.id * 10_000 + season * 100 + episode,
      name: `The ${rng.pick(['Long', 'Last', 'Strange', 'Quiet', 'Big'])} ${rng.pick(['Night', 'Case', 'Ride', 'Goodbye', 'Job'])}`,
      overview: rng.pick(PLOTS),
      air_date: `${show.first_air_year + season - 1}-${String(rng.range(1, 12)).padStart(2, '0')}-${String(rng.range(1, 28)).padStart(2, '0')}`,
      season_number: season,
      episode_number: episode,
      vote_average: Math.round((5 + rng.next() * 4) * 10) / 10,
      guest_stars: [{ name: person(rng), character: 'Guest', order: 0 }],
      crew: [{ job: 'Director', name: person(rng) }],
    };
  }

  findByImdb(id: string): SimMovie | undefined {
    return this.movies.find((m) => m.imdb_id === id);
  }
}

function norm(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
