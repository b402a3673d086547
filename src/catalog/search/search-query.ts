/**
 * Turns whatever a user typed into a safe FTS5 query (pure; no SQL here).
 *
 * Every whitespace-separated word becomes a quoted phrase of its letter/number runs, so FTS5
 * syntax in the input (quotes, parentheses, `:`, `*`, `^`, `AND`/`OR`/`NOT`/`NEAR`, `-`) is
 * only ever text. The last word gets `*` for prefix matching as the user types. Words are
 * joined with spaces (implicit AND). Returns null when nothing searchable is left.
 *
 * Words a person types with meaningful symbols (`C++`, `AT&T`, `50%`, `#241`) are also kept as
 * literals: the text index cannot see the symbols, so a result must contain each literal as it
 * was typed (case-insensitive) — `C++` finds "Learning C++", not every word starting with C.
 */

/** At most this many words are searched; the rest is ignored. */
export const MAX_TERMS = 12;
/** Each word is cut to this many characters. */
export const MAX_TERM_LENGTH = 64;

const RUN_RE = /[\p{L}\p{N}\p{M}]+/gu;
const LETTER_OR_DIGIT_RE = /[\p{L}\p{N}]/u;
/** Symbols that change what a word means; other punctuation (commas, quotes, brackets) does not. */
const MEANINGFUL = '+&%#@$€£';
/** Leading and trailing characters that are neither letters, digits nor meaningful symbols. */
const EDGE_RE = /^[^\p{L}\p{N}+&%#@$€£]+|[^\p{L}\p{N}+&%#@$€£]+$/gu;

export interface FtsQuery {
  /** The MATCH expression, e.g. `"midnight" "harb"*`. */
  match: string;
  /** The words searched (for display/debugging). */
  terms: string[];
  /** Lower-cased words with symbols that each result must contain as typed (e.g. `c++`). */
  literals: string[];
}

/** The word as typed, when a symbol in it matters (`(C++)` → `c++`); else null. */
export function literalOf(word: string): string | null {
  // A leading `+` is search-engine syntax ("must have"), not part of the word.
  const trimmed = word.replace(EDGE_RE, '').replace(/^\++/, '');
  if (![...trimmed].some((ch) => MEANINGFUL.includes(ch))) return null;
  if (!LETTER_OR_DIGIT_RE.test(trimmed)) return null; // a lone symbol says nothing
  return trimmed.toLowerCase().slice(0, MAX_TERM_LENGTH);
}

export function toFtsQuery(
  input: string | null | undefined,
  options: { prefix?: boolean } = {},
): FtsQuery | null {
  if (typeof input !== 'string') return null;
  const phrases: string[] = [];
  const literals: string[] = [];
  for (const word of input.normalize('NFC').split(/\s+/)) {
    if (phrases.length >= MAX_TERMS) break;
    const literal = literalOf(word);
    if (literal !== null && !literals.includes(literal)) literals.push(literal);
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
  return { match, terms: phrases, literals };
}

/** A blank query (only whitespace) is a "Query required" error, not an empty result. */
export function isBlankQuery(input: string | null | undefined): boolean {
  return typeof input !== 'string' || input.trim() === '';
}
