/**
 * The chat line for a paid insert:
 * "<title> added to the queue with Zcoin by <user> and is now <position>."
 */

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

const IRREGULAR: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

/** English cardinal words for 0..999: "forty-two", "one hundred seven". */
export function cardinalWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) return String(n);
  if (n < 20) return ONES[n];
  if (n < 100) {
    const rest = n % 10;
    return rest === 0 ? TENS[Math.floor(n / 10)] : `${TENS[Math.floor(n / 10)]}-${ONES[rest]}`;
  }
  const hundreds = `${ONES[Math.floor(n / 100)]} hundred`;
  const rest = n % 100;
  return rest === 0 ? hundreds : `${hundreds} ${cardinalWords(rest)}`;
}

function ordinalOfWord(word: string): string {
  if (IRREGULAR[word]) return IRREGULAR[word];
  if (word.endsWith('y')) return `${word.slice(0, -1)}ieth`;
  return `${word}th`;
}

/** English ordinal words for 1..999: only the last word changes ("twenty-first", "one hundredth"). */
export function ordinalWords(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) return `${n}th`;
  const words = cardinalWords(n);
  const cut = Math.max(words.lastIndexOf(' '), words.lastIndexOf('-'));
  return words.slice(0, cut + 1) + ordinalOfWord(words.slice(cut + 1));
}

/** "next" for offset 1, else the ordinal of offset + 1 (now-playing counts as "first"). */
export function positionWord(offset: number): string {
  return offset === 1 ? 'next' : ordinalWords(offset + 1);
}

/** The announcement, or null when there is nothing to say (offset unknown or ≤ 0). */
export function announcementText(title: string, username: string, offset: number | null): string | null {
  if (offset === null || offset <= 0) return null;
  return `${title} added to the queue with Zcoin by ${username} and is now ${positionWord(offset)}.`;
}
