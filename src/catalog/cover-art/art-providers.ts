import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { cleanTitle, needsRetry, omdbPoster, pickTmdbPoster, type TmdbResult } from './cover-art.rules';

export type ArtSource = 'tmdb' | 'omdb';

export interface PosterHit {
  url: string;
  source: ArtSource;
}

/** Per-request timeout for provider lookups. */
const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * TMDB and OMDB poster lookups. TMDB first (movie and tv searched together,
 * the more popular poster wins, size w780), then OMDB; each tried with the raw title, then the
 * cleaned title and its year. Base URLs come from config so tests use a local fake. Network
 * errors and timeouts count as "not found".
 */
@Injectable()
export class ArtProviders {
  private readonly logger = new Logger('CoverArt');

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.tmdb_api_key !== '' || this.config.omdb_api_key !== '';
  }

  async findPoster(
    title: string,
    beforeCall: () => Promise<void> = () => Promise.resolve(),
  ): Promise<PosterHit | null> {
    const cleaned = cleanTitle(title);
    const attempts: { title: string; year: number | null }[] = [{ title, year: null }];
    if (needsRetry(title, cleaned)) attempts.push(cleaned);
    if (this.config.tmdb_api_key) {
      for (const a of attempts) {
        await beforeCall();
        const path = await this.tmdb(a.title, a.year);
        if (path) return { url: `${trimSlash(this.config.tmdb_image_url)}/w780${path}`, source: 'tmdb' };
      }
    }
    if (this.config.omdb_api_key) {
      for (const a of attempts) {
        await beforeCall();
        const url = await this.omdb(a.title, a.year);
        if (url) return { url, source: 'omdb' };
      }
    }
    return null;
  }

  private async tmdb(title: string, year: number | null): Promise<string | null> {
    const base = trimSlash(this.config.tmdb_api_url);
    const q = (kind: 'movie' | 'tv', yearKey: string): string => {
      const params = new URLSearchParams({ api_key: this.config.tmdb_api_key, query: title });
      if (year) params.set(yearKey, String(year));
      return `${base}/search/${kind}?${params.toString()}`;
    };
    const [movies, shows] = await Promise.all([
      this.json(q('movie', 'year')),
      this.json(q('tv', 'first_air_date_year')),
    ]);
    return pickTmdbPoster(results(movies), results(shows));
  }

  private async omdb(title: string, year: number | null): Promise<string | null> {
    const params = new URLSearchParams({ apikey: this.config.omdb_api_key, t: title });
    if (year) params.set('y', String(year));
    return omdbPoster(await this.json(`${trimSlash(this.config.omdb_api_url)}/?${params.toString()}`));
  }

  private async json(url: string): Promise<unknown> {
    try {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
        headers: { accept: 'application/json' },
      });
      if (!res.ok) {
        await res.body?.cancel();
        return null;
      }
      return (await res.json()) as unknown;
    } catch (err) {
      this.logger.debug(`lookup failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }
}

function results(body: unknown): TmdbResult[] {
  const list = body && typeof body === 'object' ? (body as { results?: unknown }).results : undefined;
  return Array.isArray(list) ? (list as TmdbResult[]) : [];
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
