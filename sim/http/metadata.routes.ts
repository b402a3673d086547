import { Router, type Request, type Response } from 'express';
import { artFor } from '../world/png';
import { type MetadataDb, type SimMovie, type SimShow } from '../world/metadata';
import { type World } from '../world/world';

/**
 * TMDb v3 under `/tmdb/3/...` (api_key query auth, 401 status_code 7, 404 status_code 34,
 * poster images under `/tmdb/t/p/<size>/...`) and OMDb under `/omdb/` (apikey, `Response:"False"`
 * answers with HTTP 200 for "not found", 401 for a bad key). Rate limits come from fault rules
 * (`status: 429` with a `Retry-After` header), like the real services' 429s.
 */

export function metadataRouter(world: () => World): Router {
  const r = Router();
  const db = (): MetadataDb => world().metadata;
  r.use(['/tmdb/3', '/omdb'], (req, _res, next) => {
    db().requests.push(req.baseUrl + req.path);
    next();
  });

  const tmdbAuth = (req: Request, res: Response): boolean => {
    if (req.query.api_key !== db().tmdbKey) {
      res.status(401).json({
        success: false,
        status_code: 7,
        status_message: 'Invalid API key: You must be granted a valid key.',
      });
      return false;
    }
    return true;
  };
  const notFound = (res: Response): void => {
    res.status(404).json({
      success: false,
      status_code: 34,
      status_message: 'The resource you requested could not be found.',
    });
  };
  const page = (results: unknown[]): Record<string, unknown> => ({
    page: 1,
    results: results.slice(0, 20),
    total_pages: results.length > 0 ? 1 : 0,
    total_results: results.length,
  });
  const yearOf = (v: unknown): number | null =>
    typeof v === 'string' && /^\d{4}$/.test(v) ? Number(v) : null;

  r.get('/tmdb/3/search/movie', (req, res) => {
    if (!tmdbAuth(req, res)) return;
    const hits = db().searchMovies(
      typeof req.query.query === 'string' ? req.query.query : '',
      yearOf(req.query.year ?? req.query.primary_release_year),
    );
    res.json(page(hits.sort((a, b) => b.popularity - a.popularity).map(movieResult)));
  });

  r.get('/tmdb/3/search/tv', (req, res) => {
    if (!tmdbAuth(req, res)) return;
    res.json(
      page(
        db()
          .searchShows(typeof req.query.query === 'string' ? req.query.query : '')
          .map(showResult),
      ),
    );
  });

  r.get('/tmdb/3/movie/:id', (req, res) => {
    if (!tmdbAuth(req, res)) return;
    const m = db().movie(Number(req.params.id));
    if (!m) return notFound(res);
    const append = (
      typeof req.query.append_to_response === 'string' ? req.query.append_to_response : ''
    ).split(',');
    res.json({
      ...movieResult(m),
      genres: m.genres,
      runtime: m.runtime,
      tagline: m.tagline,
      imdb_id: m.imdb_id,
      status: 'Released',
      ...(append.includes('credits') ? { credits: credits(m) } : {}),
      ...(append.includes('release_dates') ? { release_dates: releaseDates(m) } : {}),
    });
  });

  r.get('/tmdb/3/movie/:id/credits', (req, res) => {
    if (!tmdbAuth(req, res)) return;
    const m = db().movie(Number(req.params.id));
    if (!m) return notFound(res);
    res.json({ id: m.id, ...credits(m) });
  });

  r.get('/tmdb/3/tv/:id', (req, res) => {
    if (!tmdbAuth(req, res)) return;
    const s = db().show(Number(req.params.id));
    if (!s) return notFound(res);
    res.json({ ...showResult(s), genres: s.genres, external_ids: { imdb_id: s.imdb_id } });
  });

  r.get('/tmdb/3/tv/:id/season/:season/episode/:episode', (req, res) => {
    if (!tmdbAuth(req, res)) return;
    const s = db().show(Number(req.params.id));
    const e = s ? db().episode(s, Number(req.params.season), Number(req.params.episode)) : null;
    if (!e) return notFound(res);
    res.json(e);
  });

  r.get('/tmdb/t/p/:size/:file', (req, res) => {
    const seed = Number(/\d+/.exec(String(req.params.file))?.[0] ?? 0);
    res
      .status(200)
      .type('image/png')
      .set('Cache-Control', 'public, max-age=86400')
      .send(artFor(seed * 7919, 300, 450));
  });

  r.get('/omdb/', (req, res) => {
    if (req.query.apikey !== db().omdbKey) {
      res.status(401).json({ Response: 'False', Error: 'Invalid API key!' });
      return;
    }
    const miss = { Response: 'False', Error: 'Movie not found!' };
    const { i, t, y, Season, Episode } = req.query as Record<string, string | undefined>;
    if (t && Season && Episode) {
      const show = db().searchShows(t)[0];
      const e = show ? db().episode(show, Number(Season), Number(Episode)) : null;
      if (!show || !e) return void res.json({ Response: 'False', Error: 'Series or episode not found!' });
      return void res.json({
        Title: e.name,
        Released: e.air_date,
        Season,
        Episode,
        Plot: e.overview,
        imdbRating: String(e.vote_average),
        Type: 'episode',
        Response: 'True',
      });
    }
    const m = i ? db().findByImdb(i) : t ? db().searchMovies(t, y ? Number(y) : null)[0] : undefined;
    if (!m) return void res.json(miss);
    res.json(omdbMovie(m, req));
  });

  return r;
}

function movieResult(m: SimMovie): Record<string, unknown> {
  return {
    id: m.id,
    title: m.title,
    original_title: m.title,
    release_date: `${m.year}-06-01`,
    overview: m.overview,
    poster_path: `/poster${m.id}.png`,
    popularity: m.popularity,
    vote_average: m.vote_average,
    genre_ids: m.genres.map((g) => g.id),
  };
}

function showResult(s: SimShow): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    original_name: s.name,
    first_air_date: `${s.first_air_year}-09-15`,
    overview: s.overview,
    poster_path: `/poster${s.id}.png`,
    popularity: 10,
  };
}

function credits(m: SimMovie): Record<string, unknown> {
  return {
    cast: m.cast.map((c, i) => ({ id: m.id * 10 + i, ...c })),
    crew: m.directors.map((name, i) => ({
      id: m.id * 10 + 9 - i,
      name,
      job: 'Director',
      department: 'Directing',
    })),
  };
}

function releaseDates(m: SimMovie): Record<string, unknown> {
  return { results: [{ iso_3166_1: 'US', release_dates: [{ certification: m.certification, type: 3 }] }] };
}

function omdbMovie(m: SimMovie, req: Request): Record<string, unknown> {
  return {
    Title: m.title,
    Year: String(m.year),
    Rated: m.certification,
    Runtime: `${m.runtime} min`,
    Genre: m.genres.map((g) => g.name).join(', '),
    Director: m.directors.join(', '),
    Actors: m.cast.map((c) => c.name).join(', '),
    Plot: m.overview,
    Poster: `${req.protocol}://${req.get('host') ?? 'localhost'}/tmdb/t/p/w780/poster${m.id}.png`,
    Ratings: [
      { Source: 'Internet Movie Database', Value: m.imdb_rating },
      { Source: 'Rotten Tomatoes', Value: m.rt_rating },
    ],
    imdbRating: m.imdb_rating.split('/')[0],
    imdbID: m.imdb_id,
    Type: 'movie',
    Response: 'True',
  };
}
