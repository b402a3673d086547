import PQueue from 'p-queue';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { CatalogRepository } from '../catalog.repository';
import { CatalogSyncRepository } from '../catalog-sync.repository';
import { ArtProviders } from './art-providers';
import { ImageStore } from './image-store';

/** Tunables of the background art queue (replace the provider in tests). */
export class CoverArtOptions {
  /** Items resolved at once. */
  concurrency = 2;
  /** Minimum gap between provider calls (rate limit; 0.10.0 slept 0.25 s per item). */
  minGapMs = 250;
  /** One item (lookups + download + convert) gives up after this long. */
  itemTimeoutMs = 45_000;
  /** Items waiting beyond this are dropped (the next sync queues them again). */
  maxQueue = 200_000;
}

export type ArtOutcome = 'tmdb' | 'omdb' | 'thumbnail' | 'none' | 'skipped' | 'failed';

/**
 * Resolves cover art in the background, never inside a sync transaction: a bounded FIFO,
 * a few workers, a provider rate limit and a timeout per item, so a slow provider only
 * slows the art, never the sync. Without TMDB/OMDB keys it does nothing (tiles then use the
 * MediaCMS thumbnail or a placeholder).
 */
@Injectable()
export class CoverArtService implements OnModuleDestroy {
  private readonly logger = new Logger('CoverArt');
  /** The background lookups, `concurrency` at a time (p-queue). */
  private readonly queue: PQueue;
  private readonly queued = new Set<string>();
  private stopped = false;
  private lastCallMs = -Infinity;
  readonly stats: Record<ArtOutcome, number> = {
    tmdb: 0,
    omdb: 0,
    thumbnail: 0,
    none: 0,
    skipped: 0,
    failed: 0,
  };

  constructor(
    private readonly providers: ArtProviders,
    private readonly images: ImageStore,
    private readonly catalog: CatalogRepository,
    private readonly writes: CatalogSyncRepository,
    private readonly config: AppConfig,
    private readonly options: CoverArtOptions,
  ) {
    this.queue = new PQueue({ concurrency: options.concurrency });
  }

  get enabled(): boolean {
    return this.providers.enabled;
  }

  get pending(): number {
    return this.queue.size + this.queue.pending;
  }

  /** Queue tokens for art; returns how many were added. */
  enqueue(tokens: readonly string[]): number {
    if (!this.enabled || this.stopped) return 0;
    let added = 0;
    for (const token of tokens) {
      if (this.queued.has(token) || this.queue.size >= this.options.maxQueue) continue;
      this.queued.add(token);
      void this.queue.add(() => this.runOne(token)).finally(() => this.queued.delete(token));
      added++;
    }
    return added;
  }

  /** Resolves when the queue is empty and no worker is busy. */
  drain(): Promise<void> {
    return this.queue.onIdle();
  }

  onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.queue.clear(); // what waits is dropped (the next sync queues it again)
    this.queued.clear();
    return this.drain();
  }

  /** Resolve one item now (also used by the queue workers). */
  async resolve(token: string): Promise<ArtOutcome> {
    const item = await this.catalog.findByToken(token);
    if (!item || item.cover_art_path || item.gone_at) return 'skipped';
    const hit = await this.providers.findPoster(item.title, () => this.rateLimit());
    const candidates: { url: string; source: 'tmdb' | 'omdb' | 'thumbnail' }[] = [];
    if (hit) candidates.push(hit);
    if (item.thumbnail_url) candidates.push({ url: this.absolute(item.thumbnail_url), source: 'thumbnail' });
    for (const c of candidates) {
      try {
        const dir = await this.images.save(token, await this.images.download(c.url));
        await this.writes.setCoverArt(token, dir, c.source);
        return c.source;
      } catch (err) {
        this.logger.debug(
          `art ${token} from ${c.source} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    return 'none';
  }

  private async runOne(token: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ArtOutcome>((resolve) => {
      timer = setTimeout(() => resolve('failed'), this.options.itemTimeoutMs);
    });
    try {
      const work = this.resolve(token);
      work.catch(() => undefined); // a timed-out lookup may still fail later; nobody waits for it
      const outcome = await Promise.race([work, timeout]);
      this.stats[outcome]++;
    } catch (err) {
      this.stats.failed++;
      this.logger.warn(`art ${token} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async rateLimit(): Promise<void> {
    // Pacing against real elapsed time (a monotonic timer, not the injectable "now").
    const nowMs = performance.now();
    const wait = this.lastCallMs + this.options.minGapMs - nowMs;
    this.lastCallMs = Math.max(nowMs, this.lastCallMs + this.options.minGapMs);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private absolute(url: string): string {
    return /^https?:\/\//.test(url)
      ? url
      : `${this.config.mediacms_url.replace(/\/+$/, '')}${url.startsWith('/') ? '' : '/'}${url}`;
  }
}
