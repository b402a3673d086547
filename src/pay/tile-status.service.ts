import { Injectable, Logger } from '@nestjs/common';
import { CatalogService } from '../catalog/catalog.service';
import { Clock } from '../common/clock';
import { PlayHistoryService } from '../history/play-history.service';
import { ApiGateClient } from '../kryten/api-gate.client';
import type { QueuePreview } from '../kryten/api-gate.types';
import { QueueShadowService } from '../queue/queue-shadow.service';
import { type TileStatus, tileStatus } from './tile-status.rules';

/** A viewer's price for a length is asked of the economy once a minute at most. */
const PRICE_TTL_MS = 60_000;
const MAX_CACHED = 2000;
/** Economy previews at once for one page of tiles. */
const PREVIEWS_AT_ONCE = 4;
/** How far back "played" is looked up (the page says today / yesterday). */
const PLAYED_WINDOW_MS = 48 * 3_600_000;

/**
 * The badges and prices of a page of catalog tiles for one viewer: the queue shadow, the play
 * history, and the economy's preview for each distinct length on the page (cached briefly; the
 * price depends only on the length and the viewer).
 */
@Injectable()
export class TileStatusService {
  private readonly logger = new Logger('TileStatus');
  private readonly prices = new Map<string, { atMs: number; preview: Promise<QueuePreview | null> }>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly shadow: QueueShadowService,
    private readonly history: PlayHistoryService,
    private readonly apiGate: ApiGateClient,
    private readonly clock: Clock,
  ) {}

  async forViewer(username: string, tokens: readonly string[]): Promise<TileStatus[]> {
    const found = await this.catalog.findForQueue(tokens.map((friendly_token) => ({ friendly_token })));
    const items = tokens.flatMap((token) => {
      const item = found.get(token);
      return item && item.friendly_token === token && item.gone_at === null ? [item] : [];
    });
    const nowMs = this.clock.nowMs();
    const lastPlayed = await this.history.lastPlayedSince(nowMs - PLAYED_WINDOW_MS, 'content');
    const durations = [...new Set(items.map((i) => Math.round(i.duration_sec ?? 0)).filter((d) => d > 0))];
    const previews = new Map<number, QueuePreview | null>();
    for (let i = 0; i < durations.length; i += PREVIEWS_AT_ONCE) {
      const batch = durations.slice(i, i + PREVIEWS_AT_ONCE);
      const answers = await Promise.all(batch.map((d) => this.price(username, d, nowMs)));
      batch.forEach((d, k) => previews.set(d, answers[k]));
    }
    const queue = this.shadow.itemsWithEtas();
    const npUid = this.shadow.nowPlayingUid();
    return items.map((item) =>
      tileStatus(
        { token: item.friendly_token, manifest_url: item.manifest_url, duration_sec: item.duration_sec },
        queue,
        npUid,
        lastPlayed.get(`cm:${item.manifest_url}`),
        previews.get(Math.round(item.duration_sec ?? 0)) ?? null,
      ),
    );
  }

  /** The economy's preview for this viewer and length; null when it can't be had (the tile shows no price). */
  private price(username: string, duration: number, nowMs: number): Promise<QueuePreview | null> {
    const key = `${username}|${duration}`;
    const cached = this.prices.get(key);
    if (cached && nowMs - cached.atMs < PRICE_TTL_MS) return cached.preview;
    const preview = this.apiGate
      .queuePreview({ username, duration_sec: duration, tier: 'queue' })
      .catch((err) => {
        this.logger.warn(`price for ${duration} s unavailable: ${(err as Error).message}`);
        this.prices.delete(key);
        return null;
      });
    if (this.prices.size >= MAX_CACHED) this.prices.clear();
    this.prices.set(key, { atMs: nowMs, preview });
    return preview;
  }
}
