import { announcementText, cardinalWords, ordinalWords, positionWord } from './announcement.rules';

describe('announcement rules', () => {
  it.each([
    [1, 'first'],
    [2, 'second'],
    [3, 'third'],
    [4, 'fourth'],
    [5, 'fifth'],
    [8, 'eighth'],
    [9, 'ninth'],
    [11, 'eleventh'],
    [12, 'twelfth'],
    [20, 'twentieth'],
    [21, 'twenty-first'],
    [42, 'forty-second'],
    [99, 'ninety-ninth'],
    [100, 'one hundredth'],
    [107, 'one hundred seventh'],
    [123, 'one hundred twenty-third'],
    [340, 'three hundred fortieth'],
    [999, 'nine hundred ninety-ninth'],
  ])('ordinal of %i is %s', (n, words) => {
    expect(ordinalWords(n)).toBe(words);
  });

  it('writes cardinals with hyphenated tens', () => {
    expect(cardinalWords(0)).toBe('zero');
    expect(cardinalWords(42)).toBe('forty-two');
    expect(cardinalWords(700)).toBe('seven hundred');
    expect(cardinalWords(1000)).toBe('1000');
  });

  it('says "next" for offset 1, else the ordinal of offset + 1', () => {
    expect(positionWord(1)).toBe('next');
    expect(positionWord(2)).toBe('third');
    expect(positionWord(41)).toBe('forty-second');
    expect(positionWord(106)).toBe('one hundred seventh');
  });

  it('builds the chat line, or nothing for offset ≤ 0 or unknown', () => {
    expect(announcementText('Big Movie', 'alice', 1)).toBe(
      'Big Movie added to the queue with Zcoin by alice and is now next.',
    );
    expect(announcementText('Big Movie', 'alice', 2)).toBe(
      'Big Movie added to the queue with Zcoin by alice and is now third.',
    );
    expect(announcementText('X', 'a', 0)).toBeNull();
    expect(announcementText('X', 'a', null)).toBeNull();
  });
});
