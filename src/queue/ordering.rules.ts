/**
 * Where a webqueue insert lands in the live playlist, and how we tell
 * that CyTube really put it there. Pure: lists in, uids out.
 */

/** The little an ordering decision needs to know about a playlist entry. */
export interface OrderItem {
  uid: number;
  is_pay: boolean;
}

/** `queue` / `playnext`: paid tiers. `after_purchased`: the admin mode that queues after the paid items. */
export type AnchorMode = 'queue' | 'playnext' | 'after_purchased';

export type AnchorChoice = { ok: true; anchor_uid: number } | { ok: false; reason: 'no_now_playing' };

/**
 * The items in play order after the now-playing one (CyTube loops, so the list wraps), the
 * now-playing item itself left out. With no now-playing item, plain list order.
 */
export function playOrderAfterNowPlaying<T extends { uid: number }>(
  items: readonly T[],
  nowPlayingUid: number | null,
): T[] {
  const npIndex = nowPlayingUid === null ? -1 : items.findIndex((i) => i.uid === nowPlayingUid);
  if (npIndex < 0) return [...items];
  return [...items.slice(npIndex + 1), ...items.slice(0, npIndex)];
}

/**
 * The uid of the last paid item in play order after now-playing (DEFECT fixed: the old plain
 * list scan could anchor in already-played territory; a uid of 0 is a real uid, not "none").
 */
export function lastPaidUid(items: readonly OrderItem[], nowPlayingUid: number | null): number | null {
  const order = playOrderAfterNowPlaying(items, nowPlayingUid);
  for (let i = order.length - 1; i >= 0; i--) {
    if (order[i].is_pay) return order[i].uid;
  }
  return null;
}

/**
 * The uid to place a new item after (§3.4 worked examples):
 * - `queue`, `after_purchased`: after the last paid item in play order, else after now-playing;
 * - `playnext`: always right after now-playing.
 * Without a now-playing item and without a paid item to follow there is no anchor.
 */
export function chooseAnchor(
  items: readonly OrderItem[],
  nowPlayingUid: number | null,
  mode: AnchorMode,
): AnchorChoice {
  const npKnown = nowPlayingUid !== null && items.some((i) => i.uid === nowPlayingUid);
  if (mode !== 'playnext') {
    const paid = lastPaidUid(items, npKnown ? nowPlayingUid : null);
    if (paid !== null) return { ok: true, anchor_uid: paid };
  }
  if (npKnown && nowPlayingUid !== null) return { ok: true, anchor_uid: nowPlayingUid };
  return { ok: false, reason: 'no_now_playing' };
}

/** The error text when there is no anchor (refunded for paid inserts). */
export function noAnchorMessage(mode: AnchorMode, refunded: boolean): string {
  const base =
    mode === 'playnext'
      ? 'Play-next unavailable (now-playing unknown)'
      : 'Queue position unavailable (now-playing unknown)';
  return refunded ? `${base}; refunded` : base;
}

/** True when `uid` sits directly after `anchorUid` in the list (CyTube applied our move). */
export function isPlacedAfter(uids: readonly number[], uid: number, anchorUid: number): boolean {
  const at = uids.indexOf(uid);
  return at > 0 && uids[at - 1] === anchorUid;
}

/**
 * Whether an insert is where we wanted it. Besides "right after the anchor", the anchor may have
 * finished playing (temp items are removed) while we waited: the item is then in place if it is
 * now playing or right after the now-playing item.
 */
export function placementConfirmed(
  uids: readonly number[],
  uid: number,
  anchorUid: number,
  nowPlayingUid: number | null,
): boolean {
  if (!uids.includes(uid)) return false;
  if (isPlacedAfter(uids, uid, anchorUid)) return true;
  if (uids.includes(anchorUid)) return false;
  if (nowPlayingUid === uid) return true;
  return nowPlayingUid !== null && isPlacedAfter(uids, uid, nowPlayingUid);
}

/** What the now-playing payload says, in the fields used to find its playlist entry. */
export interface NowPlayingRef {
  uid: number | null;
  id: string;
  type: string;
}

/**
 * The uid of the now-playing entry: its own uid when present in the list,
 * else the first entry with the same media id (and type, when known).
 */
export function nowPlayingUidOf(
  list: readonly { uid: number; media_id: string; media_type: string }[],
  np: NowPlayingRef | null,
): number | null {
  if (!np) return null;
  if (np.uid !== null && list.some((i) => i.uid === np.uid)) return np.uid;
  if (!np.id) return null;
  const hit = list.find((i) => i.media_id === np.id && (!np.type || i.media_type === np.type));
  return hit ? hit.uid : null;
}

/**
 * Distance in play order from the now-playing item to `uid` (1 = next):
 * `(ii − npi) mod n`, or the plain index when now-playing is unknown; null when `uid` is absent.
 */
export function playOffset(
  uids: readonly number[],
  nowPlayingUid: number | null,
  uid: number,
): number | null {
  const ii = uids.indexOf(uid);
  if (ii < 0) return null;
  const npi = nowPlayingUid === null ? -1 : uids.indexOf(nowPlayingUid);
  if (npi < 0) return ii;
  const n = uids.length;
  return (((ii - npi) % n) + n) % n;
}
