/**
 * The metadata jobs' rules (enrichmeta, enrichtv): how complete a description already is, what
 * movie or episode a title names, whether a search hit is the same title, and the sectioned
 * description and canonical title we write. Pure functions only.
 */

import { proposeTitle } from './title-cleaner.rules';

export const MOVIE_MARKERS = [
  'Cast & Crew:',
  'Director(s):',
  'Cast:',
  'Genres:',
  'Content Rating:',
  'Release Year:',
  'Synopsis:',
  'Ratings:',
  'Original URL:',
  'Hosted Version:',
] as const;

export const TV_MARKERS = [
  'Show:',
  'Episode:',
  'Air Date:',
  'Synopsis:',
  'Guest Stars:',
  'Director(s):',
  'Ratings:',
  'Original URL:',
] as const;

function score(description: string, markers: readonly string[]): number {
  const text = description ?? '';
  const found = markers.filter((m) => text.includes(m)).length;
  return found * 10 + Math.min(Math.floor(text.length / 100), 30);
}

/** 10 points per movie section present, plus one per 100 characters (at most 30). */
export function movieScore(description: string): number {
  return score(description, MOVIE_MARKERS);
}

export function tvScore(description: string): number {
  return score(description, TV_MARKERS);
}

/** A description that came from Tubi (the fetch of a tubitv.com page). */
export function isTubiDescription(description: string): boolean {
  return /tubitv\.com|\bTubi\b/i.test(description ?? '');
}

// ---------------------------------------------------------------------------------------------
// Movie titles

export interface ParsedMovie {
  title: string;
  year: number | null;
  /** The show that hosts this showing ("Joe Bob's Drive-In"), or null. */
  host: string | null;
  rifftrax: boolean;
  /** Genre hints from "X | Full Movie | Horror, Thriller". */
  genres: string[];
}

const HOSTS: [RegExp, string][] = [
  [/^joe\s*bob'?s\s+drive[- ]in/i, "Joe Bob's Drive-In"],
  [/^the\s+last\s+drive[- ]in(?:\s+with\s+joe\s+bob(?:\s+briggs)?)?/i, 'The Last Drive-In'],
  [/^monstervision/i, 'MonsterVision'],
  [/^svengoolie/i, 'Svengoolie'],
];
const RIFFTRAX = /^riff\s*trax(?:\s+presents)?/i;
const SEPARATOR = /^[\s:|｜\-–—]+|^\s*presents\s*:?\s*/i;
const YEAR_IN = /[([]\s*((?:19|20)\d{2})\s*[)\]]|(?:^|\s)((?:19[2-9]\d|20[0-2]\d|2030))(?=\s|$)/;

function splitYear(text: string): { title: string; year: number | null } {
  const m = YEAR_IN.exec(text);
  if (!m) return { title: tidyTitle(text), year: null };
  const year = Number(m[1] ?? m[2]);
  const title = tidyTitle(text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length));
  return title === '' ? { title: tidyTitle(text), year: null } : { title, year };
}

function tidyTitle(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^[\s:|｜\-–—,]+|[\s:|｜\-–—,]+$/g, '')
    .trim();
}

/** What movie a catalog title names. */
export function parseMovieTitle(raw: string): ParsedMovie {
  let text = raw.trim();
  const cleaned = proposeTitle(text);
  if (cleaned.kind === 'change' && cleaned.rule === 'movie') text = cleaned.proposed;
  for (const [re, host] of HOSTS) {
    const m = re.exec(text);
    if (m) {
      const rest = text.slice(m[0].length).replace(SEPARATOR, '');
      return { ...splitYear(rest), host, rifftrax: false, genres: [] };
    }
  }
  const riff = RIFFTRAX.exec(text);
  if (riff) {
    const rest = text.slice(riff[0].length).replace(SEPARATOR, '');
    return { ...splitYear(rest), host: 'RiffTrax', rifftrax: true, genres: [] };
  }
  const parts = text.split(/\s+[|｜]\s+/);
  const full = parts.findIndex((p) => /^full\s+(movie|film)$/i.test(p.trim()));
  if (full > 0) {
    const genres = parts
      .slice(full + 1)
      .join(',')
      .split(/[,/]/)
      .map((g) => g.trim())
      .filter((g) => g !== '');
    return { ...splitYear(parts.slice(0, full).join(' ')), host: null, rifftrax: false, genres };
  }
  return { ...splitYear(text), host: null, rifftrax: false, genres: [] };
}

// ---------------------------------------------------------------------------------------------
// Episode titles

export interface ParsedEpisode {
  show: string;
  season: number;
  episode: number;
  /** The episode's own name when the title carries one. */
  name: string | null;
}

function ep(show: string, season: number, episode: number, name?: string): ParsedEpisode | null {
  const s = tidyTitle(show.replace(/[._]+/g, ' '));
  if (s === '' || !/\p{L}/u.test(s) || season < 0 || episode < 1) return null;
  const n = name ? tidyTitle(name.replace(/\.(mp4|mkv|avi|mov|webm)$/i, '')) : '';
  return { show: s, season, episode, name: n === '' ? null : n };
}

/**
 * The TV forms, in order: full-width pipe rips; SxxExx; NxNN; "Season N … Episode N"; a 3-digit
 * code NEE ("Show 304"); a bare episode number ("Show Episode 7", "Show #7": season 1).
 */
export function parseEpisodeTitle(raw: string): ParsedEpisode | null {
  const title = raw.trim();
  if (title.includes('｜')) {
    const [show, ...rest] = title.split('｜').map((p) => p.trim());
    const joined = rest.join(' ');
    const s = /\bSeason\s*(\d{1,2})\b/i.exec(joined) ?? /\bS(\d{1,2})\s*E\d{1,3}\b/i.exec(joined);
    const e = /\bEpisode\s*(\d{1,3})\b/i.exec(joined) ?? /\bS\d{1,2}\s*E(\d{1,3})\b/i.exec(joined);
    if (s && e) {
      const name = rest.find((p) => !/season|episode|\bS\d+\s*E\d+|full episode/i.test(p));
      return ep(show, Number(s[1]), Number(e[1]), name);
    }
  }
  let m = /^(.+?)[\s._-]*\bS(\d{1,2})[\s._]*E(\d{1,3})\b(.*)$/i.exec(title);
  if (m) return ep(m[1], Number(m[2]), Number(m[3]), m[4]);
  m = /^(.+?)[\s._-]+(\d{1,2})x(\d{2,3})\b(.*)$/i.exec(title);
  if (m) return ep(m[1], Number(m[2]), Number(m[3]), m[4]);
  m = /^(.+?)[\s,:-]*\bSeason\s*(\d{1,2})\b.*?\bEpisode\s*(\d{1,3})\b(.*)$/i.exec(title);
  if (m) return ep(m[1], Number(m[2]), Number(m[3]), m[4]);
  m = /^(.+?)\s+(\d)(\d{2})$/.exec(title);
  if (m && Number(m[3]) > 0) return ep(m[1], Number(m[2]), Number(m[3]));
  m = /^(.+?)\s+(?:Episode|Ep\.?|#)\s*(\d{1,3})\b(.*)$/i.exec(title);
  if (m) return ep(m[1], 1, Number(m[2]), m[3]);
  return null;
}

export function isTvTitle(title: string): boolean {
  return parseEpisodeTitle(title) !== null;
}

// ---------------------------------------------------------------------------------------------
// Matching

/** Lowercase, accents off, "&" → "and", punctuation and a leading article gone. */
export function normaliseTitle(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/^(the|a|an) /, '')
    .trim();
}

/** Ratcliff/Obershelp similarity (Python difflib's ratio): 2·matches / total length. */
export function sequenceRatio(a: string, b: string): number {
  if (a.length + b.length === 0) return 1;
  const matches = (x: string, y: string): number => {
    if (x.length === 0 || y.length === 0) return 0;
    let best = 0;
    let bi = 0;
    let bj = 0;
    const prev = new Array<number>(y.length + 1).fill(0);
    for (let i = 1; i <= x.length; i++) {
      let diag = 0;
      for (let j = 1; j <= y.length; j++) {
        const keep = prev[j];
        prev[j] = x[i - 1] === y[j - 1] ? diag + 1 : 0;
        if (prev[j] > best) {
          best = prev[j];
          bi = i - best;
          bj = j - best;
        }
        diag = keep;
      }
    }
    if (best === 0) return 0;
    return best + matches(x.slice(0, bi), y.slice(0, bj)) + matches(x.slice(bi + best), y.slice(bj + best));
  };
  return (2 * matches(a, b)) / (a.length + b.length);
}

/** Equal, one containing the other with a length ratio ≥ 0.5, or a sequence ratio ≥ 0.5. */
export function similarTitles(a: string, b: string): boolean {
  const x = normaliseTitle(a);
  const y = normaliseTitle(b);
  if (x === '' || y === '') return false;
  if (x === y) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (long.includes(short) && short.length / long.length >= 0.5) return true;
  return sequenceRatio(x, y) >= 0.5;
}

export interface SearchHit {
  title: string;
  year: number | null;
}

/** The first similar hit, right-year hits first; null when none is the same title. */
export function pickHit<T extends SearchHit>(
  hits: readonly T[],
  title: string,
  year: number | null,
): T | null {
  const ordered =
    year === null ? hits : [...hits.filter((h) => h.year === year), ...hits.filter((h) => h.year !== year)];
  return ordered.find((h) => similarTitles(h.title, title)) ?? null;
}

export function yearOf(date: string | null | undefined): number | null {
  const m = /^(\d{4})/.exec(date ?? '');
  return m ? Number(m[1]) : null;
}

// ---------------------------------------------------------------------------------------------
// Descriptions and titles

/** The blocks a rewrite keeps: the "Original URL:" line and the "Original Description:" block. */
export function keptBlocks(description: string): string[] {
  const text = description ?? '';
  const out: string[] = [];
  const url = /^Original URL:.*$/m.exec(text);
  if (url) out.push(url[0].trim());
  const idx = text.search(/^Original Description:/m);
  if (idx >= 0) {
    const block = text.slice(idx);
    // the block runs to the end, or to an Original URL line that follows it
    out.push(block.replace(/\n*^Original URL:.*$/m, '').trimEnd());
  }
  return out;
}

export interface MovieMetadata {
  title: string;
  year: number | null;
  synopsis: string;
  tagline: string;
  rating: string | null;
  runtimeMinutes: number | null;
  genres: string[];
  ratings: { source: string; value: string }[];
  directors: string[];
  cast: string[];
}

function section(lines: (string | null | false)[]): string | null {
  const kept = lines.filter((l): l is string => typeof l === 'string' && l.trim() !== '');
  return kept.length > 0 ? kept.join('\n') : null;
}

export function movieDescription(meta: MovieMetadata, parsed: ParsedMovie, existing: string): string {
  const ratings = meta.ratings.map((r) => `${r.source}: ${r.value}`).join(' · ');
  const parts = [
    parsed.host ? `Hosted Version: ${parsed.host}` : null,
    section([meta.synopsis && `Synopsis:\n${meta.synopsis}`]),
    section([meta.tagline && `Tagline: ${meta.tagline}`]),
    section([
      meta.year !== null && `Release Year: ${meta.year}`,
      meta.rating && `Content Rating: ${meta.rating}`,
      meta.runtimeMinutes !== null && `Runtime: ${meta.runtimeMinutes} min`,
    ]),
    section([meta.genres.length > 0 && `Genres: ${meta.genres.join(', ')}`]),
    section([ratings && `Ratings: ${ratings}`]),
    meta.directors.length + meta.cast.length > 0
      ? section([
          'Cast & Crew:',
          meta.directors.length > 0 && `Director(s): ${meta.directors.join(', ')}`,
          meta.cast.length > 0 && `Cast: ${meta.cast.join(', ')}`,
        ])
      : null,
    ...keptBlocks(existing),
  ];
  return parts.filter((p): p is string => p !== null && p !== '').join('\n\n');
}

/** "Title (Year)"; RiffTrax gets its prefix; other hosted showings keep their own title. */
export function canonicalMovieTitle(
  meta: { title: string; year: number | null },
  parsed: ParsedMovie,
  current: string,
): string {
  if (parsed.host !== null && !parsed.rifftrax) return current;
  const base = meta.year !== null ? `${meta.title} (${meta.year})` : meta.title;
  return (parsed.rifftrax ? `Rifftrax Presents: ${base}` : base).slice(0, 100);
}

export interface EpisodeMetadata {
  show: string;
  season: number;
  episode: number;
  name: string | null;
  airDate: string | null;
  synopsis: string;
  guestStars: string[];
  directors: string[];
  ratings: { source: string; value: string }[];
  showOverview: string;
}

export function episodeCode(season: number, episode: number): string {
  return `S${String(season).padStart(2, '0')}E${String(episode).padStart(2, '0')}`;
}

export function episodeDescription(meta: EpisodeMetadata, existing: string): string {
  const ratings = meta.ratings.map((r) => `${r.source}: ${r.value}`).join(' · ');
  const parts = [
    section([
      `Show: ${meta.show}`,
      `Episode: ${episodeCode(meta.season, meta.episode)}${meta.name ? ` – ${meta.name}` : ''}`,
      meta.airDate && `Air Date: ${meta.airDate}`,
    ]),
    section([(meta.synopsis || meta.showOverview) && `Synopsis:\n${meta.synopsis || meta.showOverview}`]),
    section([
      meta.guestStars.length > 0 && `Guest Stars: ${meta.guestStars.join(', ')}`,
      meta.directors.length > 0 && `Director(s): ${meta.directors.join(', ')}`,
    ]),
    section([ratings && `Ratings: ${ratings}`]),
    ...keptBlocks(existing),
  ];
  return parts.filter((p): p is string => p !== null && p !== '').join('\n\n');
}

/** `Show - S01E02 - Episode Title`, at most 100 characters. */
export function canonicalEpisodeTitle(
  show: string,
  season: number,
  episode: number,
  name: string | null,
): string {
  const base = `${show} - ${episodeCode(season, episode)}`;
  return (name ? `${base} - ${name}` : base).slice(0, 100).trim();
}
