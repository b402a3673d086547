/**
 * The `enrichtitles` cleaner: legacy upload names → titles a viewer can read. TV rules run first
 * and produce "Show S01E08"; movie rules run only when the title carries a `[YYYY]` or a video
 * file extension (the signs of a raw upload), so a hand-written title is never touched.
 * Pure functions only.
 */

import { QUALITY_TOKENS } from '../../catalog/cover-art/cover-art.rules';

const VIDEO_EXTENSION = /\.(mp4|mkv|avi|mov|m4v|wmv|webm|mpg|mpeg|flv|ts|m2ts|divx|ogv)\s*$/i;
const BRACKET_YEAR = /\[\s*((?:19|20)\d{2})\s*\]/g;

/**
 * Scene, codec, source and audio tags (compared lowercased, brackets stripped): the cover-art
 * cleaner's quality tokens plus the scene words only a file name carries.
 */
const RELEASE_TAGS = new Set([
  ...QUALITY_TOKENS,
  'sdr',
  'dvdscr',
  'dvd',
  'hdrip',
  'tvrip',
  'vhsrip',
  'h.264',
  'h.265',
  'avc',
  'xvid',
  'divx',
  '10bit',
  '8bit',
  'aac2.0',
  'ac3',
  'dts',
  'dts-hd',
  'truehd',
  'atmos',
  'dd5.1',
  'ddp5.1',
  'dd2.0',
  'flac',
  'mp3',
  '5.1',
  '2.0',
  'internal',
  'limited',
  'rerip',
  'yify',
  'yts',
  'rarbg',
]);

export type TitleProposal = { kind: 'change'; proposed: string; rule: TitleRule } | { kind: 'none' };

export type TitleRule = 'tv_pipe' | 'tv_numbered' | 'tv_ep' | 'tv_file' | 'movie';

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function episodeCode(season: number, episode: number): string {
  return `S${pad2(season)}E${pad2(episode)}`;
}

/** Dots and underscores → spaces, stray brackets and dashes off the ends, spaces collapsed. */
function tidy(text: string): string {
  return text
    .replace(/[._]+/g, ' ')
    .replace(/\(\s*\)|\[\s*\]|\{\s*\}/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-–—:,|｜]+|[\s\-–—:,|｜([{]+$/g, '')
    .trim();
}

function show(text: string): string {
  return tidy(text.replace(VIDEO_EXTENSION, ''));
}

/** "Cheers ｜ Season 3 Episode 5 ｜ Full Episode", "Cheers ｜ S3 E5" → "Cheers S03E05". */
function tvPipe(title: string): string | null {
  if (!title.includes('｜')) return null;
  const parts = title.split('｜').map((p) => p.trim());
  const rest = parts.slice(1).join(' ');
  const season = /\bSeason\s*(\d{1,2})\b/i.exec(rest) ?? /\bS(\d{1,2})\s*E\d{1,3}\b/i.exec(rest);
  const episode = /\bEpisode\s*(\d{1,3})\b/i.exec(rest) ?? /\bS\d{1,2}\s*E(\d{1,3})\b/i.exec(rest);
  if (!season || !episode || !parts[0]) return null;
  return `${show(parts[0])} ${episodeCode(Number(season[1]), Number(episode[1]))}`;
}

/** "012 - Show Name - S01E08 - Pilot" → "Show Name S01E08". */
function tvNumbered(title: string): string | null {
  const m = /^\s*\d{1,4}\s*[-.)_]\s*(.+?)[\s._-]*\bS(\d{1,2})\s*E(\d{1,3})\b/i.exec(title);
  if (!m || !/\p{L}/u.test(m[1])) return null;
  return `${show(m[1])} ${episodeCode(Number(m[2]), Number(m[3]))}`;
}

/** "Show Name S04 Ep 20" → "Show Name S04E20". */
function tvEp(title: string): string | null {
  const m = /^(.+?)[\s._-]*\bS(\d{1,2})\s*Ep\.?\s*(\d{1,3})\b/i.exec(title);
  if (!m) return null;
  return `${show(m[1])} ${episodeCode(Number(m[2]), Number(m[3]))}`;
}

/** "Show.Name.S01E08.720p.mkv", "Show Name 1x08.avi" → "Show Name S01E08" (needs the extension). */
function tvFile(title: string): string | null {
  if (!VIDEO_EXTENSION.test(title)) return null;
  const m =
    /^(.+?)[\s._-]*\bS(\d{1,2})[\s._-]*E(\d{1,3})\b/i.exec(title) ??
    /^(.+?)[\s._-]+(\d{1,2})x(\d{2,3})\b/i.exec(title);
  if (!m) return null;
  return `${show(m[1])} ${episodeCode(Number(m[2]), Number(m[3]))}`;
}

/** The movie rules; null when the title has neither trigger. */
function movie(title: string): string | null {
  BRACKET_YEAR.lastIndex = 0;
  if (!BRACKET_YEAR.test(title) && !VIDEO_EXTENSION.test(title)) return null;
  let t = title.replace(VIDEO_EXTENSION, '').replace(BRACKET_YEAR, '($1)');
  t = t.replace(/[._]+/g, (sep, offset: number, all: string) =>
    // keep the dot in "5.1"-style tags so the tag list can drop them whole
    sep === '.' && /\d$/.test(all.slice(0, offset)) && /^\d(?!\d)/.test(all.slice(offset + 1)) ? sep : ' ',
  );
  const words = t.split(/\s+/).filter((w) => {
    const bare = w.toLowerCase().replace(/[[\](){}]/g, '');
    const tag = bare.split('-')[0];
    return !RELEASE_TAGS.has(bare) && !(RELEASE_TAGS.has(tag) && bare.includes('-'));
  });
  t = words.join(' ');
  // a bare release-name year at the end becomes "(YYYY)"
  t = t.replace(/(^|\s)((?:19|20)\d{2})\s*$/, (_m, lead: string, year: string) => `${lead}(${year})`);
  t = tidy(t.replace(/\[[^\]]*$|^[^[]*\]/g, (m) => m.replace(/[[\]]/g, '')));
  t = t.replace(/\s+\(/g, ' (').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')');
  return t === '' || /^S\d{1,2}E\d{1,3}$/i.test(t) ? null : t;
}

const TV_RULES: [TitleRule, (t: string) => string | null][] = [
  ['tv_pipe', tvPipe],
  ['tv_numbered', tvNumbered],
  ['tv_ep', tvEp],
  ['tv_file', tvFile],
];

/** What the cleaner makes of a title, and which rule did it. */
export function proposeTitle(raw: string): TitleProposal {
  const title = raw.trim();
  if (title === '') return { kind: 'none' };
  for (const [rule, apply] of TV_RULES) {
    const proposed = apply(title);
    if (proposed !== null && !/^\s*S\d/.test(proposed)) {
      return proposed === title ? { kind: 'none' } : { kind: 'change', proposed, rule };
    }
  }
  const proposed = movie(title);
  if (proposed === null || proposed === title) return { kind: 'none' };
  return { kind: 'change', proposed: proposed.slice(0, 100), rule: 'movie' };
}

/** `days` → the first instant kept: the start of (today − days), UTC; null keeps everything. */
export function addedSince(nowMs: number, days: number | null): Date | null {
  if (days === null || !Number.isFinite(days) || days < 0) return null;
  const today = new Date(nowMs);
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - days));
}
