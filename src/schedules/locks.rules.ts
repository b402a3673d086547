/**
 * Pay-to-play locks, with real timestamps (DEFECT fixed:
 * the old string comparison kept the lock until midnight UTC).
 */

export interface ScheduleLockInput {
  label: string | null;
  fire_at: Date | null;
  pre_fire_lock_minutes: number;
  is_active: boolean;
  lock_disabled: boolean;
}

export interface ActiveScheduleLockInput {
  is_immutable: boolean;
  lock_disabled: boolean;
  playlist_name: string | null;
}

export type PayLock = { locked: false } | { locked: true; kind: 'pre_fire' | 'event'; message: string };

const UNLOCKED: PayLock = { locked: false };
const FALLBACK_LABEL = 'a scheduled event';

function validDate(d: Date | null): d is Date {
  return d instanceof Date && Number.isFinite(d.getTime());
}

/** The schedule whose pre-fire window `[fire_at − lock minutes, fire_at)` contains now, if any. */
export function preFireLock(schedules: readonly ScheduleLockInput[], now: Date): PayLock {
  const nowMs = now.getTime();
  const inWindow = schedules
    .filter((s) => s.is_active && !s.lock_disabled && validDate(s.fire_at))
    .filter((s) => {
      const fire = (s.fire_at as Date).getTime();
      return fire - Math.max(0, s.pre_fire_lock_minutes) * 60_000 <= nowMs && nowMs < fire;
    })
    .sort((a, b) => (a.fire_at as Date).getTime() - (b.fire_at as Date).getTime());
  const s = inWindow[0];
  if (!s) return UNLOCKED;
  const label = s.label || FALLBACK_LABEL;
  const minutes = Math.max(0, Math.round(((s.fire_at as Date).getTime() - nowMs) / 60_000));
  return {
    locked: true,
    kind: 'pre_fire',
    message: `Pay-to-play is closed: "${label}" starts in ${minutes} min. Try again after the event.`,
  };
}

/** The running immutable event, unless an admin (or the auto-lift) unlocked it. */
export function eventLock(active: ActiveScheduleLockInput | null): PayLock {
  if (!active || !active.is_immutable || active.lock_disabled) return UNLOCKED;
  const name = active.playlist_name || FALLBACK_LABEL;
  return {
    locked: true,
    kind: 'event',
    message: `Pay-to-play is closed during "${name}". It reopens when the last scheduled item begins playing.`,
  };
}

/** Viewers: either lock blocks; the pre-fire message wins when both apply. */
export function viewerPayLock(
  schedules: readonly ScheduleLockInput[],
  active: ActiveScheduleLockInput | null,
  now: Date,
): PayLock {
  const pre = preFireLock(schedules, now);
  return pre.locked ? pre : eventLock(active);
}

/** Admins: only the pre-fire lock blocks, with the old service's admin text. */
export function adminPayLock(schedules: readonly ScheduleLockInput[], now: Date): PayLock {
  const pre = preFireLock(schedules, now);
  return pre.locked
    ? { locked: true, kind: 'pre_fire', message: 'Queue is locked: scheduled playlist firing soon' }
    : UNLOCKED;
}
