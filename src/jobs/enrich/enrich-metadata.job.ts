import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { Sleeper } from '../../common/sleeper';
import { AppConfig } from '../../config/app-config';
import { type MediaCmsListItem, MediaCmsClient } from '../../kryten/mediacms.client';
import { OmdbClient, type OmdbTitle } from '../../kryten/omdb.client';
import { TmdbClient, type TmdbShowDetails } from '../../kryten/tmdb.client';
import { JobError } from '../jobs.exception';
import { type JobContext } from '../jobs.types';
import { type FailureLine, MAX_LISTED, scanLibrary, writeMedia } from './media-library';
import {
  canonicalEpisodeTitle,
  canonicalMovieTitle,
  episodeDescription,
  type EpisodeMetadata,
  isTubiDescription,
  isTvTitle,
  movieDescription,
  type MovieMetadata,
  movieScore,
  parseEpisodeTitle,
  parseMovieTitle,
  pickHit,
  similarTitles,
  tvScore,
  yearOf,
} from './metadata.rules';
import { addedSince } from './title-cleaner.rules';

/** Pause between library pages in the metadata jobs. */
const PAGE_PACING_MS = 250;

export interface MetadataChange {
  friendly_token: string;
  title: string;
  new_title: string;
  score_before: number;
  score_after: number;
  source: string;
}

export interface EnrichMetadataResult {
  scanned: number;
  matched: number;
  committed: number;
  would_enrich: number;
  skipped: number;
  not_found: number;
  not_better: number;
  failed: number;
  dry_run: boolean;
  changes: MetadataChange[];
  failures: FailureLine[];
}

interface Found {
  description: string;
  title: string;
  source: string;
}

type Kind = 'enrichmeta' | 'enrichtv';

/**
 * `enrichmeta` (movies) and `enrichtv` (episodes): find the title on TMDb and OMDb, write a
 * sectioned description (keeping the Original URL / Original Description blocks) and the
 * canonical title, but only when the new description scores higher than the old one.
 */
@Injectable()
export class EnrichMetadataJob {
  constructor(
    private readonly mediacms: MediaCmsClient,
    private readonly config: AppConfig,
    private readonly sleeper: Sleeper,
    private readonly clock: Clock,
  ) {}

  async run(kind: Kind, ctx: JobContext): Promise<EnrichMetadataResult> {
    if (!this.config.tmdb_api_key && !this.config.omdb_api_key) {
      throw new JobError(
        `${kind} needs a TMDb or OMDb key: tmdb_api_key and omdb_api_key are not configured`,
      );
    }
    const sleep = (ms: number): Promise<void> => this.sleeper.sleep(ms);
    const tmdb = this.config.tmdb_api_key
      ? new TmdbClient({ baseUrl: this.config.tmdb_api_url, apiKey: this.config.tmdb_api_key, sleep })
      : null;
    const omdb = this.config.omdb_api_key
      ? new OmdbClient({ baseUrl: this.config.omdb_api_url, apiKey: this.config.omdb_api_key, sleep })
      : null;
    try {
      return await this.enrich(kind, ctx, tmdb, omdb);
    } finally {
      await Promise.all([tmdb?.close(), omdb?.close()]);
    }
  }

  private async enrich(
    kind: Kind,
    ctx: JobContext,
    tmdb: TmdbClient | null,
    omdb: OmdbClient | null,
  ): Promise<EnrichMetadataResult> {
    const p = ctx.params;
    const dryRun = p.dry_run === true;
    const limit = typeof p.limit === 'number' && p.limit > 0 ? p.limit : Infinity;
    const minScore = typeof p.min_score === 'number' ? p.min_score : 50;
    const delayMs = Math.max(0, (typeof p.delay === 'number' ? p.delay : 0.25) * 1000);
    const since = addedSince(this.clock.nowMs(), typeof p.days === 'number' ? p.days : null);
    const { items } = await scanLibrary(this.mediacms, ctx, this.sleeper, PAGE_PACING_MS, since);

    const scoreOf = kind === 'enrichmeta' ? movieScore : tvScore;
    const minDuration =
      typeof p.min_duration === 'number' ? p.min_duration : kind === 'enrichmeta' ? 3600 : 600;
    const maxDuration = kind === 'enrichtv' && typeof p.max_duration === 'number' ? p.max_duration : Infinity;
    const candidates = items
      .filter((i) => {
        const d = i.duration ?? 0;
        if (d < minDuration || d > maxDuration) return false;
        const low = scoreOf(i.description ?? '') < minScore;
        if (kind === 'enrichtv') return isTvTitle(i.title) && low;
        return (
          !isTvTitle(i.title) && (low || (p.tubi_upgrade === true && isTubiDescription(i.description ?? '')))
        );
      })
      .sort((a, b) => scoreOf(a.description ?? '') - scoreOf(b.description ?? ''))
      .slice(0, limit);
    await ctx.progress({ phase: 'scanned', scanned: items.length, matched: candidates.length });

    const result: EnrichMetadataResult = {
      scanned: items.length,
      matched: candidates.length,
      committed: 0,
      would_enrich: 0,
      skipped: 0,
      not_found: 0,
      not_better: 0,
      failed: 0,
      dry_run: dryRun,
      changes: [],
      failures: [],
    };
    const shows = new Map<string, Promise<ShowInfo | null>>();
    for (const [i, item] of candidates.entries()) {
      ctx.signal.throwIfAborted();
      if (i > 0) await this.sleeper.sleep(delayMs);
      let found: Found | null;
      try {
        found =
          kind === 'enrichmeta'
            ? await this.lookupMovie(item, tmdb, omdb)
            : await this.lookupEpisode(item, tmdb, omdb, shows);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        result.failed++;
        this.fail(result, item, `lookup failed: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      void ctx.progress({
        phase: 'enriching',
        done: i + 1,
        total: candidates.length,
        committed: result.committed,
        failed: result.failed,
      });
      if (!found) {
        result.skipped++;
        result.not_found++;
        continue;
      }
      const before = scoreOf(item.description ?? '');
      const after = scoreOf(found.description);
      if (after <= before) {
        result.skipped++;
        result.not_better++;
        continue;
      }
      const change: MetadataChange = {
        friendly_token: item.friendly_token,
        title: item.title,
        new_title: found.title,
        score_before: before,
        score_after: after,
        source: found.source,
      };
      if (dryRun) {
        result.would_enrich++;
        if (result.changes.length < MAX_LISTED) result.changes.push(change);
        continue;
      }
      const outcome = await writeMedia(this.mediacms, item, {
        description: found.description,
        ...(found.title !== item.title ? { title: found.title } : {}),
      });
      if (outcome.ok) {
        result.committed++;
        if (result.changes.length < MAX_LISTED) result.changes.push(change);
      } else {
        result.failed++;
        this.fail(result, item, outcome.error);
      }
    }
    return result;
  }

  private fail(result: EnrichMetadataResult, item: MediaCmsListItem, error: string): void {
    if (result.failures.length < MAX_LISTED) {
      result.failures.push({ friendly_token: item.friendly_token, title: item.title, error });
    }
  }

  private async lookupMovie(
    item: MediaCmsListItem,
    tmdb: TmdbClient | null,
    omdb: OmdbClient | null,
  ): Promise<Found | null> {
    const parsed = parseMovieTitle(item.title);
    if (parsed.title === '') return null;
    const meta: MovieMetadata = {
      title: parsed.title,
      year: parsed.year,
      synopsis: '',
      tagline: '',
      rating: null,
      runtimeMinutes: null,
      genres: [...parsed.genres],
      ratings: [],
      directors: [],
      cast: [],
    };
    const sources: string[] = [];
    let imdbId: string | null = null;
    if (tmdb) {
      let hits = parsed.year !== null ? await tmdb.searchMovie(parsed.title, parsed.year) : [];
      if (hits.length === 0) hits = await tmdb.searchMovie(parsed.title, null);
      const hit = pickHit(
        hits.map((h) => ({ ...h, year: yearOf(h.release_date) })),
        parsed.title,
        parsed.year,
      );
      const details = hit ? await tmdb.movie(hit.id) : null;
      if (details) {
        sources.push('tmdb');
        imdbId = details.imdb_id;
        meta.title = details.title || meta.title;
        meta.year = yearOf(details.release_date) ?? meta.year;
        meta.synopsis = details.overview;
        meta.tagline = details.tagline;
        meta.rating = details.certification;
        meta.runtimeMinutes = details.runtime;
        meta.genres = details.genres.length > 0 ? details.genres : meta.genres;
        meta.directors = details.directors;
        meta.cast = details.cast;
        if (details.vote_average !== null) {
          meta.ratings.push({ source: 'TMDb', value: `${details.vote_average}/10` });
        }
      }
    }
    if (omdb) {
      let o: OmdbTitle | null = imdbId
        ? await omdb.byImdbId(imdbId)
        : await omdb.byTitle(meta.title, meta.year);
      if (o && !imdbId && !similarTitles(o.title, meta.title)) o = null;
      if (o) {
        sources.push('omdb');
        if (o.plot.length > meta.synopsis.length) meta.synopsis = o.plot;
        meta.rating = o.rated ?? meta.rating;
        meta.ratings.push(...o.ratings);
        if (meta.year === null) meta.year = o.year;
        if (meta.genres.length === 0) meta.genres = o.genres;
        if (meta.directors.length === 0) meta.directors = o.directors;
        if (meta.cast.length === 0) meta.cast = o.actors;
        if (meta.runtimeMinutes === null && o.runtime) {
          meta.runtimeMinutes = Number.parseInt(o.runtime, 10) || null;
        }
        if (sources.length === 1) meta.title = o.title || meta.title;
      }
    }
    if (sources.length === 0) return null;
    return {
      description: movieDescription(meta, parsed, item.description ?? ''),
      title: canonicalMovieTitle(meta, parsed, item.title),
      source: sources.join('+'),
    };
  }

  private async lookupEpisode(
    item: MediaCmsListItem,
    tmdb: TmdbClient | null,
    omdb: OmdbClient | null,
    shows: Map<string, Promise<ShowInfo | null>>,
  ): Promise<Found | null> {
    const parsed = parseEpisodeTitle(item.title);
    if (!parsed) return null;
    const key = parsed.show.toLowerCase();
    let showLookup = shows.get(key);
    if (!showLookup) {
      showLookup = this.lookupShow(parsed.show, tmdb);
      shows.set(key, showLookup);
    }
    const show = await showLookup;
    const meta: EpisodeMetadata = {
      show: show?.details?.name || parsed.show,
      season: parsed.season,
      episode: parsed.episode,
      name: parsed.name,
      airDate: null,
      synopsis: '',
      guestStars: [],
      directors: [],
      ratings: [],
      showOverview: show?.details?.overview ?? '',
    };
    const sources: string[] = [];
    if (tmdb && show?.details) {
      const e = await tmdb.episode(show.details.id, parsed.season, parsed.episode);
      if (e) {
        sources.push('tmdb');
        meta.name = e.name || meta.name;
        meta.airDate = e.air_date || null;
        meta.synopsis = e.overview;
        meta.guestStars = e.guest_stars;
        meta.directors = e.directors;
        if (e.vote_average !== null) meta.ratings.push({ source: 'TMDb', value: `${e.vote_average}/10` });
      }
    }
    if (omdb) {
      const o = await omdb.episode(meta.show, parsed.season, parsed.episode);
      if (o) {
        sources.push('omdb');
        if (o.plot.length > meta.synopsis.length) meta.synopsis = o.plot;
        meta.name = meta.name ?? (o.title || null);
        meta.airDate = meta.airDate ?? o.released;
        meta.ratings.push(...o.ratings);
      }
    }
    if (sources.length === 0) return null;
    return {
      description: episodeDescription(meta, item.description ?? ''),
      title: canonicalEpisodeTitle(meta.show, meta.season, meta.episode, meta.name),
      source: sources.join('+'),
    };
  }

  private async lookupShow(name: string, tmdb: TmdbClient | null): Promise<ShowInfo | null> {
    if (!tmdb) return { details: null };
    const hits = await tmdb.searchTv(name);
    const hit = pickHit(
      hits.map((h) => ({ ...h, title: h.name, year: yearOf(h.first_air_date) })),
      name,
      null,
    );
    return { details: hit ? await tmdb.tv(hit.id) : null };
  }
}

interface ShowInfo {
  details: TmdbShowDetails | null;
}
