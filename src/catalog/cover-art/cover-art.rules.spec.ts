import { cleanTitle, needsRetry, omdbPoster, pickTmdbPoster } from './cover-art.rules';

describe('cleanTitle', () => {
  it.each([
    ['Night.of.the.Living.Dead.1968.1080p.mp4', 'Night of the Living Dead', 1968],
    ['Midnight Harbor (1987)', 'Midnight Harbor', 1987],
    ['(1989) Crimson Castle', 'Crimson Castle', 1989],
    ['Neon Robot S02E07', 'Neon Robot', null],
    ['Neon Robot S02E07 The Return 720p', 'Neon Robot', null],
    ['Alien 1979 BluRay x264 HDR', 'Alien', 1979],
    ['The Thing [1982] WEB-DL 2160p 4K', 'The Thing', 1982],
    ['Forgotten Island HDTV', 'Forgotten Island', null],
    ['Plain Title', 'Plain Title', null],
    ['2001: A Space Odyssey', '2001: A Space Odyssey', null],
  ])('%s → %s (%s)', (raw, title, year) => {
    expect(cleanTitle(raw)).toEqual({ title, year });
  });

  it('says when a retry is worth it', () => {
    expect(needsRetry('Plain Title', cleanTitle('Plain Title'))).toBe(false);
    expect(needsRetry('Alien (1979)', cleanTitle('Alien (1979)'))).toBe(true);
    expect(needsRetry('1080p', cleanTitle('1080p'))).toBe(false);
  });
});

describe('pickTmdbPoster', () => {
  it('takes the first result with a poster from each list and keeps the more popular', () => {
    expect(
      pickTmdbPoster(
        [
          { poster_path: null, popularity: 99 },
          { poster_path: '/m.jpg', popularity: 5 },
        ],
        [{ poster_path: '/t.jpg', popularity: 7 }],
      ),
    ).toBe('/t.jpg');
    expect(
      pickTmdbPoster([{ poster_path: '/m.jpg', popularity: 9 }], [{ poster_path: '/t.jpg', popularity: 7 }]),
    ).toBe('/m.jpg');
    expect(pickTmdbPoster([], [{ poster_path: '/t.jpg' }])).toBe('/t.jpg');
    expect(pickTmdbPoster([{ popularity: 3 }], [])).toBeNull();
  });
});

describe('omdbPoster', () => {
  it('accepts only a real poster URL', () => {
    expect(omdbPoster({ Response: 'True', Poster: 'https://img/p.jpg' })).toBe('https://img/p.jpg');
    expect(omdbPoster({ Response: 'True', Poster: 'N/A' })).toBeNull();
    expect(omdbPoster({ Response: 'False', Error: 'Movie not found!' })).toBeNull();
    expect(omdbPoster('nope')).toBeNull();
  });
});
