import {
  canonicalEpisodeTitle,
  canonicalMovieTitle,
  episodeDescription,
  keptBlocks,
  movieDescription,
  movieScore,
  parseEpisodeTitle,
  parseMovieTitle,
  pickHit,
  sequenceRatio,
  similarTitles,
  tvScore,
} from './metadata.rules';

describe('description scores', () => {
  it('10 points per section marker plus one per 100 characters, at most 30', () => {
    expect(movieScore('')).toBe(0);
    expect(movieScore('Synopsis:\nx')).toBe(10);
    expect(movieScore('Genres: a\nCast: b\nOriginal URL: c')).toBe(30);
    expect(movieScore('x'.repeat(250))).toBe(2);
    expect(movieScore('x'.repeat(10_000))).toBe(30);
    expect(tvScore('Show: a\nEpisode: S01E01\nAir Date: 1960-01-01')).toBe(30);
  });
});

describe('parseMovieTitle', () => {
  it.each([
    [
      'Night of the Living Dead (1968)',
      { title: 'Night of the Living Dead', year: 1968, host: null, rifftrax: false, genres: [] },
    ],
    [
      'Carnival of Souls [1962]',
      { title: 'Carnival of Souls', year: 1962, host: null, rifftrax: false, genres: [] },
    ],
    ['Detour 1945', { title: 'Detour', year: 1945, host: null, rifftrax: false, genres: [] }],
    [
      'Night.of.the.Living.Dead.1968.1080p.mkv',
      { title: 'Night of the Living Dead', year: 1968, host: null, rifftrax: false, genres: [] },
    ],
    [
      "Joe Bob's Drive-In: Re-Animator (1985)",
      { title: 'Re-Animator', year: 1985, host: "Joe Bob's Drive-In", rifftrax: false, genres: [] },
    ],
    [
      'The Last Drive-In - Tourist Trap',
      { title: 'Tourist Trap', year: null, host: 'The Last Drive-In', rifftrax: false, genres: [] },
    ],
    [
      'MonsterVision: Godzilla vs. Megalon',
      { title: 'Godzilla vs. Megalon', year: null, host: 'MonsterVision', rifftrax: false, genres: [] },
    ],
    [
      'Svengoolie - The Wolf Man (1941)',
      { title: 'The Wolf Man', year: 1941, host: 'Svengoolie', rifftrax: false, genres: [] },
    ],
    [
      'RiffTrax Presents: Plan 9 from Outer Space',
      { title: 'Plan 9 from Outer Space', year: null, host: 'RiffTrax', rifftrax: true, genres: [] },
    ],
    [
      'The Terror | Full Movie | Horror, Thriller',
      { title: 'The Terror', year: null, host: null, rifftrax: false, genres: ['Horror', 'Thriller'] },
    ],
    [
      '2001: A Space Odyssey',
      { title: '2001: A Space Odyssey', year: null, host: null, rifftrax: false, genres: [] },
    ],
  ])('%s', (raw, parsed) => {
    expect(parseMovieTitle(raw)).toEqual(parsed);
  });
});

describe('parseEpisodeTitle (the TV forms, in order)', () => {
  it.each([
    [
      'Dragnet ｜ Season 1 Episode 8 ｜ The Big Actor',
      { show: 'Dragnet', season: 1, episode: 8, name: 'The Big Actor' },
    ],
    ['Bonanza S05E21 The Pure Truth', { show: 'Bonanza', season: 5, episode: 21, name: 'The Pure Truth' }],
    ['Gunsmoke - S04E20', { show: 'Gunsmoke', season: 4, episode: 20, name: null }],
    ['The Twilight Zone 1x08', { show: 'The Twilight Zone', season: 1, episode: 8, name: null }],
    ['Route 66 Season 2 Episode 3', { show: 'Route 66', season: 2, episode: 3, name: null }],
    ['The Outer Limits 304', { show: 'The Outer Limits', season: 3, episode: 4, name: null }],
    ['One Step Beyond Episode 7', { show: 'One Step Beyond', season: 1, episode: 7, name: null }],
    ['Ripcord #12', { show: 'Ripcord', season: 1, episode: 12, name: null }],
  ])('%s', (raw, parsed) => {
    expect(parseEpisodeTitle(raw)).toEqual(parsed);
  });
  it.each(['Alien (1979)', '2001: A Space Odyssey', 'S01E02', 'Cheers ｜ Behind the scenes'])(
    '%s is not an episode',
    (raw) => {
      expect(parseEpisodeTitle(raw)).toBeNull();
    },
  );
});

describe('similarity', () => {
  it('is difflib’s ratio', () => {
    expect(sequenceRatio('abcd', 'bcde')).toBeCloseTo(0.75);
    expect(sequenceRatio('', '')).toBe(1);
    expect(sequenceRatio('abc', 'xyz')).toBe(0);
  });
  it.each([
    ['The Terror', 'Terror', true], // a leading article does not count
    ['Night of the Living Dead', 'Night of the Living Dead: 30th Anniversary', true], // containment, ratio ≥ 0.5
    ['Alien', 'Aliens', true],
    ['Amélie & the Café', 'amelie and the cafe', true],
    ['Alien', 'The Brain That Wouldnt Die', false],
    ['Dead', 'Night of the Living Dead Returns Again', false], // contained but too short
  ])('%s ~ %s: %s', (a, b, same) => {
    expect(similarTitles(a, b)).toBe(same);
  });
  it('picks the right-year hit first, and only similar ones', () => {
    const hits = [
      { id: 1, title: 'Detour', year: 1992 },
      { id: 2, title: 'Something Else', year: 1945 },
      { id: 3, title: 'Detour', year: 1945 },
    ];
    expect(pickHit(hits, 'Detour', 1945)?.id).toBe(3);
    expect(pickHit(hits, 'Detour', null)?.id).toBe(1);
    expect(pickHit(hits, 'Unrelated Title', 1945)).toBeNull();
  });
});

describe('descriptions and titles', () => {
  const meta = {
    title: 'Detour',
    year: 1945,
    synopsis: 'A pianist hitchhikes to Los Angeles.',
    tagline: 'Tomorrow never comes.',
    rating: 'Approved',
    runtimeMinutes: 68,
    genres: ['Crime', 'Film-Noir'],
    ratings: [{ source: 'Internet Movie Database', value: '7.2/10' }],
    directors: ['Edgar G. Ulmer'],
    cast: ['Tom Neal', 'Ann Savage'],
  };
  const existing =
    'junk\nOriginal URL: https://archive.org/details/detour\n\nOriginal Description:\nPublic domain scan.';

  it('keeps the Original URL and Original Description blocks', () => {
    expect(keptBlocks(existing)).toEqual([
      'Original URL: https://archive.org/details/detour',
      'Original Description:\nPublic domain scan.',
    ]);
    expect(keptBlocks('nothing here')).toEqual([]);
  });

  it('builds the sectioned movie description', () => {
    expect(movieDescription(meta, parseMovieTitle("Joe Bob's Drive-In: Detour"), existing)).toBe(
      [
        "Hosted Version: Joe Bob's Drive-In",
        'Synopsis:\nA pianist hitchhikes to Los Angeles.',
        'Tagline: Tomorrow never comes.',
        'Release Year: 1945\nContent Rating: Approved\nRuntime: 68 min',
        'Genres: Crime, Film-Noir',
        'Ratings: Internet Movie Database: 7.2/10',
        'Cast & Crew:\nDirector(s): Edgar G. Ulmer\nCast: Tom Neal, Ann Savage',
        'Original URL: https://archive.org/details/detour',
        'Original Description:\nPublic domain scan.',
      ].join('\n\n'),
    );
  });

  it('canonical titles', () => {
    expect(canonicalMovieTitle(meta, parseMovieTitle('detour.1945.mp4'), 'detour.1945.mp4')).toBe(
      'Detour (1945)',
    );
    expect(canonicalMovieTitle(meta, parseMovieTitle('RiffTrax: Detour'), 'RiffTrax: Detour')).toBe(
      'Rifftrax Presents: Detour (1945)',
    );
    expect(canonicalMovieTitle(meta, parseMovieTitle('Svengoolie - Detour'), 'Svengoolie - Detour')).toBe(
      'Svengoolie - Detour',
    );
    expect(canonicalEpisodeTitle('Dragnet', 1, 2, 'The Big Actor')).toBe('Dragnet - S01E02 - The Big Actor');
    expect(canonicalEpisodeTitle('Dragnet', 1, 2, null)).toBe('Dragnet - S01E02');
    expect(canonicalEpisodeTitle('D'.repeat(90), 1, 2, 'Long name here').length).toBeLessThanOrEqual(100);
  });

  it('builds the episode description', () => {
    const d = episodeDescription(
      {
        show: 'Dragnet',
        season: 1,
        episode: 2,
        name: 'The Big Actor',
        airDate: '1952-01-03',
        synopsis: 'Joe Friday looks into it.',
        guestStars: ['Ann Doran'],
        directors: ['Jack Webb'],
        ratings: [],
        showOverview: '',
      },
      '',
    );
    expect(d).toBe(
      'Show: Dragnet\nEpisode: S01E02 – The Big Actor\nAir Date: 1952-01-03\n\nSynopsis:\nJoe Friday looks into it.\n\nGuest Stars: Ann Doran\nDirector(s): Jack Webb',
    );
  });
});
