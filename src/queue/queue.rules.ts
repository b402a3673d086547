import type { NowPlaying as GateNowPlaying, PlaylistItem } from '../kryten/api-gate.types';
import type { NowPlaying, ShadowItem } from './queue-shadow.types';

/**
 * Pure rules of the queue shadow: reconcile a poll into the mirror, find the
 * now-playing item, compute ETAs, decide when to believe an empty poll, when to tell clients,
 * and when to lift the event lock. No Nest, no I/O, time passed in.
 */

/** `seconds()` of the old service: a number, "H:M:S", "M:S" or a numeric string; else 0. */
export function parseSeconds(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
  if (typeof value !== 'string') return 0;
  const text = value.trim();
  if (text === '') return 0;
  if (text.includes(':')) {
    const parts = text.split(':').map(Number);
    if (parts.length > 3 || parts.some((p) => !Number.isFinite(p))) return 0;
    return parts.reduce((acc, p) => acc * 60 + p, 0);
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : 0;
}

/** A shadow item with every local field at its default (not paid, not a promo); override what you know. */
export function newShadowItem(
  fields: Pick<ShadowItem, 'uid' | 'media_type' | 'media_id'> & Partial<ShadowItem>,
): ShadowItem {
  return {
    position: 0,
    title: null,
    friendly_token: null,
    duration_sec: null,
    temp: true,
    queueby: null,
    is_pay: false,
    paid_by: null,
    tier: null,
    z_cost: null,
    schedule_id: null,
    is_promo: false,
    promo_type: null,
    lead_in_for_uid: null,
    request_id: null,
    added_at: null,
    ...fields,
  };
}

/** A brand-new shadow item for a uid first seen in a poll (not paid, `paid_by = queueby`). */
export function itemFromPoll(entry: PlaylistItem, position: number, now: Date): ShadowItem {
  const seconds = parseSeconds(entry.media.seconds);
  return newShadowItem({
    uid: entry.uid,
    position,
    title: entry.media.title || '',
    media_type: entry.media.type || 'unknown',
    media_id: entry.media.id || '',
    duration_sec: seconds > 0 ? seconds : null,
    temp: entry.temp,
    queueby: entry.queueby,
    paid_by: entry.queueby,
    added_at: now,
  });
}

/** Keep every local field of a known item; take CyTube facts from the poll; back-fill empties. */
export function mergeKnown(known: ShadowItem, entry: PlaylistItem, position: number): ShadowItem {
  const merged: ShadowItem = { ...known, position, temp: entry.temp, queueby: entry.queueby };
  const seconds = parseSeconds(entry.media.seconds);
  if (!merged.title && entry.media.title) merged.title = entry.media.title;
  if (!merged.duration_sec && seconds > 0) merged.duration_sec = seconds;
  if (!merged.media_id && entry.media.id) merged.media_id = entry.media.id;
  if ((!merged.media_type || merged.media_type === 'unknown') && entry.media.type) {
    merged.media_type = entry.media.type;
  }
  return merged;
}

export interface ReconcileResult {
  items: ShadowItem[];
  /** uids held before and gone now (to delete from the DB). */
  removed: number[];
  /** uids first seen in this poll. */
  added: number[];
}

/**
 * Rebuild the list in poll order (§2.3). `keepUnseen` holds uids webqueue inserted itself that no
 * poll has shown yet (a poll started before the add may not have them): they are kept, right
 * after the item that preceded them, instead of being deleted.
 */
export function reconcile(
  current: readonly ShadowItem[],
  playlist: readonly PlaylistItem[],
  now: Date,
  keepUnseen: ReadonlySet<number> = new Set(),
): ReconcileResult {
  const known = new Map(current.map((item) => [item.uid, item]));
  const seen = new Set<number>();
  const items: ShadowItem[] = [];
  const added: number[] = [];
  for (const entry of playlist) {
    if (seen.has(entry.uid)) continue; // a uid appears once; ignore a corrupt duplicate
    seen.add(entry.uid);
    const old = known.get(entry.uid);
    if (old) items.push(mergeKnown(old, entry, items.length));
    else {
      items.push(itemFromPoll(entry, items.length, now));
      added.push(entry.uid);
    }
  }
  const removed: number[] = [];
  let previous: number | null = null;
  for (const item of current) {
    if (!seen.has(item.uid)) {
      if (keepUnseen.has(item.uid)) {
        // `previous` is already in `items` (seen or kept), so this is right after it.
        const at = previous === null ? 0 : items.findIndex((i) => i.uid === previous) + 1;
        items.splice(at, 0, { ...item });
        seen.add(item.uid);
      } else {
        removed.push(item.uid);
        continue;
      }
    }
    previous = item.uid;
  }
  items.forEach((item, index) => (item.position = index));
  return { items, removed, added };
}

/**
 * api-gate's now-playing (or null for `{}`) in the shadow's shape, uid not yet recovered.
 * Right after a change CyTube reports `currentTime: -3, paused: true`: its 3 s lead-in, which
 * ends by itself, so it is not reported as a pause (clients keep the clock running from -3 and
 * no second push is needed when playback starts).
 */
export function toNowPlaying(raw: GateNowPlaying | null): NowPlaying | null {
  if (!raw) return null;
  const currentTime = parseSeconds(raw.currentTime);
  return {
    uid: raw.uid,
    media_id: raw.id,
    media_type: raw.type,
    title: raw.title,
    seconds: parseSeconds(raw.seconds),
    currentTime,
    paused: raw.paused && currentTime >= 0,
  };
}

/**
 * The list index of the playing item (§2.4, with the duplicate fix): the uid when it is in the
 * list; otherwise the items whose media id (and type, when given) match; with several copies,
 * the previous item itself if it is one, else the first copy after the previously playing item
 * (wrapping), located by its uid or, when it has left the list, by its old position.
 */
export function findNowPlayingIndex(
  items: readonly ShadowItem[],
  np: NowPlaying | null,
  previous: { uid: number; position: number } | null = null,
): number {
  if (!np) return -1;
  if (np.uid !== null) {
    const byUid = items.findIndex((item) => item.uid === np.uid);
    if (byUid >= 0) return byUid;
  }
  if (!np.media_id) return -1;
  const candidates: number[] = [];
  items.forEach((item, index) => {
    if (item.media_id !== np.media_id) return;
    if (np.media_type && item.media_type !== 'unknown' && item.media_type !== np.media_type) return;
    candidates.push(index);
  });
  if (candidates.length <= 1 || !previous) return candidates[0] ?? -1;
  const prevIndex = items.findIndex((item) => item.uid === previous.uid);
  if (prevIndex >= 0 && candidates.includes(prevIndex)) return prevIndex;
  // Still listed: the first copy strictly after it. Gone (a temp item removed after playing):
  // everything after it shifted left by one, so its old position is where "next" now sits.
  const after =
    prevIndex >= 0 ? candidates.find((c) => c > prevIndex) : candidates.find((c) => c >= previous.position);
  return after ?? candidates[0];
}

/**
 * Seconds left of the current item. `currentTime` is -3 (CyTube's lead-in) right after a
 * change: it is clamped to 0, so the item counts as not started.
 */
export function remainingSeconds(np: NowPlaying | null): number {
  if (!np) return 0;
  return Math.max(0, np.seconds - Math.max(0, np.currentTime));
}

/**
 * ETAs (§2.5), on copies: the playing item 0, then `(np + step) mod n`, starting from the
 * remaining time and adding each visited item's duration (CyTube loops). Without a playing item,
 * from the head with `offset = remaining`.
 */
export function computeEtas(
  items: readonly ShadowItem[],
  npIndex: number,
  remaining: number,
  nowMs: number,
): ShadowItem[] {
  const out = items.map((item) => ({ ...item }));
  const n = out.length;
  const stamp = (item: ShadowItem, offset: number): void => {
    // Seconds from the millisecond figure, so a page can get them back from the start time.
    const ms = Math.round(offset * 1000);
    item.estimated_start_in_sec = Math.round(ms / 1000);
    item.estimated_start_at = new Date(nowMs + ms).toISOString();
  };
  let offset = remaining;
  if (npIndex < 0 || npIndex >= n) {
    for (const item of out) {
      stamp(item, offset);
      offset += item.duration_sec ?? 0;
    }
    return out;
  }
  stamp(out[npIndex], 0);
  for (let step = 1; step < n; step++) {
    const item = out[(npIndex + step) % n];
    stamp(item, offset);
    offset += item.duration_sec ?? 0;
  }
  return out;
}

/**
 * What clients see, minus what ticks every poll (currentTime, ETA seconds): the queue_state
 * push happens only when this changes.
 */
export function queueSignature(
  items: readonly ShadowItem[],
  np: NowPlaying | null,
  npUid: number | null,
): string {
  const rows = items.map((i) => [
    i.uid,
    i.title,
    i.friendly_token,
    i.media_id,
    i.duration_sec,
    i.queueby,
    i.is_pay,
    i.paid_by,
    i.tier,
    i.z_cost,
    i.schedule_id,
    i.is_promo,
    i.promo_type,
    i.lead_in_for_uid,
  ]);
  return JSON.stringify([nowPlayingHead(np, npUid), rows]);
}

/** The part of the signature that now-playing decides (what a poll of an unchanged list can move). */
export function nowPlayingHead(np: NowPlaying | null, npUid: number | null): unknown[] | null {
  return np ? [npUid, np.media_id, np.title, np.seconds, np.paused] : null;
}

/**
 * Whether two polls say the same (uids, order, media, who queued, temp): the second would
 * reconcile to the same list, so it has nothing to merge or write. Field by field, no copies.
 */
export function samePoll(a: readonly PlaylistItem[] | null, b: readonly PlaylistItem[]): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.uid !== y.uid || x.temp !== y.temp || x.queueby !== y.queueby) return false;
    const m = x.media;
    const n = y.media;
    if (m.id !== n.id || m.type !== n.type || m.title !== n.title || m.seconds !== n.seconds) return false;
  }
  return true;
}

/**
 * api-gate hides KV errors as `{items:[]}`. An empty poll while the shadow
 * holds items is believed only on the 2nd consecutive empty poll, or at once when now-playing is
 * also empty (`{}`). `emptyStreak` counts consecutive empty polls including this one.
 */
export function acceptEmptyPoll(shadowCount: number, emptyStreak: number, nowPlayingEmpty: boolean): boolean {
  return shadowCount === 0 || nowPlayingEmpty || emptyStreak >= 2;
}

export interface EventLockView {
  lock_disabled: boolean;
  last_item_uid: number | null;
}

/**
 * Event-lock auto-lift (the schedules module applies it after every poll): lift when the event's last item is playing, or when
 * it has left the queue (removed or skipped before it played, or played and gone as a temp
 * item): it was in the list before this change and is not now. "Not seen yet" is not "left"
 * (the fire may record the uid before a poll shows it).
 */
export function shouldLiftEventLock(
  active: EventLockView | null,
  before: readonly ShadowItem[],
  after: readonly ShadowItem[],
  npUid: number | null,
): boolean {
  if (!active || active.lock_disabled || active.last_item_uid === null) return false;
  const last = Number(active.last_item_uid);
  if (npUid !== null && npUid === last) return true;
  return before.some((item) => item.uid === last) && !after.some((item) => item.uid === last);
}
