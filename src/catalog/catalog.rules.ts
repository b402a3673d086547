/**
 * Catalog rules: sorts, slugs, paging, reserved-token
 * resolution and the inputs of the visibility predicate. Pure functions only.
 */

export const PAGE_SIZE = 24;

export const SORTS = ['default', 'title_asc', 'title_desc', 'newest', 'oldest'] as const;
export type CatalogSort = (typeof SORTS)[number];

/** What each sort sorts by, as the select says it. */
export const SORT_LABELS: Record<CatalogSort, string> = {
  default: 'Posters first, then title A–Z',
  title_asc: 'Title A–Z',
  title_desc: 'Title Z–A',
  newest: 'Recently added first',
  oldest: 'Added longest ago first',
};

/** Length filters of browse (and the home page's rows). */
export const LENGTHS = ['short', 'movie'] as const;
export type CatalogLength = (typeof LENGTHS)[number];
/** Short: under 15 minutes; movie: an hour or more (the promos' movie threshold by default). */
export const LENGTH_RANGES: Record<CatalogLength, { minSec: number; maxSec: number | null; label: string }> =
  {
    short: { minSec: 1, maxSec: 15 * 60, label: 'Short picks' },
    movie: { minSec: 60 * 60, maxSec: null, label: 'Movies' },
  };

export function normaliseLength(value: unknown): CatalogLength | null {
  return typeof value === 'string' && (LENGTHS as readonly string[]).includes(value)
    ? (value as CatalogLength)
    : null;
}

/** Categories left out of browse, search, facets and pay-to-play unless an admin asks. */
export const HIDDEN_CATEGORIES: readonly string[] = [
  'Z Channel Promos',
  'Z Event Movies',
  'Weekday Z Promos',
];

/** The tag an admin's Hide adds (§7.10). */
export const HIDE_TAG = 'kryten-hidden';

/** Tags left out like the hidden categories (matched by exact name). */
export const HIDDEN_TAGS: readonly string[] = [
  'grindhousebumper',
  'commercialsforbumpers',
  'bumpers',
  'channelz',
  'grindhousetrailer',
  'publicaccess',
  'religioustv',
  HIDE_TAG,
];

/** Art sources that count as a "real poster" for the default sort. */
export const REAL_POSTER_SOURCES: readonly string[] = ['tmdb', 'omdb'];

export function isSort(value: unknown): value is CatalogSort {
  return typeof value === 'string' && (SORTS as readonly string[]).includes(value);
}

/** Browse: an unknown or missing sort key falls back to `default` (§2.1). */
export function normaliseSort(value: unknown): CatalogSort {
  return isSort(value) ? value : 'default';
}

export function totalPages(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(Math.max(0, total) / pageSize));
}

export function pageOffset(page: number, pageSize = PAGE_SIZE): number {
  return (Math.max(1, Math.floor(page)) - 1) * pageSize;
}

/**
 * The rows of page [offset, offset + limit) of `total`, counted from the end of the order when
 * that skips fewer rows: null for a page in the first half. Reversing every column of a sort
 * reverses its order exactly (the token tie-break makes it total, and both databases put NULLs
 * at opposite ends for the two directions).
 */
export function pageWindowFromEnd(
  total: number,
  offset: number,
  limit: number,
): { offset: number; limit: number } | null {
  const fromEnd = total - offset - limit;
  if (offset <= Math.max(0, fromEnd)) return null;
  return { offset: Math.max(0, fromEnd), limit: limit + Math.min(0, fromEnd) };
}

/**
 * Category slug: lowercased, non-word characters stripped, runs of spaces/underscores
 * (and hyphens) become one `-`. `taken` gives `-2`, `-3`… on collision.
 */
export function slugify(name: string, taken: ReadonlySet<string> = new Set()): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/[\s_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'category';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

const TOKEN_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether a path segment could be a MediaCMS friendly token. */
export function isTokenLike(value: string): boolean {
  return TOKEN_RE.test(value);
}

/**
 * The friendly token behind a saved-playlist `media_id` or a CyTube media id: a CyTube
 * manifest URL (`…/api/v1/media/cytube/TOKEN.json?format=json`), a watch URL (`…/view?m=TOKEN`),
 * a detail URL (`…/api/v1/media/TOKEN`) or a bare token. Anything else (a YouTube id inside a
 * URL, free text) → null.
 */
export function tokenFromMediaId(mediaId: string | null | undefined): string | null {
  if (typeof mediaId !== 'string') return null;
  const value = mediaId.trim();
  if (value === '') return null;
  const manifest = /\/api\/v1\/media\/cytube\/([A-Za-z0-9_-]+)\.json(?:[?#]|$)/.exec(value);
  if (manifest) return manifest[1];
  const watch = /\/view\?(?:[^#]*&)?m=([A-Za-z0-9_-]+)/.exec(value);
  if (watch) return watch[1];
  const detail = /\/api\/v1\/media\/([A-Za-z0-9_-]+)\/?(?:[?#]|$)/.exec(value);
  if (detail && detail[1] !== 'cytube') return detail[1];
  if (value.includes('/') || value.includes(':')) return null;
  return isTokenLike(value) ? value : null;
}

/** A saved-playlist row as the reservation rule sees it. */
export interface PlaylistMembership {
  media_type: string | null;
  media_id: string;
  is_immutable: boolean;
  promo_type: string | null;
}

/**
 * Tokens that nobody may browse, search, open or buy: items of any immutable (reserved)
 * playlist and of any promo pool, each media id resolved to a friendly token first
 * (0.10.0 compared the manifest URL with the token and never matched, §10.1).
 */
export function excludedTokens(rows: readonly PlaylistMembership[]): Set<string> {
  const out = new Set<string>();
  for (const row of rows) {
    if (!row.is_immutable && row.promo_type === null) continue;
    if (row.media_type && row.media_type !== 'cm' && !row.media_id.includes('/api/v1/media/')) continue;
    const token = tokenFromMediaId(row.media_id);
    if (token) out.add(token);
  }
  return out;
}

/** What the visibility predicate needs (built per request; the repository turns it into SQL). */
export interface VisibilityInput {
  /** Reserved and promo-pool tokens (always excluded). */
  excluded: ReadonlySet<string>;
  /** Hidden category names to exclude; empty when an admin asked for show_hidden. */
  hiddenCategories: readonly string[];
  hiddenTags: readonly string[];
}

/** `show_hidden` is honoured only for admins. */
export function visibilityFor(excluded: ReadonlySet<string>, showHidden: boolean): VisibilityInput {
  return {
    excluded,
    hiddenCategories: showHidden ? [] : HIDDEN_CATEGORIES,
    hiddenTags: showHidden ? [] : HIDDEN_TAGS,
  };
}

/** True when an item with these memberships is hidden by category or tag. */
export function isHiddenByFacets(categories: readonly string[], tags: readonly string[]): boolean {
  return categories.some((c) => HIDDEN_CATEGORIES.includes(c)) || tags.some((t) => HIDDEN_TAGS.includes(t));
}

/** The default order's "letter-led" test: titles starting with A–Z/a–z come first. */
export function isLetterLed(title: string): boolean {
  return /^[A-Za-z]/.test(title);
}

/**
 * The stored default-sort group (column `sort_group`, kept at write time):
 * 0 = real poster and letter-led, 1 = real poster, 2 = letter-led, 3 = neither.
 */
export function sortGroup(title: string, coverArtSource: string | null): number {
  const poster = coverArtSource !== null && REAL_POSTER_SOURCES.includes(coverArtSource) ? 0 : 2;
  return poster + (isLetterLed(title) ? 0 : 1);
}

/**
 * The stored title-sort key (column `title_sort`): A–Z lowercased, everything else kept, the
 * same as SQLite's `lower()` (so the migration's SQL backfill and this agree).
 */
export function titleSortKey(title: string): string {
  return title.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** Default order as a comparator (the SQL does the same; used for tests and small lists). */
export function compareDefault(
  a: { title: string; cover_art_source: string | null },
  b: { title: string; cover_art_source: string | null },
): number {
  const poster = (x: { cover_art_source: string | null }): number =>
    x.cover_art_source && REAL_POSTER_SOURCES.includes(x.cover_art_source) ? 0 : 1;
  return (
    poster(a) - poster(b) ||
    Number(!isLetterLed(a.title)) - Number(!isLetterLed(b.title)) ||
    a.title.toLowerCase().localeCompare(b.title.toLowerCase())
  );
}

/** One entry of the pager: a page number, or a gap. */
export type PagerEntry = { kind: 'page'; page: number; current: boolean } | { kind: 'gap' };

/** The pager window: current ±2 (clamped to 1..total). */
export function pageWindow(page: number, total: number, radius = 2): number[] {
  const last = Math.max(1, total);
  const current = Math.min(Math.max(1, page), last);
  const out: number[] = [];
  for (let p = Math.max(1, current - radius); p <= Math.min(last, current + radius); p++) out.push(p);
  return out;
}

/**
 * A link to `path` with the given query parameters, dropping empty ones (and page 1, sort
 * `default`, show_hidden false) so links stay short. Values are URI-encoded.
 */
export function catalogLink(
  path: string,
  params: Record<string, string | number | boolean | null | undefined>,
): string {
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(params)) {
    if (raw === null || raw === undefined || raw === '' || raw === false) continue;
    if (key === 'page' && Number(raw) === 1) continue;
    if (key === 'sort' && raw === 'default') continue;
    const value = raw === true ? '1' : String(raw);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return parts.length > 0 ? `${path}?${parts.join('&')}` : path;
}

/** The catalog row's fields as built from one MediaCMS list item. */
export interface CatalogRowInput {
  friendly_token: string;
  title: string;
  description: string | null;
  duration_sec: number;
  thumbnail_url: string | null;
  added_at: Date;
  manifest_url: string;
}

/** Map a `manage_media` item to catalog fields, or null when it has no usable token. */
export function rowFromMedia(
  media: {
    friendly_token?: unknown;
    title?: unknown;
    description?: unknown;
    duration?: unknown;
    thumbnail_url?: unknown;
    add_date?: unknown;
  },
  manifestUrlFor: (token: string) => string,
  now: Date,
): CatalogRowInput | null {
  const token = typeof media.friendly_token === 'string' ? media.friendly_token.trim() : '';
  if (!isTokenLike(token)) return null;
  const title = typeof media.title === 'string' && media.title.trim() !== '' ? media.title : 'Untitled';
  const duration =
    typeof media.duration === 'number' && Number.isFinite(media.duration)
      ? Math.max(0, Math.round(media.duration))
      : 0;
  const added = typeof media.add_date === 'string' ? new Date(media.add_date) : null;
  return {
    friendly_token: token,
    title,
    description: typeof media.description === 'string' ? media.description : null,
    duration_sec: duration,
    thumbnail_url:
      typeof media.thumbnail_url === 'string' && media.thumbnail_url !== '' ? media.thumbnail_url : null,
    added_at: added && !Number.isNaN(added.getTime()) ? added : now,
    manifest_url: manifestUrlFor(token),
  };
}

/** Whether an existing row differs from freshly synced fields (counts as "updated"). */
export function rowChanged(
  existing: {
    title: string;
    description: string | null;
    duration_sec: number | null;
    thumbnail_url: string | null;
    manifest_url: string;
    added_at: Date | null;
  },
  next: CatalogRowInput,
): boolean {
  return (
    existing.title !== next.title ||
    (existing.description ?? null) !== next.description ||
    (existing.duration_sec ?? 0) !== next.duration_sec ||
    (existing.thumbnail_url ?? null) !== next.thumbnail_url ||
    existing.manifest_url !== next.manifest_url ||
    (existing.added_at?.getTime() ?? null) !== next.added_at.getTime()
  );
}

/** An item's categories and tags by id, as stored or as a sync page wants them. */
export interface MembershipIds {
  categories: ReadonlySet<number>;
  tags: ReadonlySet<number>;
}

function sameIds(a: ReadonlySet<number> | undefined, b: ReadonlySet<number>): boolean {
  const stored = a ?? new Set<number>();
  if (stored.size !== b.size) return false;
  for (const id of b) if (!stored.has(id)) return false;
  return true;
}

/**
 * The tokens whose wanted memberships differ from the stored ones (an item with none stored has
 * empty sets). A re-sync of an unchanged catalog then rewrites no membership row, and its pages
 * leave the kept catalog pages alone.
 */
export function changedMemberships(
  stored: ReadonlyMap<string, MembershipIds>,
  wanted: ReadonlyMap<string, MembershipIds>,
): string[] {
  const changed: string[] = [];
  for (const [token, want] of wanted) {
    const have = stored.get(token);
    if (!sameIds(have?.categories, want.categories) || !sameIds(have?.tags, want.tags)) {
      changed.push(token);
    }
  }
  return changed;
}
