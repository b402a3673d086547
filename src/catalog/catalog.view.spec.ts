import { CatalogViews, posterFor } from './catalog.view';
import type { PlaceholderArt } from './cover-art/placeholder-art.service';

describe('posterFor', () => {
  const base = {
    title: 'midnight Harbor',
    cover_art_path: null,
    cover_art_source: null,
    thumbnail_url: null,
  };

  it('uses the WebP srcset for a real poster', () => {
    const p = posterFor(
      { ...base, cover_art_path: 'ab12cd34', cover_art_source: 'tmdb' },
      '/images/placeholders/p.webp',
    );
    expect(p.srcset).toBe(
      '/images/ab12cd34/200.webp 200w, /images/ab12cd34/400.webp 400w, /images/ab12cd34/800.webp 800w',
    );
    expect(p.placeholder).toBeNull();
    expect(p.shape).toBe('portrait');
  });

  it('a thumbnail is landscape (never under the placeholder); the placeholder only without one; the letter only without any image', () => {
    const thumb = 'http://m/media/original/thumbnails/x.png';
    expect(posterFor({ ...base, thumbnail_url: thumb }, '/images/placeholders/p.webp')).toMatchObject({
      srcset: null,
      placeholder: null,
      thumbnail: thumb,
      shape: 'landscape',
    });
    // a stored copy of the MediaCMS thumbnail (not a real poster) is landscape too
    expect(
      posterFor(
        { ...base, cover_art_path: 'ff00', cover_art_source: 'thumbnail' },
        '/images/placeholders/p.webp',
      ),
    ).toMatchObject({ thumbnail: '/images/ff00/400.webp', shape: 'landscape', placeholder: null });
    expect(posterFor(base, '/images/placeholders/p.webp')).toMatchObject({
      placeholder: '/images/placeholders/p.webp',
      thumbnail: null,
      shape: 'portrait',
    });
    expect(posterFor(base, null)).toMatchObject({
      thumbnail: null,
      placeholder: null,
      letter: 'M',
      shape: 'portrait',
    });
    expect(posterFor({ ...base, title: '"(1989)" x' }, null).letter).toBe('1');
  });

  it('never puts a javascript: URL into src', () => {
    expect(posterFor({ ...base, thumbnail_url: 'javascript:alert(1)' }, null).thumbnail).toBeNull();
  });
});

describe('the browse pager', () => {
  const views = new CatalogViews({ picker: () => Promise.resolve(() => null) } as unknown as PlaceholderArt);
  const pager = async (page: number, totalPages: number) =>
    (
      (await views.listPage({
        mode: 'browse',
        result: {
          items: [],
          total: totalPages * 24,
          page,
          total_pages: totalPages,
          page_size: 24,
          sort: 'default',
        },
        facets: { categories: [], tags: [] },
        q: '',
        category: null,
        tag: 'drama',
        length: 'movie',
        isAdmin: false,
        showHidden: false,
        hiddenTokens: new Set(),
      } as never)) as { pager: Record<string, unknown> }
    ).pager as {
      pages: { n: number }[];
      first: { n: number; href: string; gap: boolean } | null;
      last: { n: number; href: string; gap: boolean } | null;
    };

  it.each([
    // [page, pages, window, first, last]
    [1, 3, [1, 2, 3], null, null],
    [1, 20, [1, 2, 3], null, { n: 20, gap: true }],
    [10, 20, [8, 9, 10, 11, 12], { n: 1, gap: true }, { n: 20, gap: true }],
    [4, 6, [2, 3, 4, 5, 6], { n: 1, gap: false }, null],
    [20, 20, [18, 19, 20], { n: 1, gap: true }, null],
  ])(
    'page %s of %s shows %j, the first and the last page one click away',
    async (page, total, window, first, last) => {
      const p = await pager(page, total);
      expect(p.pages.map((x) => x.n)).toEqual(window);
      const pick = (x: { n: number; gap: boolean } | null) => (x ? { n: x.n, gap: x.gap } : null);
      expect(pick(p.first)).toEqual(first);
      expect(pick(p.last)).toEqual(last);
    },
  );

  it('keeps the filters in the first and last links', async () => {
    const p = await pager(10, 20);
    expect(p.last?.href).toBe('/catalog/browse?tag=drama&length=movie&page=20');
    expect(p.first?.href).toBe('/catalog/browse?tag=drama&length=movie');
  });
});
