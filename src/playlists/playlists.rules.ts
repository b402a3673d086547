/** Pure rules of saved playlists (reservation side effects, item shapes). */

/** CyTube media types a saved playlist item may carry (`cm` = a MediaCMS manifest URL). */
export const MEDIA_TYPES = [
  'cm',
  'yt',
  'vi',
  'dm',
  'sc',
  'li',
  'tw',
  'tc',
  'cu',
  'fi',
  'gd',
  'hl',
  'rt',
  'im',
  'mx',
  'us',
  'sb',
  'hb',
  'jw',
  'rv',
] as const;

/** The catalog-visibility facts of a playlist: reserved items and promo pools leave the catalog. */
export interface VisibilityFacts {
  is_immutable: boolean;
  promo_type: string | null;
}

/** Whether a playlist's items are kept out of the public catalog. */
export function hidesItems(p: VisibilityFacts): boolean {
  return p.is_immutable || p.promo_type !== null;
}

/** Whether an update changes what the catalog must hide (flags changed on either side). */
export function visibilityChanged(before: VisibilityFacts, after: VisibilityFacts): boolean {
  return before.is_immutable !== after.is_immutable || before.promo_type !== after.promo_type;
}

/** Items with positions 0..n-1 in the given order. */
export function withPositions<T>(items: readonly T[]): (T & { position: number })[] {
  return items.map((item, position) => ({ ...item, position }));
}

/** The next append position: MAX(position)+1, 0 for an empty playlist. */
export function nextPosition(maxPosition: number | null | undefined): number {
  return typeof maxPosition === 'number' && Number.isFinite(maxPosition) ? maxPosition + 1 : 0;
}
