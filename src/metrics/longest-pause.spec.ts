import { LongestSinceRead } from './longest-pause';

describe('LongestSinceRead: the longest pause of each scrape window', () => {
  it.each([
    { seen: [], longest: 0 },
    { seen: [3], longest: 3 },
    { seen: [3, 41.5, 7], longest: 41.5 },
    { seen: [0.2, 0.1], longest: 0.2 },
  ])('reads $longest after $seen', ({ seen, longest }) => {
    const window = new LongestSinceRead();
    for (const value of seen) window.observe(value);
    expect(window.read()).toBe(longest);
  });

  it('starts a new window at each read', () => {
    const window = new LongestSinceRead();
    window.observe(30);
    expect(window.read()).toBe(30);
    expect(window.read()).toBe(0);
    window.observe(4);
    expect(window.read()).toBe(4);
  });
});
