/**
 * Cover-art rules: the cleaned-title retry and provider result picking.
 * Pure functions only.
 */

export const ART_WIDTHS = [200, 400, 800] as const;

/** Release-name quality, source and codec tokens (compared lowercased, brackets stripped). */
export const QUALITY_TOKENS: readonly string[] = [
  '480p',
  '576p',
  '720p',
  '1080p',
  '1080i',
  '2160p',
  '4k',
  'uhd',
  'hdr',
  'hdr10',
  'dv',
  'bluray',
  'blu-ray',
  'bdrip',
  'brrip',
  'dvdrip',
  'webrip',
  'web-dl',
  'webdl',
  'web',
  'hdtv',
  'x264',
  'x265',
  'h264',
  'h265',
  'hevc',
  'aac',
  'remux',
  'proper',
  'repack',
];

const EXTENSIONS = /\.(mp4|mkv|avi|mov|m4v|wmv|webm|mpg|mpeg|flv|ts)$/i;

export interface CleanedTitle {
  title: string;
  year: number | null;
}

/**
 * A title without its file extension, release-name dots, year, `SxxEyy…` episode marker and
 * quality tokens (720p, BluRay, WEB-DL, …). The year (first 1900–2099 found) is returned apart.
 */
export function cleanTitle(raw: string): CleanedTitle {
  let t = raw.trim().replace(EXTENSIONS, '');
  // Release names use dots or underscores for spaces ("Night.of.the.Living.Dead.1968.1080p").
  if (!/\s/.test(t) && /[._]/.test(t)) t = t.replace(/[._]+/g, ' ');
  t = t.replace(/_/g, ' ');
  let year: number | null = null;
  const yearMatch = /(?:^|[\s([])((?:19|20)\d{2})(?=$|[\s)\].,])/.exec(t);
  if (yearMatch) {
    year = Number(yearMatch[1]);
    t = t.replace(/[([]\s*(?:19|20)\d{2}\s*[)\]]/g, ' ').replace(/(^|\s)(?:19|20)\d{2}(?=$|[\s.,])/g, ' ');
  }
  // Episode markers and everything after them: "Show S01E02 Title" → "Show".
  t = t.replace(/\s*\b[Ss]\d{1,2}\s*[Ee]\d{1,3}\b.*$/, '');
  t = t
    .split(/\s+/)
    .filter((w) => !QUALITY_TOKENS.includes(w.toLowerCase().replace(/[[\]()]/g, '')))
    .join(' ');
  t = t
    .replace(/\(\s*\)|\[\s*\]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-–—:,.]+|[\s\-–—:,.]+$/g, '')
    .trim();
  return { title: t, year };
}

/** Whether the cleaned title is worth a second lookup (it differs and is not empty). */
export function needsRetry(raw: string, cleaned: CleanedTitle): boolean {
  return cleaned.title !== '' && (cleaned.title !== raw.trim() || cleaned.year !== null);
}

export interface TmdbResult {
  poster_path?: string | null;
  popularity?: number;
}

/** The first result with a poster, from each list, and of those the more popular one. */
export function pickTmdbPoster(movies: readonly TmdbResult[], shows: readonly TmdbResult[]): string | null {
  const first = (list: readonly TmdbResult[]): TmdbResult | undefined =>
    list.find((r) => typeof r.poster_path === 'string' && r.poster_path !== '');
  const m = first(movies);
  const s = first(shows);
  if (m && s) return ((s.popularity ?? 0) > (m.popularity ?? 0) ? s : m).poster_path ?? null;
  return (m ?? s)?.poster_path ?? null;
}

/** OMDB's `Poster` field, when it is a real URL. */
export function omdbPoster(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { Response?: unknown; Poster?: unknown };
  if (b.Response !== 'True' || typeof b.Poster !== 'string') return null;
  return /^https?:\/\//.test(b.Poster) ? b.Poster : null;
}

/** `md5(token)[:8]` → the art directory under image_dir (hex digest passed in). */
export function artDirFromDigest(hexDigest: string): string {
  return hexDigest.slice(0, 8);
}
