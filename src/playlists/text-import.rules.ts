/**
 * The bulk text import format: one entry per line, never
 * throws. Pure: the catalog is a lookup function, the MediaCMS base URL an option.
 */

/** What the catalog knows about a token (an unfiltered lookup: reserved items resolve too). */
export interface CatalogHit {
  manifest_url: string;
  title: string | null;
  duration_sec: number | null;
}

export type CatalogLookup = (token: string) => CatalogHit | null;

export interface ParsedItem {
  media_type: string;
  media_id: string;
  title: string | null;
  duration_sec: number | null;
}

export type TextImportReason =
  'youtube_no_video_id' | 'no_token_in_url' | 'unsupported_site' | 'not_in_catalog';

export interface TextImportError {
  line: number;
  token: string;
  reason: TextImportReason;
  /** The reason in words. */
  message: string;
}

const REASON_WORDS: Record<TextImportReason, string> = {
  youtube_no_video_id: 'a YouTube link without a video id',
  no_token_in_url: 'a MediaCMS link without a media token',
  unsupported_site: 'links from this site cannot be played',
  not_in_catalog: 'not in the catalog (or removed from it)',
};

export function importReasonText(reason: TextImportReason): string {
  return REASON_WORDS[reason];
}

export interface TextImportResult {
  items: ParsedItem[];
  errors: TextImportError[];
}

export interface TextImportOptions {
  /** The configured MediaCMS base URL; its host counts as a dropsugar host. Empty/null: none. */
  mediacmsUrl?: string | null;
}

/** One line, classified before any catalog lookup. */
export type LineRef =
  | { kind: 'yt'; id: string; hint: string | null }
  | { kind: 'media-url'; token: string; hint: string | null; source: string }
  | { kind: 'cm'; token: string; hint: string | null; source: string }
  | { kind: 'bare'; token: string; hint: string | null; source: string }
  | { kind: 'error'; token: string; reason: TextImportReason };

const URL_RE = /https?:\/\/\S+/i;
const YT_ID = '[A-Za-z0-9_-]{11}';
const YT_SHORT_RE = new RegExp(`youtu\\.be/(${YT_ID})`, 'i');
const YT_V_RE = new RegExp(`[?&]v=(${YT_ID})`);
const YT_PATH_RE = new RegExp(`/(?:shorts|embed|v|live)/(${YT_ID})`, 'i');
const MANIFEST_TOKEN_RE = /\/media\/cytube\/([A-Za-z0-9_-]+)\.json/;
const M_PARAM_RE = /[?&]m=([A-Za-z0-9_-]+)/;

/** The host of an http(s) URL: the part between `://` and the first `/`, lower-cased. */
export function hostOf(url: string): string {
  const rest = url.replace(/^[a-z]+:\/\//i, '');
  const slash = rest.search(/[/?#]/);
  return (slash === -1 ? rest : rest.slice(0, slash)).toLowerCase();
}

/** A title hint: leading `-`/`–` and spaces removed; empty → null. */
export function titleHint(text: string): string | null {
  const hint = text.replace(/^[\s\-–]+/, '').trim();
  return hint === '' ? null : hint;
}

/** The constructed CyTube manifest URL for a token (same shape as MediaCmsClient.manifestUrl). */
export function constructedManifest(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/media/cytube/${token}.json?format=json`;
}

function isDropsugarHost(host: string, options: TextImportOptions): boolean {
  if (host.includes('dropsugar.')) return true;
  const base = options.mediacmsUrl?.trim();
  return Boolean(base) && host === hostOf(base as string);
}

function classifyUrl(url: string, hint: string | null, options: TextImportOptions): LineRef {
  const host = hostOf(url);
  if (host.includes('youtube.com') || host.includes('youtu.be')) {
    const match = YT_SHORT_RE.exec(url) ?? YT_V_RE.exec(url) ?? YT_PATH_RE.exec(url);
    return match
      ? { kind: 'yt', id: match[1], hint }
      : { kind: 'error', token: url, reason: 'youtube_no_video_id' };
  }
  if (isDropsugarHost(host, options)) {
    const match = MANIFEST_TOKEN_RE.exec(url) ?? M_PARAM_RE.exec(url);
    return match
      ? { kind: 'media-url', token: match[1], hint, source: url }
      : { kind: 'error', token: url, reason: 'no_token_in_url' };
  }
  return { kind: 'error', token: url, reason: 'unsupported_site' };
}

/**
 * One line without its comment, or null for a blank/comment-only line. A URL anywhere on the
 * line wins; otherwise the first word is `cm:TOKEN`, `yt:ID` or a bare token, and the rest of
 * the line is a title hint.
 */
export function classifyLine(raw: string, options: TextImportOptions = {}): LineRef | null {
  const hash = raw.indexOf('#');
  const line = (hash === -1 ? raw : raw.slice(0, hash)).trim();
  if (line === '') return null;
  const url = URL_RE.exec(line);
  if (url) {
    const cleaned = url[0].replace(/[.,;]+$/, '');
    const after = line.slice(url.index + url[0].length);
    return classifyUrl(cleaned, titleHint(after), options);
  }
  const [word, ...rest] = line.split(/\s+/);
  const hint = titleHint(rest.join(' '));
  const lower = word.toLowerCase();
  if (lower.startsWith('yt:')) {
    const id = word.slice(3);
    return id === ''
      ? { kind: 'error', token: line, reason: 'youtube_no_video_id' }
      : { kind: 'yt', id, hint };
  }
  if (lower.startsWith('cm:')) {
    const token = word.slice(3);
    return token === ''
      ? { kind: 'error', token: line, reason: 'not_in_catalog' }
      : { kind: 'cm', token, hint, source: line };
  }
  return { kind: 'bare', token: word, hint, source: line };
}

/** The catalog tokens a text refers to (so a caller can look them all up in one batch). */
export function referencedTokens(text: string, options: TextImportOptions = {}): string[] {
  const out = new Set<string>();
  for (const raw of splitLines(text)) {
    const ref = classifyLine(raw, options);
    if (ref && ref.kind !== 'yt' && ref.kind !== 'error') out.add(ref.token);
  }
  return [...out];
}

function splitLines(text: string): string[] {
  return typeof text === 'string' ? text.split(/\r\n|\r|\n/) : [];
}

function fromCatalog(hit: CatalogHit, hint: string | null): ParsedItem {
  return {
    media_type: 'cm',
    media_id: hit.manifest_url,
    title: hit.title || hint,
    duration_sec: hit.duration_sec ?? null,
  };
}

function safeLookup(lookup: CatalogLookup, token: string): CatalogHit | null {
  try {
    return lookup(token);
  } catch {
    return null;
  }
}

/** Resolve one classified line: an item, or the error reason. */
export function resolveLine(
  ref: LineRef,
  lookup: CatalogLookup,
  options: TextImportOptions = {},
): ParsedItem | { token: string; reason: TextImportReason } {
  const base = options.mediacmsUrl?.trim() || null;
  switch (ref.kind) {
    case 'error':
      return { token: ref.token, reason: ref.reason };
    case 'yt':
      return { media_type: 'yt', media_id: ref.id, title: ref.hint, duration_sec: null };
    case 'media-url':
    case 'cm': {
      const hit = safeLookup(lookup, ref.token);
      if (hit) return fromCatalog(hit, ref.hint);
      if (base) {
        return {
          media_type: 'cm',
          media_id: constructedManifest(base, ref.token),
          title: ref.hint,
          duration_sec: null,
        };
      }
      if (ref.kind === 'cm') {
        return { media_type: 'cm', media_id: ref.token, title: ref.hint, duration_sec: null };
      }
      return { token: ref.source, reason: 'not_in_catalog' };
    }
    case 'bare': {
      const hit = safeLookup(lookup, ref.token);
      return hit ? fromCatalog(hit, ref.hint) : { token: ref.source, reason: 'not_in_catalog' };
    }
  }
}

/** Parse the whole text. Lines are numbered from 1; blank and comment-only lines are skipped. */
export function parseTextImport(
  text: string,
  lookup: CatalogLookup,
  options: TextImportOptions = {},
): TextImportResult {
  const result: TextImportResult = { items: [], errors: [] };
  splitLines(text).forEach((raw, index) => {
    const ref = classifyLine(raw, options);
    if (!ref) return;
    const out = resolveLine(ref, lookup, options);
    if ('reason' in out) {
      result.errors.push({
        line: index + 1,
        token: out.token,
        reason: out.reason,
        message: importReasonText(out.reason),
      });
    } else result.items.push(out);
  });
  return result;
}
