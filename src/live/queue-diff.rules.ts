import type { QueueState, QueueStateItem, QueueStateNowPlaying } from '../queue/queue-state.enrich';

/**
 * A queue change as the browsers get it: only what changed since the state they hold
 * (`base`). `order` is the whole queue as uids; `items` the items that are new or changed
 * (without their ETAs, which move whenever anything ahead of them does); `etas` one
 * `[seconds, ms from updated_at]` per position; `now_playing` only when more than its
 * playback time changed. `public/js/queue-diff.js` applies it; a page whose version is not
 * `base` asks for the whole state again (`queue_resync`).
 */
export interface QueueDiff {
  version: number;
  base: number;
  order: number[];
  items: QueueStateItem[];
  etas: ([number, number] | null)[];
  now_playing?: QueueStateNowPlaying | null;
  now_playing_time: number | null;
  updated_at: string;
  stale: boolean;
}

/** A full state with the version a diff can follow. */
export type VersionedQueueState = QueueState & { version: number };

/** The diff that turns `prev` into `next`. */
export function queueDiff(prev: QueueState, next: QueueState, base: number, version: number): QueueDiff {
  const before = new Map(prev.items.map((item) => [item.uid, fingerprint(item)]));
  const startMs = Date.parse(next.updated_at);
  const diff: QueueDiff = {
    version,
    base,
    order: next.items.map((item) => item.uid),
    items: next.items.filter((item) => before.get(item.uid) !== fingerprint(item)).map(withoutEta),
    etas: next.items.map((item) =>
      item.estimated_start_in_sec === undefined || item.estimated_start_at === undefined
        ? null
        : [item.estimated_start_in_sec, Date.parse(item.estimated_start_at) - startMs],
    ),
    now_playing_time: next.now_playing?.currentTime ?? null,
    updated_at: next.updated_at,
    stale: next.stale,
  };
  if (nowPlayingKey(prev.now_playing) !== nowPlayingKey(next.now_playing)) {
    diff.now_playing = next.now_playing;
  }
  return diff;
}

function withoutEta(item: QueueStateItem): QueueStateItem {
  const copy = { ...item };
  delete copy.estimated_start_in_sec;
  delete copy.estimated_start_at;
  return copy;
}

function fingerprint(item: QueueStateItem): string {
  return JSON.stringify(withoutEta(item));
}

function nowPlayingKey(np: QueueStateNowPlaying | null): string {
  return np === null ? 'null' : JSON.stringify({ ...np, currentTime: 0 });
}
