import type { UserPresence } from '../kryten/api-gate.types';
import type { ShadowItem } from '../queue/queue-shadow.types';

/**
 * The presence-refund rules (the seed plan §1.3–§1.4), as pure
 * functions: who owns pending paid items, how a lookup is classified, and what one monitor
 * cycle decides given the grace clocks. No I/O, no clock of their own.
 */

export type PresenceStatus = 'gone' | 'afk' | 'present';
/** A lookup that failed or timed out: it neither starts nor clears a grace clock. */
export type Observation = PresenceStatus | 'inconclusive';
export type CancelReason = 'owner_left' | 'owner_afk';

export interface PresenceTriggers {
  on_leave: boolean;
  on_afk: boolean;
  grace_seconds: number;
}

/** A grace clock: when the owner was first seen gone/AFK, and why. */
export interface GraceEntry {
  sinceMs: number;
  reason: CancelReason;
}

/** gone = not in the channel (offline shape); afk = `meta.afk`; anything else present. */
export function classifyPresence(user: UserPresence | null | undefined): PresenceStatus {
  if (!user || !user.online) return 'gone';
  return user.afk ? 'afk' : 'present';
}

/**
 * Pending paid items by owner, in play order. Only pay-to-play items count: free, admin,
 * scheduled and promo items are never touched, nor the item now playing.
 */
export function pendingPaidByOwner(
  items: readonly ShadowItem[],
  nowPlayingUid: number | null,
): Map<string, ShadowItem[]> {
  const owners = new Map<string, ShadowItem[]>();
  for (const item of items) {
    if (!item.is_pay || item.is_promo || item.schedule_id !== null) continue;
    if (nowPlayingUid !== null && item.uid === nowPlayingUid) continue;
    if (!item.paid_by) continue;
    const list = owners.get(item.paid_by) ?? [];
    list.push(item);
    owners.set(item.paid_by, list);
  }
  return owners;
}

export interface CycleDecision {
  /** The grace clocks to keep for the next cycle. */
  tracking: Map<string, GraceEntry>;
  /** Owners whose grace ran out while still gone/AFK: cancel all their pending paid items. */
  cancel: { owner: string; reason: CancelReason }[];
}

/**
 * One monitor cycle. `observations` holds the lookup result of every owner that still has
 * pending paid items (the only owners that matter: clocks of anyone else are dropped).
 */
export function decideCycle(
  previous: ReadonlyMap<string, GraceEntry>,
  observations: ReadonlyMap<string, Observation>,
  triggers: PresenceTriggers,
  nowMs: number,
): CycleDecision {
  const tracking = new Map<string, GraceEntry>();
  const cancel: CycleDecision['cancel'] = [];
  for (const [owner, observation] of observations) {
    const clock = previous.get(owner);
    if (observation === 'inconclusive') {
      if (clock) tracking.set(owner, clock); // keep the clock as it was
      continue;
    }
    const actionable =
      (observation === 'gone' && triggers.on_leave) || (observation === 'afk' && triggers.on_afk);
    if (!actionable) continue; // present, or that trigger is off: the clock is cleared
    const reason: CancelReason = observation === 'gone' ? 'owner_left' : 'owner_afk';
    if (!clock) {
      tracking.set(owner, { sinceMs: nowMs, reason });
      continue;
    }
    if (nowMs - clock.sinceMs >= triggers.grace_seconds * 1000) {
      // Grace is over and the re-check still says gone/AFK. The reason is today's.
      cancel.push({ owner, reason });
      continue;
    }
    tracking.set(owner, { sinceMs: clock.sinceMs, reason });
  }
  return { tracking, cancel };
}

/** Seconds of grace left for a clock (never negative). */
export function graceLeftSeconds(entry: GraceEntry, graceSeconds: number, nowMs: number): number {
  return Math.max(0, Math.ceil(graceSeconds - (nowMs - entry.sinceMs) / 1000));
}

/** The PM an owner gets when an item is cancelled (CyTube cuts PMs at 320 characters). */
export function cancellationMessage(
  title: string | null,
  reason: CancelReason,
  refundedZ: number | null,
): string {
  const why = reason === 'owner_afk' ? 'you were AFK' : 'you left the channel';
  const amount = refundedZ === null ? 'your Z were' : `${refundedZ.toLocaleString('en-US')} Z were`;
  const name = (title ?? 'your item').slice(0, 150);
  return `"${name}" was removed from the queue because ${why}; ${amount} refunded. You can queue it again any time.`;
}
