/**
 * Resuming a fire that its instance did not finish (it died between two adds): which of the
 * event's items are not in the live playlist yet. Pure; table-tested.
 */
export interface MediaRef {
  media_type: string;
  media_id: string;
}

const keyOf = (m: MediaRef): string => `${m.media_type}:${m.media_id}`;

/**
 * The indexes of `expected` still to add, in order. Each live entry accounts for one expected item
 * with the same media (an event may hold the same video twice), so nothing is added twice.
 */
export function missingFromLive(expected: readonly MediaRef[], live: readonly MediaRef[]): number[] {
  const present = new Map<string, number>();
  for (const m of live) present.set(keyOf(m), (present.get(keyOf(m)) ?? 0) + 1);
  const missing: number[] = [];
  expected.forEach((m, index) => {
    const left = present.get(keyOf(m)) ?? 0;
    if (left > 0) present.set(keyOf(m), left - 1);
    else missing.push(index);
  });
  return missing;
}

/**
 * Whether the fire of this active event was cut short: a fire names the event's last item only
 * when its adds are done, and an event whose estimated end has passed is over either way.
 */
export function fireInterrupted(
  active: { started_at: Date | null; estimated_end_at: Date | null; last_item_uid: number | null },
  nowMs: number,
): boolean {
  if (active.started_at === null || active.last_item_uid !== null) return false;
  return active.estimated_end_at !== null && active.estimated_end_at.getTime() > nowMs;
}
