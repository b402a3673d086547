import type { QueueState, QueueStateItem, QueueStateNowPlaying } from '../queue/queue-state.enrich';

/**
 * A queue change as the browsers get it: only what changed since the state they hold (`base`),
 * so its size follows the change, not the queue.
 * - `splice`: the order as one `Array.splice` of the base's uids (`[start, deleteCount,
 *   ...uids]`, the part between the common head and the common tail); absent when the order
 *   is the same.
 * - `items`: the items that are new or changed, without their ETAs and positions (an item's
 *   position is its index; `positions` lists them all only in a state where it is not).
 * - ETAs as start times (ms since the epoch): `eta_runs` are `[position, ms]` pairs saying that
 *   from that position on each item starts `ms` later than it did in the base (one run when
 *   playback simply moved on, a second one behind an inserted item); `eta_set` gives
 *   `[position, start ms | null]` for an item the base had no start for. Seconds-to-start are
 *   `round((start - updated_at) / 1000)`, as the server computes them (queue.rules).
 * - `now_playing` only when more than its playback time changed.
 * `public/js/queue-diff.js` applies it; a page whose version is not `base` asks for the whole
 * state again (`queue_resync`).
 */
export interface QueueDiff {
  version: number;
  base: number;
  splice?: number[];
  items: Omit<QueueStateItem, 'position'>[];
  positions?: number[];
  eta_runs: [number, number][];
  eta_set: [number, number | null][];
  now_playing?: QueueStateNowPlaying | null;
  now_playing_time: number | null;
  updated_at: string;
  stale: boolean;
}

/** A full state with the version a diff can follow. */
export type VersionedQueueState = QueueState & { version: number };

/** The one splice that turns `before` into `after` (common head and tail kept), or null. */
export function orderSplice(before: readonly number[], after: readonly number[]): number[] | null {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  if (head === before.length && head === after.length) return null;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  ) {
    tail++;
  }
  return [head, before.length - head - tail, ...after.slice(head, after.length - tail)];
}

/**
 * `state` as it stands at `nowMs`: the same items, order and start times, with the
 * seconds-to-start and the playing item's time counted from now, as a page that holds it counts
 * them. A page that connects gets the last version sent this way, so the next diff follows it
 * exactly and its clocks are still right.
 */
export function retimed<S extends QueueState>(state: S, nowMs: number): S {
  const np = state.now_playing;
  const elapsedSec = Math.max(0, (nowMs - Date.parse(state.updated_at)) / 1000);
  let nowPlaying = np;
  if (np && !np.paused && !state.stale && elapsedSec > 0) {
    const at = Math.max(0, np.currentTime) + elapsedSec;
    nowPlaying = { ...np, currentTime: np.seconds > 0 ? Math.min(at, np.seconds) : at };
  }
  return {
    ...state,
    updated_at: new Date(nowMs).toISOString(),
    now_playing: nowPlaying,
    items: state.items.map((item) => {
      const start = startMs(item);
      return start === null ? item : { ...item, estimated_start_in_sec: Math.round((start - nowMs) / 1000) };
    }),
  };
}

function startMs(item: QueueStateItem): number | null {
  return item.estimated_start_at === undefined ? null : Date.parse(item.estimated_start_at);
}

/** The diff that turns `prev` into `next`. */
export function queueDiff(prev: QueueState, next: QueueState, base: number, version: number): QueueDiff {
  const before = new Map(prev.items.map((item) => [item.uid, item]));
  const runs: [number, number][] = [];
  const set: [number, number | null][] = [];
  let runShift: number | null = null;
  next.items.forEach((item, position) => {
    const start = startMs(item);
    const was = before.get(item.uid);
    const wasStart = was ? startMs(was) : null;
    if (start === null || wasStart === null) {
      set.push([position, start]);
      return;
    }
    const shift = start - wasStart;
    if (shift !== runShift) {
      runs.push([position, shift]);
      runShift = shift;
    }
  });
  const diff: QueueDiff = {
    version,
    base,
    items: next.items
      .filter((item) => {
        const was = before.get(item.uid);
        return !was || fingerprint(was) !== fingerprint(item);
      })
      .map(sentPart),
    eta_runs: runs,
    eta_set: set,
    now_playing_time: next.now_playing?.currentTime ?? null,
    updated_at: next.updated_at,
    stale: next.stale,
  };
  const splice = orderSplice(
    prev.items.map((item) => item.uid),
    next.items.map((item) => item.uid),
  );
  if (splice) diff.splice = splice;
  if (next.items.some((item, index) => item.position !== index)) {
    diff.positions = next.items.map((item) => item.position);
  }
  if (nowPlayingKey(prev.now_playing) !== nowPlayingKey(next.now_playing)) {
    diff.now_playing = next.now_playing;
  }
  return diff;
}

/** What is sent of a changed item: all but what follows from its place in the queue. */
function sentPart(item: QueueStateItem): Omit<QueueStateItem, 'position'> {
  const { position: _position, estimated_start_in_sec: _in, estimated_start_at: _at, ...rest } = item;
  return rest;
}

function fingerprint(item: QueueStateItem): string {
  return JSON.stringify(sentPart(item));
}

function nowPlayingKey(np: QueueStateNowPlaying | null): string {
  return np === null ? 'null' : JSON.stringify({ ...np, currentTime: 0 });
}
