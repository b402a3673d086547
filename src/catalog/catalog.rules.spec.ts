import {
  catalogLink,
  changedMemberships,
  compareDefault,
  excludedTokens,
  isHiddenByFacets,
  sortGroup,
  titleSortKey,
  normaliseSort,
  pageOffset,
  pageWindow,
  pageWindowFromEnd,
  rowChanged,
  rowFromMedia,
  slugify,
  tokenFromMediaId,
  totalPages,
  visibilityFor,
} from './catalog.rules';

describe('normaliseSort', () => {
  it('keeps the five known keys and falls back to default', () => {
    for (const s of ['default', 'title_asc', 'title_desc', 'newest', 'oldest']) {
      expect(normaliseSort(s)).toBe(s);
    }
    expect(normaliseSort('random')).toBe('default');
    expect(normaliseSort(undefined)).toBe('default');
    expect(normaliseSort(['newest'])).toBe('default');
  });
});

describe('paging', () => {
  it('has at least one page and 24 per page', () => {
    expect(totalPages(0)).toBe(1);
    expect(totalPages(24)).toBe(1);
    expect(totalPages(25)).toBe(2);
    expect(pageOffset(1)).toBe(0);
    expect(pageOffset(3)).toBe(48);
  });

  it.each([
    // total, offset, limit → the backwards window, or null for a page read forwards
    [100, 0, 24, null],
    [100, 24, 24, null],
    [100, 48, 24, { offset: 28, limit: 24 }], // 48 rows before it, 28 after
    [100, 72, 24, { offset: 4, limit: 24 }],
    [100, 96, 24, { offset: 0, limit: 4 }], // the partial last page
    [48, 24, 24, { offset: 0, limit: 24 }], // a full last page
    [24, 0, 24, null],
    [10, 0, 24, null],
    [100_000, 99_984, 24, { offset: 0, limit: 16 }],
    [100_000, 50_016, 24, { offset: 49_960, limit: 24 }],
  ])(
    'reads page (total %i, offset %i, limit %i) from the end when that skips fewer rows',
    (total, offset, limit, want) => {
      expect(pageWindowFromEnd(total, offset, limit)).toEqual(want);
    },
  );

  it('shows current ±2 clamped to the range', () => {
    expect(pageWindow(1, 10)).toEqual([1, 2, 3]);
    expect(pageWindow(5, 10)).toEqual([3, 4, 5, 6, 7]);
    expect(pageWindow(10, 10)).toEqual([8, 9, 10]);
    expect(pageWindow(50, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(1, 0)).toEqual([1]);
  });

  it('builds links that keep the filters and drop defaults', () => {
    expect(
      catalogLink('/catalog/search', {
        q: 'a&b',
        category: 'sci-fi',
        tag: 'b movie',
        sort: 'newest',
        page: 2,
      }),
    ).toBe('/catalog/search?q=a%26b&category=sci-fi&tag=b%20movie&sort=newest&page=2');
    expect(catalogLink('/catalog/browse', { sort: 'default', page: 1, show_hidden: false, tag: '' })).toBe(
      '/catalog/browse',
    );
    expect(catalogLink('/catalog/browse', { show_hidden: true })).toBe('/catalog/browse?show_hidden=1');
  });
});

describe('slugify', () => {
  it('lowercases, strips non-word characters and joins words with -', () => {
    expect(slugify('Sci-Fi')).toBe('sci-fi');
    expect(slugify('TV Episodes')).toBe('tv-episodes');
    expect(slugify('Z Channel_Promos!!')).toBe('z-channel-promos');
    expect(slugify('  Rock & Roll  ')).toBe('rock-roll');
  });

  it('adds -2, -3… on collision', () => {
    expect(slugify('Sci Fi', new Set(['sci-fi']))).toBe('sci-fi-2');
    expect(slugify('Sci Fi', new Set(['sci-fi', 'sci-fi-2']))).toBe('sci-fi-3');
  });

  it('never returns an empty slug', () => {
    expect(slugify('!!!')).toBe('category');
  });
});

describe('tokenFromMediaId', () => {
  it.each([
    ['https://www.dropsugar.com/api/v1/media/cytube/AbC123xyz.json?format=json', 'AbC123xyz'],
    ['http://127.0.0.1:5000/api/v1/media/cytube/AbC123xyz.json', 'AbC123xyz'],
    ['https://www.dropsugar.com/view?m=AbC123xyz', 'AbC123xyz'],
    ['https://www.dropsugar.com/api/v1/media/AbC123xyz', 'AbC123xyz'],
    ['AbC123xyz', 'AbC123xyz'],
    ['  AbC123xyz ', 'AbC123xyz'],
  ])('resolves %s', (input, token) => {
    expect(tokenFromMediaId(input)).toBe(token);
  });

  it.each(['', 'https://youtube.com/watch?v=dQw4w9WgXcQ', 'not a token', 'a:b', null, undefined])(
    'gives null for %j',
    (input) => {
      expect(tokenFromMediaId(input)).toBeNull();
    },
  );
});

describe('excludedTokens', () => {
  it('resolves manifest URLs and bare tokens of immutable playlists and promo pools only', () => {
    const set = excludedTokens([
      {
        media_type: 'cm',
        media_id: 'https://x/api/v1/media/cytube/RES111111.json?format=json',
        is_immutable: true,
        promo_type: null,
      },
      { media_type: 'cm', media_id: 'RES222222', is_immutable: true, promo_type: null },
      { media_type: 'cm', media_id: 'PROMO3333', is_immutable: false, promo_type: 'event' },
      { media_type: 'cm', media_id: 'FREE44444', is_immutable: false, promo_type: null },
      { media_type: 'yt', media_id: 'dQw4w9WgXcQ', is_immutable: true, promo_type: null },
    ]);
    expect([...set].sort()).toEqual(['PROMO3333', 'RES111111', 'RES222222']);
  });
});

describe('visibility', () => {
  it('drops the hidden lists only when show_hidden is granted', () => {
    const ex = new Set(['A']);
    expect(visibilityFor(ex, false).hiddenTags).toContain('kryten-hidden');
    expect(visibilityFor(ex, false).hiddenCategories).toContain('Z Event Movies');
    expect(visibilityFor(ex, true)).toEqual({ excluded: ex, hiddenCategories: [], hiddenTags: [] });
  });

  it('detects hidden memberships by exact name', () => {
    expect(isHiddenByFacets(['Weekday Z Promos'], [])).toBe(true);
    expect(isHiddenByFacets([], ['bumpers'])).toBe(true);
    expect(isHiddenByFacets(['Movies'], ['Bumpers', 'classic'])).toBe(false);
  });
});

describe('compareDefault', () => {
  it('puts real posters first, then letter-led titles, then by title', () => {
    const items = [
      { title: '2001', cover_art_source: null },
      { title: 'beta', cover_art_source: 'thumbnail' },
      { title: 'Alpha', cover_art_source: null },
      { title: 'Zed', cover_art_source: 'tmdb' },
      { title: '(1989) Old', cover_art_source: 'omdb' },
    ];
    expect([...items].sort(compareDefault).map((i) => i.title)).toEqual([
      'Zed',
      '(1989) Old',
      'Alpha',
      'beta',
      '2001',
    ]);
  });
});

describe('rowFromMedia / rowChanged', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const manifest = (t: string): string => `http://m/api/v1/media/cytube/${t}.json?format=json`;

  it('maps a list item with defaults', () => {
    expect(
      rowFromMedia(
        { friendly_token: 'Tok123456', title: '', duration: 12.6, add_date: null, thumbnail_url: null },
        manifest,
        now,
      ),
    ).toEqual({
      friendly_token: 'Tok123456',
      title: 'Untitled',
      description: null,
      duration_sec: 13,
      thumbnail_url: null,
      added_at: now,
      manifest_url: manifest('Tok123456'),
    });
  });

  it('skips items without a usable token', () => {
    expect(rowFromMedia({ title: 'x' }, manifest, now)).toBeNull();
    expect(rowFromMedia({ friendly_token: '../etc' }, manifest, now)).toBeNull();
  });

  it('detects changed fields', () => {
    const row = rowFromMedia(
      { friendly_token: 'Tok123456', title: 'A', add_date: '2020-01-01T00:00:00Z' },
      manifest,
      now,
    );
    if (!row) throw new Error('expected a row');
    const existing = { ...row, description: null };
    expect(rowChanged(existing, row)).toBe(false);
    expect(rowChanged({ ...existing, title: 'B' }, row)).toBe(true);
    expect(rowChanged({ ...existing, added_at: now }, row)).toBe(true);
  });
});

describe('stored sort keys', () => {
  it('groups real posters first, then letter-led titles', () => {
    expect(sortGroup('Alien', 'tmdb')).toBe(0);
    expect(sortGroup('2001', 'omdb')).toBe(1);
    expect(sortGroup('alien', 'thumbnail')).toBe(2);
    expect(sortGroup('Éclair', null)).toBe(3);
    expect(sortGroup('', null)).toBe(3);
  });

  it('lowercases A–Z only, like SQLite lower()', () => {
    expect(titleSortKey('The ÉCLAIR Show')).toBe('the Éclair show');
    expect(titleSortKey('ABC xyz 123')).toBe('abc xyz 123');
  });
});

describe('changedMemberships', () => {
  const ids = (categories: number[], tags: number[]) => ({
    categories: new Set(categories),
    tags: new Set(tags),
  });
  it.each([
    ['the same ids', ids([1, 2], [5]), ids([2, 1], [5]), []],
    ['a category added', ids([1], [5]), ids([1, 2], [5]), ['t']],
    ['a tag removed', ids([1], [5, 6]), ids([1], [5]), ['t']],
    ['a category swapped for another', ids([1], []), ids([2], []), ['t']],
    ['nothing stored, nothing wanted', undefined, ids([], []), []],
    ['nothing stored, a tag wanted', undefined, ids([], [7]), ['t']],
  ])('%s', (_name, stored, wanted, expected) => {
    const have = new Map(stored ? [['t', stored]] : []);
    expect(changedMemberships(have, new Map([['t', wanted]]))).toEqual(expected);
  });

  it('names only the tokens that changed, in the order they were asked', () => {
    const stored = new Map([
      ['a', ids([1], [])],
      ['b', ids([1], [])],
      ['c', ids([1], [])],
    ]);
    const wanted = new Map([
      ['c', ids([2], [])],
      ['a', ids([1], [])],
      ['b', ids([1], [3])],
    ]);
    expect(changedMemberships(stored, wanted)).toEqual(['c', 'b']);
  });
});
