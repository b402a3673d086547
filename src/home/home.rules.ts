import type { CategoryFacet } from '../catalog/catalog.repository';
import type { ShadowItem } from '../queue/queue-shadow.types';

/** How many category rows the home page shows (the largest categories). */
export const CATEGORY_ROWS = 3;
/** What played within this many days is not "not played in a while". */
export const NOT_PLAYED_DAYS = 30;
/** Up next in the hero. */
export const UP_NEXT = 5;

/** The largest categories, ties by name (stable from one visit to the next). */
export function topCategories(categories: readonly CategoryFacet[], count = CATEGORY_ROWS): CategoryFacet[] {
  return [...categories]
    .filter((c) => c.cnt > 0)
    .sort((a, b) => b.cnt - a.cnt || a.name.localeCompare(b.name))
    .slice(0, count);
}

/** The items after now-playing in play order (the list loops), promos left out. */
export function upNext(
  items: readonly ShadowItem[],
  nowPlayingUid: number | null,
  count = UP_NEXT,
): ShadowItem[] {
  const at = items.findIndex((i) => i.uid === nowPlayingUid);
  const order = at < 0 ? [...items] : [...items.slice(at + 1), ...items.slice(0, at)];
  return order.filter((i) => !i.is_promo).slice(0, count);
}

/** The manifests played lately (content only), newest first, capped (they become a NOT IN list). */
export function playedLately(lastPlayed: ReadonlyMap<string, number>, cap = 5000): string[] {
  return [...lastPlayed.entries()]
    .filter(([key]) => key.startsWith('cm:'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, cap)
    .map(([key]) => key.slice(3));
}
