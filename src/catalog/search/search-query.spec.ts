import { isBlankQuery, MAX_TERMS, toFtsQuery } from './search-query';

describe('toFtsQuery', () => {
  it('quotes each word and makes the last one a prefix', () => {
    expect(toFtsQuery('midnight harb')).toEqual({
      match: '"midnight" "harb"*',
      terms: ['midnight', 'harb'],
      literals: [],
    });
  });

  it('can leave out the prefix star', () => {
    expect(toFtsQuery('midnight', { prefix: false })?.match).toBe('"midnight"');
  });

  it.each([
    ['"unbalanced', '"unbalanced"*'],
    ['(a OR b)', '"a" "OR" "b"*'],
    ['title:foo', '"title foo"*'],
    ['NOT', '"NOT"*'],
    ['a AND NEAR(b c)', '"a" "AND" "NEAR b" "c"*'],
    ['foo* ^bar', '"foo" "bar"*'],
    ["Don't Look", '"Don t" "Look"*'],
    ['-minus +plus', '"minus" "plus"*'],
    ['b-movie', '"b movie"*'],
  ])('neutralises FTS5 syntax in %j', (input, expected) => {
    expect(toFtsQuery(input)?.match).toBe(expected);
  });

  it.each([
    // [typed, MATCH, literals each result must contain]
    ['C++', '"C"*', ['c++']],
    ['learn (C++)', '"learn" "C"*', ['c++']],
    ['AT&T archives', '"AT T" "archives"*', ['at&t']],
    ['50%', '"50"*', ['50%']],
    ['Episode #241', '"Episode" "241"*', ['#241']],
    ['$5 movie night', '"5" "movie" "night"*', ['$5']],
    ['rock & roll', '"rock" "roll"*', []], // a lone symbol says nothing
    ['-minus +plus', '"minus" "plus"*', []], // search-engine syntax, not text
    ['Hello, world.', '"Hello" "world"*', []], // ordinary punctuation
    ['c++ C++', '"c" "C"*', ['c++']],
  ])('keeps meaningful symbols in %j as literals', (input, match, literals) => {
    expect(toFtsQuery(input)).toMatchObject({ match, literals });
  });

  it('keeps accents and non-Latin scripts, drops emoji', () => {
    expect(toFtsQuery('Amélie 東京物語 🎬')?.match).toBe('"Amélie" "東京物語"*');
  });

  it.each(['', '   ', '🎬🍿', '"()":*^', '-- ** ""', '\u0301\u0301'])(
    'returns null when nothing searchable is left (%j)',
    (input) => {
      expect(toFtsQuery(input)).toBeNull();
    },
  );

  it('caps the number and length of terms for very long input', () => {
    const q = toFtsQuery(`${'word '.repeat(200)}${'x'.repeat(1000)}`);
    expect(q?.terms).toHaveLength(MAX_TERMS);
    const long = toFtsQuery('y'.repeat(1000));
    expect(long?.terms[0]).toHaveLength(64);
  });

  it('never leaves a double quote inside a phrase', () => {
    const q = toFtsQuery('say "hello" to ""them""');
    expect(q?.match).toBe('"say" "hello" "to" "them"*');
  });

  it('treats non-strings as nothing', () => {
    expect(toFtsQuery(undefined)).toBeNull();
    expect(toFtsQuery(null)).toBeNull();
  });
});

describe('isBlankQuery', () => {
  it('is true for missing and whitespace-only input only', () => {
    expect(isBlankQuery(undefined)).toBe(true);
    expect(isBlankQuery(' \t ')).toBe(true);
    expect(isBlankQuery('🎬')).toBe(false);
  });
});
