import { UpstreamRejectedError, UpstreamUnavailableError } from './kryten.errors';
import { HttpTransport } from './kryten.http';
import { getWithBackoff, type SleepFn } from './metadata-http';

/**
 * OMDb (apikey auth). "Not found" is HTTP 200 with `Response:"False"`; that becomes null.
 */

export interface OmdbClientOptions {
  /** Config `omdb_api_url`, e.g. `https://www.omdbapi.com`. */
  baseUrl: string;
  apiKey: string;
  sleep: SleepFn;
  timeoutMs?: number;
}

export interface OmdbTitle {
  title: string;
  year: number | null;
  rated: string | null;
  runtime: string | null;
  genres: string[];
  directors: string[];
  actors: string[];
  plot: string;
  ratings: { source: string; value: string }[];
  imdb_id: string | null;
  released: string | null;
}

const SERVICE = 'omdb';

function field(b: Record<string, unknown>, key: string): string | null {
  const v = b[key];
  return typeof v === 'string' && v !== '' && v !== 'N/A' ? v : null;
}

function list(b: Record<string, unknown>, key: string): string[] {
  return (field(b, key) ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

export class OmdbClient {
  private readonly http: HttpTransport;
  private readonly base: string;

  constructor(private readonly options: OmdbClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.http = new HttpTransport(SERVICE, options.timeoutMs ?? 15_000, 10_000);
  }

  byImdbId(id: string): Promise<OmdbTitle | null> {
    return this.get({ i: id, plot: 'full' });
  }

  byTitle(title: string, year: number | null): Promise<OmdbTitle | null> {
    return this.get({ t: title, plot: 'full', ...(year ? { y: String(year) } : {}) });
  }

  episode(show: string, season: number, episode: number): Promise<OmdbTitle | null> {
    return this.get({ t: show, Season: String(season), Episode: String(episode) });
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async get(query: Record<string, string>): Promise<OmdbTitle | null> {
    const params = new URLSearchParams({ apikey: this.options.apiKey, ...query });
    const res = await getWithBackoff(
      this.http,
      SERVICE,
      `${this.base}/?${params.toString()}`,
      this.options.sleep,
    );
    if (res.status >= 500) throw new UpstreamUnavailableError(SERVICE, `HTTP ${res.status}`, res.status);
    if (res.status < 200 || res.status >= 300) {
      throw new UpstreamRejectedError(SERVICE, `HTTP ${res.status}`, res.status);
    }
    const b = res.body as Record<string, unknown> | null;
    if (!b || b.Response !== 'True') return null;
    const year = /\d{4}/.exec(field(b, 'Year') ?? '');
    return {
      title: field(b, 'Title') ?? '',
      year: year ? Number(year[0]) : null,
      rated: field(b, 'Rated'),
      runtime: field(b, 'Runtime'),
      genres: list(b, 'Genre'),
      directors: list(b, 'Director'),
      actors: list(b, 'Actors'),
      plot: field(b, 'Plot') ?? '',
      ratings: Array.isArray(b.Ratings)
        ? (b.Ratings as { Source?: unknown; Value?: unknown }[])
            .filter((r) => typeof r.Source === 'string' && typeof r.Value === 'string')
            .map((r) => ({ source: r.Source as string, value: r.Value as string }))
        : [],
      imdb_id: field(b, 'imdbID'),
      released: field(b, 'Released'),
    };
  }
}
