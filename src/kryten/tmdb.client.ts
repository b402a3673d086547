import { UpstreamRejectedError, UpstreamUnavailableError } from './kryten.errors';
import { HttpTransport } from './kryten.http';
import { getWithBackoff, type SleepFn } from './metadata-http';

/** TMDb API v3 (api_key auth) for the metadata jobs: movie and TV search, details, episodes. */

export interface TmdbClientOptions {
  /** Config `tmdb_api_url`, e.g. `https://api.themoviedb.org/3`. */
  baseUrl: string;
  apiKey: string;
  sleep: SleepFn;
  timeoutMs?: number;
}

export interface TmdbMovieHit {
  id: number;
  title: string;
  release_date?: string;
  overview?: string;
  popularity?: number;
}

export interface TmdbMovieDetails {
  id: number;
  title: string;
  overview: string;
  tagline: string;
  runtime: number | null;
  release_date: string;
  genres: string[];
  imdb_id: string | null;
  certification: string | null;
  cast: string[];
  directors: string[];
  vote_average: number | null;
}

export interface TmdbShowHit {
  id: number;
  name: string;
  first_air_date?: string;
  overview?: string;
}

export interface TmdbShowDetails {
  id: number;
  name: string;
  overview: string;
  first_air_date: string;
  genres: string[];
  imdb_id: string | null;
}

export interface TmdbEpisode {
  name: string;
  overview: string;
  air_date: string;
  season_number: number;
  episode_number: number;
  guest_stars: string[];
  directors: string[];
  vote_average: number | null;
}

const SERVICE = 'tmdb';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function names(list: unknown, filter: (x: Record<string, unknown>) => boolean = () => true): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(
      (x): x is Record<string, unknown> =>
        !!x && typeof x === 'object' && filter(x as Record<string, unknown>),
    )
    .map((x) => str(x.name))
    .filter((n) => n !== '');
}

export class TmdbClient {
  private readonly http: HttpTransport;
  private readonly base: string;

  constructor(private readonly options: TmdbClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.http = new HttpTransport(SERVICE, options.timeoutMs ?? 15_000, 10_000);
  }

  async searchMovie(query: string, year: number | null): Promise<TmdbMovieHit[]> {
    const body = await this.get('/search/movie', { query, ...(year ? { year: String(year) } : {}) });
    return this.results(body) as unknown as TmdbMovieHit[];
  }

  async searchTv(query: string): Promise<TmdbShowHit[]> {
    return this.results(await this.get('/search/tv', { query })) as unknown as TmdbShowHit[];
  }

  async movie(id: number): Promise<TmdbMovieDetails | null> {
    const b = (await this.get(`/movie/${id}`, { append_to_response: 'credits,release_dates' })) as Record<
      string,
      unknown
    > | null;
    if (!b) return null;
    const credits = (b.credits ?? {}) as { cast?: unknown; crew?: unknown };
    const us = Array.isArray((b.release_dates as { results?: unknown })?.results)
      ? ((
          b.release_dates as {
            results: { iso_3166_1?: string; release_dates?: { certification?: string }[] }[];
          }
        ).results.find((r) => r.iso_3166_1 === 'US') ?? null)
      : null;
    const cert = us?.release_dates?.map((d) => d.certification ?? '').find((c) => c !== '') ?? null;
    return {
      id,
      title: str(b.title),
      overview: str(b.overview),
      tagline: str(b.tagline),
      runtime: typeof b.runtime === 'number' && b.runtime > 0 ? b.runtime : null,
      release_date: str(b.release_date),
      genres: names(b.genres),
      imdb_id: str(b.imdb_id) || null,
      certification: cert,
      cast: names(credits.cast).slice(0, 6),
      directors: names(credits.crew, (c) => c.job === 'Director'),
      vote_average: typeof b.vote_average === 'number' ? b.vote_average : null,
    };
  }

  async tv(id: number): Promise<TmdbShowDetails | null> {
    const b = (await this.get(`/tv/${id}`, { append_to_response: 'external_ids' })) as Record<
      string,
      unknown
    > | null;
    if (!b) return null;
    return {
      id,
      name: str(b.name),
      overview: str(b.overview),
      first_air_date: str(b.first_air_date),
      genres: names(b.genres),
      imdb_id: str((b.external_ids as { imdb_id?: unknown } | undefined)?.imdb_id) || null,
    };
  }

  async episode(showId: number, season: number, episode: number): Promise<TmdbEpisode | null> {
    const b = (await this.get(`/tv/${showId}/season/${season}/episode/${episode}`, {})) as Record<
      string,
      unknown
    > | null;
    if (!b) return null;
    return {
      name: str(b.name),
      overview: str(b.overview),
      air_date: str(b.air_date),
      season_number: season,
      episode_number: episode,
      guest_stars: names(b.guest_stars).slice(0, 6),
      directors: names(b.crew, (c) => c.job === 'Director'),
      vote_average: typeof b.vote_average === 'number' ? b.vote_average : null,
    };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private results(body: unknown): Record<string, unknown>[] {
    const list = (body as { results?: unknown } | null)?.results;
    return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
  }

  /** The parsed body; null for TMDb's 404 (status_code 34). */
  private async get(path: string, query: Record<string, string>): Promise<unknown> {
    const params = new URLSearchParams({ api_key: this.options.apiKey, ...query });
    const res = await getWithBackoff(
      this.http,
      SERVICE,
      `${this.base}${path}?${params.toString()}`,
      this.options.sleep,
    );
    if (res.status === 404) return null;
    if (res.status >= 500) throw new UpstreamUnavailableError(SERVICE, `HTTP ${res.status}`, res.status);
    if (res.status < 200 || res.status >= 300) {
      const msg = (res.body as { status_message?: unknown } | null)?.status_message;
      throw new UpstreamRejectedError(
        SERVICE,
        typeof msg === 'string' ? msg : `HTTP ${res.status}`,
        res.status,
      );
    }
    return res.body;
  }
}
