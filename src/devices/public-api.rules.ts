import type { QueueState } from '../queue/queue-state.enrich';

/**
 * The public read API's shapes: what a device or overlay may see of the queue and the events.
 * No balances, no costs, no request ids, no internal flags. Pure functions.
 */

export type PublicTier = 'Play next' | 'Queue' | 'Added in CyTube' | 'Channel';

export interface PublicQueueItem {
  position: number;
  uid: number;
  title: string;
  duration_sec: number | null;
  /** ISO time it should start, or null when unknown. */
  eta: string | null;
  /** The viewer who paid for it, or "Channel". */
  requester: string;
  tier: PublicTier;
  is_now_playing: boolean;
  is_promo: boolean;
}

export interface PublicCurrent {
  uid: number | null;
  title: string;
  duration_sec: number;
  elapsed_sec: number;
  paused: boolean;
  requester: string;
  tier: PublicTier;
}

interface Who {
  is_pay?: boolean;
  paid_by?: string | null;
  tier?: string | null;
  is_promo?: boolean;
  schedule_id?: number | null;
}

/**
 * Paid items are the viewer's; what webqueue adds for the channel (admin inserts, events, promos)
 * is the channel's; an item someone queued in CyTube itself keeps their name. Never the bot.
 */
export function whoAsked(
  i: Who,
  botNames: ReadonlySet<string> = new Set(),
): { requester: string; tier: PublicTier } {
  if (i.is_pay) {
    return { requester: i.paid_by ?? 'a viewer', tier: i.tier === 'playnext' ? 'Play next' : 'Queue' };
  }
  const channel = i.is_promo || i.tier === 'admin' || (i.schedule_id ?? null) !== null;
  if (!channel && i.paid_by && !botNames.has(i.paid_by.toLowerCase())) {
    return { requester: i.paid_by, tier: 'Added in CyTube' };
  }
  return { requester: 'Channel', tier: 'Channel' };
}

/**
 * The bots' names, lowercased: the configured ones, plus whoever CyTube says queued the items
 * webqueue itself inserted (paid, admin, event and promo items all go in through the bot).
 */
export function botNamesOf(
  items: readonly {
    queueby: string | null;
    is_pay: boolean;
    is_promo: boolean;
    tier: string | null;
    schedule_id: number | null;
  }[],
  configured: readonly string[],
): Set<string> {
  const names = new Set(configured.map((n) => n.toLowerCase()));
  for (const i of items) {
    const ours = i.is_pay || i.is_promo || i.tier === 'admin' || i.schedule_id !== null;
    if (ours && i.queueby) names.add(i.queueby.toLowerCase());
  }
  return names;
}

export function publicCurrent(
  state: QueueState,
  botNames: ReadonlySet<string> = new Set(),
): PublicCurrent | null {
  const np = state.now_playing;
  if (!np) return null;
  const item = np.uid !== null ? state.items.find((i) => i.uid === np.uid) : undefined;
  const who = whoAsked(item ?? { is_pay: np.is_pay, paid_by: np.paid_by, tier: np.tier }, botNames);
  return {
    uid: np.uid,
    title: item?.title || np.title,
    duration_sec: np.seconds,
    elapsed_sec: Math.max(0, Math.floor(np.currentTime)),
    paused: np.paused,
    ...who,
  };
}

/** The playlist in play order, from the item playing now; items already played are left out. */
export function publicQueue(state: QueueState, botNames: ReadonlySet<string> = new Set()): PublicQueueItem[] {
  const nowUid = state.now_playing?.uid ?? null;
  const start =
    nowUid === null
      ? 0
      : Math.max(
          0,
          state.items.findIndex((i) => i.uid === nowUid),
        );
  return state.items.slice(start).map((i, index) => ({
    position: index,
    uid: i.uid,
    title: i.title ?? 'Untitled',
    duration_sec: i.duration_sec,
    eta: i.uid === nowUid ? null : (i.estimated_start_at ?? null),
    ...whoAsked(i, botNames),
    is_now_playing: i.uid === nowUid,
    is_promo: i.is_promo,
  }));
}

export interface PublicEvent {
  label: string;
  fire_at: string;
  recurring: boolean;
  playlist: string | null;
  /** Minutes before the start when paid requests stop. */
  pre_fire_lock_minutes: number;
}

export function publicEvents(
  schedules: readonly {
    label: string;
    fire_at: Date;
    is_recurring: boolean;
    playlist_name: string | null;
    pre_fire_lock_minutes: number;
    status: string;
  }[],
  nowMs: number,
): PublicEvent[] {
  return schedules
    .filter((s) => s.status === 'pending' && s.fire_at.getTime() > nowMs)
    .sort((a, b) => a.fire_at.getTime() - b.fire_at.getTime())
    .slice(0, 50)
    .map((s) => ({
      label: s.label,
      fire_at: s.fire_at.toISOString(),
      recurring: s.is_recurring,
      playlist: s.playlist_name,
      pre_fire_lock_minutes: s.pre_fire_lock_minutes,
    }));
}

/** "alice · Play next", or "Channel pick" for what the channel queued itself. */
export function byLine(item: { requester: string; tier: string }): string {
  if (item.tier === 'Channel') return 'Channel pick';
  if (item.tier === 'Added in CyTube') return `Added in CyTube by ${item.requester}`;
  return `Requested by ${item.requester} · ${item.tier}`;
}
