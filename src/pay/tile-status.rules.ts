import type { QueuePreview } from '../kryten/api-gate.types';
import type { ShadowItem } from '../queue/queue-shadow.types';
import { baseCostOf } from '../economy/pricing.rules';

/**
 * What a catalog tile says for one viewer, as a pure function: playing now, or its place in the
 * queue with its estimated start, when it last played, its price for this viewer and why it can't
 * be bought (said before any charge).
 */

export interface TileItem {
  token: string;
  manifest_url: string;
  duration_sec: number | null;
}

export interface TilePrice {
  cost_z: number;
  base_cost: number;
  discount_pct: number;
  tier_label: string;
}

export interface TileStatus {
  token: string;
  playing: boolean;
  /** 1 = next after what is playing; null when not in the queue. */
  position: number | null;
  /** Estimated start (ISO), when queued. */
  starts_at: string | null;
  /** The last time it started playing (ISO), within the history window. */
  played_at: string | null;
  price: TilePrice | null;
  /** Why it can't be queued now, in words (before any charge), else null. */
  blocked: string | null;
}

export function tileStatus(
  item: TileItem,
  queue: readonly ShadowItem[],
  nowPlayingUid: number | null,
  lastPlayedMs: number | undefined,
  preview: QueuePreview | null,
): TileStatus {
  const npAt = queue.findIndex((i) => i.uid === nowPlayingUid);
  const at = queue.findIndex((i) => i.media_id === item.manifest_url);
  const playing = at >= 0 && at === npAt;
  // Positions count in play order from the item after the one playing (the list loops).
  const position = at < 0 || playing ? null : npAt < 0 ? at + 1 : (at - npAt + queue.length) % queue.length;
  const duration = Math.round(item.duration_sec ?? 0);
  let blocked: string | null = null;
  if (duration <= 0) blocked = 'Its length is unknown, so it can’t be queued.';
  else if (at >= 0) blocked = playing ? 'It is playing now.' : 'It is already in the queue.';
  return {
    token: item.token,
    playing,
    position,
    starts_at: position === null ? null : (queue[at].estimated_start_at ?? null),
    played_at: lastPlayedMs === undefined ? null : new Date(lastPlayedMs).toISOString(),
    price:
      preview && typeof preview.cost_z === 'number'
        ? {
            cost_z: preview.cost_z,
            base_cost: baseCostOf(preview),
            discount_pct: preview.discount_pct ?? 0,
            tier_label: preview.tier_label ?? '',
          }
        : null,
    blocked,
  };
}
