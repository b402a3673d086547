import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { UpstreamNotFoundError } from '../kryten/kryten.errors';
import { type MediaCmsListItem, MediaCmsClient } from '../kryten/mediacms.client';
import { Leadership } from '../cluster/leadership';
import { ConfigInterval } from '../scheduling/config-interval';
import { type CatalogRowInput, rowFromMedia } from './catalog.rules';
import { CatalogSyncRepository, type Memberships } from './catalog-sync.repository';
import { CoverArtService } from './cover-art/cover-art.service';
import { MediaFacetsReader } from './media-facets.reader';

export type SyncOutcome = 'completed' | 'error' | 'already_running';

export interface SyncSummary {
  status: SyncOutcome;
  sync_log_id: number | null;
  triggered_by: string;
  seen: number;
  new: number;
  updated: number;
  gone: number;
  errors: number;
  message: string | null;
  /** Pages of the deployment-only bulk `media_facets` list read for categories and tags. */
  facets_pages: number;
  /** How many categories/tags lookups went to the per-item detail endpoint. */
  detail_calls: number;
  duration_ms: number;
}

/** Detail GETs in flight at once per page (categories/tags), when the list lacks them. */
export const DETAIL_CONCURRENCY = 8;
/** Write progress to the log and the sync_log row every this many pages. */
const PROGRESS_EVERY_PAGES = 20;

/**
 * MediaCMS → catalog sync: follows `next`, writes each page
 * in one transaction (rows, FTS, memberships), yields to the event loop between pages, marks
 * vanished items gone after a complete pass, and hands items without art to the cover-art
 * queue. Categories and tags come from the list when it has them, else from the bulk
 * `media_facets` list where the deployment offers it, else from one detail call per item.
 * Single-flight: a second start while one runs answers `already_running`.
 */
@Injectable()
export class CatalogSyncService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CatalogSync');
  private current: Promise<SyncSummary> | null = null;
  private stopping = false;
  /** The running sync's bulk facets, told about our own writes to MediaCMS while it runs. */
  private facetsReader: MediaFacetsReader | null = null;
  private readonly stopListening: () => void;

  constructor(
    private readonly mediacms: MediaCmsClient,
    private readonly repo: CatalogSyncRepository,
    private readonly art: CoverArtService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly leadership: Leadership,
    /** Present only when the app runs its timers: the start-up sync follows the same switch. */
    @Optional() private readonly scheduler?: SchedulerRegistry,
  ) {
    // An admin's hide (or a job's retitle) during a run makes what the reader holds of it stale.
    this.stopListening = mediacms.onMediaWritten((token) => this.facetsReader?.forget(token));
  }

  @ConfigInterval('catalog-sync', (config) => config.catalog_sync_interval_hours * 3_600_000)
  interval(): void {
    this.onInterval();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.leadership.whenLeader('close stale sync logs', () => this.takeOver());
  }

  /** A sync log left "running" by a dead leader is closed; derived columns follow this build. */
  private async takeOver(): Promise<void> {
    const closed = await this.repo.closeStaleLogs(this.clock.now());
    if (closed > 0) this.logger.warn(`closed ${closed} sync log(s) left running by a previous process`);
    // Derived columns follow the rules of this build (HIDDEN_* lists, sort keys).
    const fixed = await this.repo.repairDerived();
    if (fixed > 0) this.logger.log(`recomputed derived browse columns of ${fixed} catalog item(s)`);
    if (this.scheduler && this.config.catalog_sync_on_start) this.startSync('startup');
  }

  async onModuleDestroy(): Promise<void> {
    this.stopListening();
    this.stopping = true;
    await this.waitForIdle();
  }

  /** The periodic trigger (every `catalog_sync_interval_hours`). */
  onInterval(): void {
    void this.tick();
  }

  /** One scheduled round: a sync, unless one is already running. */
  tick(): Promise<SyncSummary> {
    return this.runSync('interval');
  }

  isSyncRunning(): boolean {
    return this.current !== null;
  }

  /** Resolves when no sync is running (tests, shutdown). */
  async waitForIdle(): Promise<void> {
    while (this.current) await this.current.catch(() => undefined);
  }

  /** Fire-and-forget start (admin "Sync now"); false when one is already running. */
  startSync(triggeredBy: string): boolean {
    if (this.current) return false;
    this.runSync(triggeredBy).catch((err: unknown) => this.logger.error(`sync failed: ${String(err)}`));
    return true;
  }

  /**
   * Runs one sync, or answers `already_running` at once if one is in flight. An aborted `signal`
   * stops it between pages; a stopped sync is incomplete, so it marks nothing gone.
   */
  runSync(triggeredBy: string, signal?: AbortSignal): Promise<SyncSummary> {
    if (this.current) {
      return Promise.resolve({
        ...emptySummary(triggeredBy),
        status: 'already_running',
        message: 'Sync already running',
      });
    }
    const run = this.sync(triggeredBy, signal).finally(() => {
      this.current = null;
    });
    this.current = run;
    return run;
  }

  private async sync(triggeredBy: string, signal?: AbortSignal): Promise<SyncSummary> {
    const startedMs = this.clock.nowMs();
    const log = await this.repo.startLog(this.clock.now());
    const summary: SyncSummary = { ...emptySummary(triggeredBy), status: 'error', sync_log_id: log.id };
    this.logger.log(`sync #${log.id} started (${triggeredBy})`);
    const seen = new Set<string>();
    let complete = false;
    let fatal: string | null = null;
    let detailErrors = 0;
    let note: string | null = null;
    const reader = new MediaFacetsReader((page, size) => this.mediacms.listMediaFacets(page, size));
    this.facetsReader = reader;
    let facetsFailureLogged = false;
    try {
      await this.repo.loadNameMaps();
      let url: string | undefined;
      for (let pageNo = 1; ; pageNo++) {
        if (this.stopping) {
          fatal = 'cancelled: the app is shutting down';
          break;
        }
        if (signal?.aborted) {
          fatal = 'cancelled by an admin';
          break;
        }
        let page;
        try {
          page = await this.mediacms.listManageMedia(url);
        } catch (err) {
          fatal = `listing page ${pageNo} failed: ${errorText(err)}`;
          break;
        }
        const now = this.clock.now();
        const rows: CatalogRowInput[] = [];
        const raw = new Map<string, MediaCmsListItem>();
        for (const media of page.results) {
          const row = rowFromMedia(media, (t) => this.mediacms.manifestUrl(t), now);
          if (!row || seen.has(row.friendly_token)) continue;
          seen.add(row.friendly_token);
          rows.push(row);
          raw.set(row.friendly_token, media);
        }
        const facets = await this.memberships(raw, reader, summary);
        if (reader.failedWith && !facetsFailureLogged) {
          facetsFailureLogged = true;
          this.logFacetsFailure(reader);
        }
        detailErrors += facets.errors;
        const result = await this.repo.applyPage(rows, facets.byToken, now);
        summary.seen += rows.length;
        summary.new += result.inserted;
        summary.updated += result.updated;
        this.art.enqueue(result.needArt);
        if (pageNo % PROGRESS_EVERY_PAGES === 0) {
          this.logger.log(`sync #${log.id}: ${summary.seen}/${page.count} items (page ${pageNo})`);
          Object.assign(log, {
            items_seen: summary.seen,
            items_new: summary.new,
            items_updated: summary.updated,
          });
          await this.repo.saveLog(log);
        }
        if (!page.next || page.results.length === 0) {
          complete = true;
          break;
        }
        url = page.next;
        // Let requests in between pages: a 10k-item sync must not hold the event loop.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (complete && seen.size > 0) summary.gone = await this.repo.markGone(seen, this.clock.now());
      else if (complete) note = 'MediaCMS listed no items; nothing was marked gone';
    } catch (err) {
      fatal = `sync failed: ${errorText(err)}`;
    }
    this.facetsReader = null;
    summary.facets_pages = reader.pagesRead;
    try {
      await this.repo.finishRun();
    } catch (err) {
      fatal ??= `sync failed: ${errorText(err)}`;
    }
    summary.errors = detailErrors + (fatal ? 1 : 0);
    summary.status = complete && !fatal ? 'completed' : 'error';
    summary.message =
      fatal ??
      (detailErrors > 0
        ? `${detailErrors} item detail lookup(s) failed; their categories/tags were kept`
        : note);
    summary.duration_ms = this.clock.nowMs() - startedMs;
    Object.assign(log, {
      ended_at: this.clock.now(),
      items_seen: summary.seen,
      items_new: summary.new,
      items_updated: summary.updated,
      items_gone: summary.gone,
      errors: summary.errors,
      status: summary.status,
      message: summary.message,
    });
    await this.repo.saveLog(log);
    this.logger.log(
      `sync #${log.id} ${summary.status}: seen ${summary.seen}, new ${summary.new}, updated ${summary.updated}, ` +
        `gone ${summary.gone}, errors ${summary.errors}${summary.message ? ` (${summary.message})` : ''}`,
    );
    return summary;
  }

  /** Upstream MediaCMS has no bulk list (404): said once a run, quietly. Anything else is a fault. */
  private logFacetsFailure(reader: MediaFacetsReader): void {
    const err = reader.failedWith;
    if (err instanceof UpstreamNotFoundError && reader.pagesRead === 0) {
      this.logger.log(
        'MediaCMS has no media_facets list: categories and tags come from one detail call per item',
      );
    } else {
      this.logger.warn(
        `media_facets page ${reader.pagesRead + 1} failed (${errorText(err)}): ` +
          'the rest of this run reads categories and tags from item details',
      );
    }
  }

  /**
   * Categories and tags per token: from the list's `categories_info`/`tags_info` when present
   * (a deployment may add them), else from the bulk facets list, else from the detail endpoint,
   * DETAIL_CONCURRENCY at a time. A failed lookup leaves that item's memberships as they were (null).
   */
  private async memberships(
    raw: Map<string, MediaCmsListItem>,
    reader: MediaFacetsReader,
    summary: SyncSummary,
  ): Promise<{ byToken: Map<string, Memberships>; errors: number }> {
    const byToken = new Map<string, Memberships>();
    const notInline: string[] = [];
    for (const [token, media] of raw) {
      const inline = inlineFacets(media);
      if (inline) byToken.set(token, inline);
      else notInline.push(token);
    }
    const bulk = await reader.take(notInline);
    const needDetail: string[] = [];
    for (const token of notInline) {
      const facets = bulk.get(token);
      if (facets) byToken.set(token, facets);
      else needDetail.push(token);
    }
    let errors = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < needDetail.length && !this.stopping) {
        const token = needDetail[next++];
        summary.detail_calls++;
        try {
          const detail = await this.mediacms.getMedia(token);
          byToken.set(token, { categories: detail.categories, tags: detail.tags });
        } catch (err) {
          errors++;
          byToken.set(token, null);
          this.logger.warn(`detail ${token} failed: ${errorText(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, needDetail.length) }, worker));
    return { byToken, errors };
  }
}

function inlineFacets(media: MediaCmsListItem): Memberships {
  const cats = media.categories_info;
  const tags = media.tags_info;
  if (!Array.isArray(cats) || !Array.isArray(tags)) return null;
  const titles = (list: unknown[]): string[] =>
    list
      .map((x) => (x && typeof x === 'object' ? (x as { title?: unknown }).title : undefined))
      .filter((t): t is string => typeof t === 'string' && t !== '');
  return { categories: titles(cats), tags: titles(tags) };
}

function emptySummary(triggeredBy: string): SyncSummary {
  return {
    status: 'completed',
    sync_log_id: null,
    triggered_by: triggeredBy,
    seen: 0,
    new: 0,
    updated: 0,
    gone: 0,
    errors: 0,
    message: null,
    facets_pages: 0,
    detail_calls: 0,
    duration_ms: 0,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
