import { cleanTitle } from '../catalog/cover-art/cover-art.rules';

/**
 * The dry-run half of `enrichtitles` that this server can do without the
 * vendored cleaner: movie rules only, and only where the old tool applied them (a `[YYYY]` or a
 * video file extension in the title). TV-looking titles are left for the real tool (skipped).
 */

const VIDEO_EXTENSION = /\.(mp4|mkv|avi|mov|m4v|wmv|webm|mpg|mpeg|flv|ts)\s*$/i;
const BRACKET_YEAR = /\[\s*(?:19|20)\d{2}\s*\]/;
const TV_MARKER = /\b[Ss]\d{1,2}\s*[Ee]\d{1,3}\b|\b\d{1,2}x\d{2}\b|[｜]|\bS\d{1,2}\s*Ep\s*\d+/;

export type TitleProposal = { kind: 'change'; proposed: string } | { kind: 'tv' } | { kind: 'none' };

/** What the title would become: "Night.of.the.Living.Dead.1968.1080p.mkv" → "Night of the Living Dead (1968)". */
export function proposeTitle(raw: string): TitleProposal {
  const title = raw.trim();
  if (TV_MARKER.test(title)) return { kind: 'tv' };
  if (!BRACKET_YEAR.test(title) && !VIDEO_EXTENSION.test(title)) return { kind: 'none' };
  const cleaned = cleanTitle(title);
  if (cleaned.title === '') return { kind: 'none' };
  const proposed = cleaned.year === null ? cleaned.title : `${cleaned.title} (${cleaned.year})`;
  return proposed === title ? { kind: 'none' } : { kind: 'change', proposed };
}

/** `days` → the first instant kept: the start of (today − days), UTC; null keeps everything. */
export function addedSince(nowMs: number, days: number | null): Date | null {
  if (days === null || !Number.isFinite(days) || days < 0) return null;
  const today = new Date(nowMs);
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - days));
}
