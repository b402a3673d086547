/**
 * Turns whatever a user typed into a safe FTS5 query (pure; no SQL here).
 *
 * Every whitespace-separated word becomes a quoted phrase of its letter/number runs, so FTS5
 * syntax in the input (quotes, parentheses, `:`, `*`, `^`, `AND`/`OR`/`NOT`/`NEAR`, `-`) is
 * only ever text. The last word gets `*` for prefix matching as the user types. Words are
 * joined with spaces (implicit AND). Returns null when nothing searchable is left.
 */

/** At most this many words are searched; the rest is ignored. */
export const MAX_TERMS = 12;
/** Each word is cut to this many characters. */
export const MAX_TERM_LENGTH = 64;

const RUN_RE = /[\p{L}\p{N}\p{M}]+/gu;
const LETTER_OR_DIGIT_RE = /[\p{L}\p{N}]/u;

export interface FtsQuery {
  /** The MATCH expression, e.g. `"midnight" "harb"*`. */
  match: string;
  /** The words searched (for display/debugging). */
  terms: string[];
}

export function toFtsQuery(
  input: string | null | undefined,
  options: { prefix?: boolean } = {},
): FtsQuery | null {
  if (typeof input !== 'string') return null;
  const phrases: string[] = [];
  for (const word of input.normalize('NFC').split(/\s+/)) {
    if (phrases.length >= MAX_TERMS) break;
    const runs = word
      .slice(0, MAX_TERM_LENGTH * 4)
      .match(RUN_RE)
      ?.filter((r) => LETTER_OR_DIGIT_RE.test(r));
    if (!runs || runs.length === 0) continue;
    const phrase = runs.join(' ').slice(0, MAX_TERM_LENGTH).trim();
    if (phrase !== '') phrases.push(phrase);
  }
  if (phrases.length === 0) return null;
  const prefix = options.prefix ?? true;
  // Only letters, numbers and spaces remain, so no `"` needs escaping inside the quotes.
  const match = phrases.map((p, i) => (prefix && i === phrases.length - 1 ? `"${p}"*` : `"${p}"`)).join(' ');
  return { match, terms: phrases };
}

/** A blank query (only whitespace) is a "Query required" error, not an empty result. */
export function isBlankQuery(input: string | null | undefined): boolean {
  return typeof input !== 'string' || input.trim() === '';
}
