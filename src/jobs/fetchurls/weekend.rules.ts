/**
 * The weekend workbook's rules: which sheet is this weekend's, how its rows split into the
 * three sections, and what kind of link each row holds. Pure functions only.
 */

export type Section = 'friday' | 'saturday-morning' | 'saturday-night';
export const SECTIONS: readonly Section[] = ['friday', 'saturday-morning', 'saturday-night'];

/** The fixed playlist each section is imported into. */
export const SECTION_PLAYLISTS: Record<Section, string> = {
  friday: 'Friday Night',
  'saturday-morning': 'Saturday Morning',
  'saturday-night': 'Saturday Night',
};

/**
 * The upcoming weekend's sheet name `M.D-M.D` (Friday to Sunday, no zero padding). Friday is
 * today + ((4 − weekday) mod 7) with Monday = 0: a Friday is its own weekend, Saturday and
 * Sunday roll on to the next one. `date` is the channel's local calendar date.
 */
export function weekendSheetName(date: { year: number; month: number; day: number }): string {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day));
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  const friday = new Date(d.getTime() + ((((4 - weekday) % 7) + 7) % 7) * 86_400_000);
  const sunday = new Date(friday.getTime() + 2 * 86_400_000);
  const md = (x: Date): string => `${x.getUTCMonth() + 1}.${x.getUTCDate()}`;
  return `${md(friday)}-${md(sunday)}`;
}

export function isWeekendSheetName(name: string): boolean {
  return /^\d{1,2}\.\d{1,2}-\d{1,2}\.\d{1,2}$/.test(name.trim());
}

/** A calendar date in an IANA time zone (the channel's), from an instant. */
export function localDate(nowMs: number, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(nowMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

export interface SheetRow {
  row: number;
  /** Column A: section headers. */
  a: string;
  /** Column E: the source URL. */
  e: string;
  /** Column F: the URL resolved by an earlier run. */
  f: string;
}

export interface WorkbookEntry {
  section: Section;
  row: number;
  url: string;
  resolved: string | null;
  label: string;
}

/** Column A header → section; "saturday morning" before "saturday"; Sunday ends a section. */
export function sectionOf(header: string): Section | 'other' | null {
  const h = header.toLowerCase();
  if (h.includes('friday')) return 'friday';
  if (h.includes('saturday morning')) return 'saturday-morning';
  if (h.includes('saturday')) return 'saturday-night';
  if (h.includes('sunday')) return 'other';
  return null;
}

/** The URL rows under each section header (column E starting with http). */
export function parseSheet(rows: readonly SheetRow[]): { entries: WorkbookEntry[]; ignored: number } {
  const entries: WorkbookEntry[] = [];
  let current: Section | 'other' | null = null;
  let ignored = 0;
  for (const r of rows) {
    const header = r.a.trim() !== '' && !/^https?:\/\//i.test(r.e.trim()) ? sectionOf(r.a) : null;
    if (header !== null) {
      current = header;
      continue;
    }
    const url = r.e.trim();
    if (!/^https?:\/\//i.test(url)) continue;
    if (current === null || current === 'other') {
      ignored++;
      continue;
    }
    const resolved = r.f.trim();
    entries.push({
      section: current,
      row: r.row,
      url,
      resolved: /^https?:\/\//i.test(resolved) ? resolved : null,
      label: r.a.trim(),
    });
  }
  return { entries, ignored };
}

export type LinkKind = 'dropsugar' | 'download' | 'unknown';

export const DEFAULT_DOWNLOAD_HOSTS = ['youtube.com', 'youtu.be', 'tubitv.com'];

/**
 * A media link on our MediaCMS (its host, or dropsugar.com, with a watch, API or manifest path),
 * a link on a site we download from (a host in `downloadHosts` or a subdomain of one), or
 * anything else.
 */
export function linkKind(
  url: string,
  mediacmsUrl: string,
  downloadHosts: readonly string[] = DEFAULT_DOWNLOAD_HOSTS,
): LinkKind {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'unknown';
  }
  const host = parsed.host.toLowerCase().replace(/^www\./, '');
  let ours = '';
  try {
    ours = new URL(mediacmsUrl).host.toLowerCase().replace(/^www\./, '');
  } catch {
    // no MediaCMS host configured
  }
  const mediaPath = /^\/(view$|api\/v1\/media\/)/.test(parsed.pathname);
  if ((host === ours || host === 'dropsugar.com') && mediaPath) return 'dropsugar';
  const hostname = parsed.hostname.toLowerCase().replace(/^www\./, '');
  if (downloadHosts.some((h) => hostname === h || hostname.endsWith(`.${h}`) || parsed.host === h)) {
    return 'download';
  }
  return 'unknown';
}

/** The validity check: GET for MediaCMS manifests (HEAD is not routed there), HEAD otherwise. */
export function checkMethod(url: string): 'GET' | 'HEAD' {
  return /\/api\/v1\/media\//.test(url) ? 'GET' : 'HEAD';
}
