import type { ShadowItem } from '../queue/queue-shadow.types';

/**
 * What an admin action does to the queue, as pure functions the page and the server share the
 * meaning of: which items a jump skips over, and which items are the channel's own loop (kept by
 * "Clear, keep the loop").
 */

/** The items strictly between now-playing and `targetUid`, in play order (the list loops). */
export function jumpSkips(
  items: readonly ShadowItem[],
  nowPlayingUid: number | null,
  targetUid: number,
): ShadowItem[] {
  const to = items.findIndex((i) => i.uid === targetUid);
  if (to < 0) return [];
  const from = items.findIndex((i) => i.uid === nowPlayingUid);
  const out: ShadowItem[] = [];
  for (let k = (from + 1) % items.length; k !== to; k = (k + 1) % items.length) out.push(items[k]);
  return from < 0 ? items.slice(0, to) : out;
}

/** The channel's loop: permanent items nobody paid for and that are not promos. */
export function isLoopItem(item: ShadowItem): boolean {
  return !item.temp && !item.is_pay && !item.is_promo;
}
