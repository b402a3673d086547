import { catalogContext, type CatalogContext } from './catalog-context';

/**
 * Search through the punctuation a person types: the words are searched in the text index and
 * the symbols (which the index cannot see) must appear as typed — on a real SQLite FTS5 index.
 */
describe('search with symbols (C++, AT&T, 50%, #241)', () => {
  let ctx: CatalogContext;
  const TITLES = [
    'Learning C++ in 24 Hours',
    'C Programming Basics',
    'Cooking with Charlie',
    'The AT&T Archives',
    'At the Top of the World',
    '50% Off: The Sale Movie',
    'Fifty Ways to Leave',
    'Episode #241',
    'Episode 2410',
    'Episode 241 (Remastered)',
  ];

  beforeAll(async () => {
    ctx = await catalogContext({ catalogSize: 40, seed: 5 });
    const items = ctx.sim.world.mediacms
      .all()
      .filter((i) => i.state === 'public' && i.encoding_status === 'success');
    TITLES.forEach((title, i) => {
      items[i].title = title;
      items[i].description = i === 0 ? 'Pointers, templates and the STL.' : 'A film.';
    });
    items[TITLES.length].title = 'A Programmer’s Diary';
    items[TITLES.length].description = 'She writes C++ by night and ships at dawn.';
    const summary = await ctx.catalog.runSync('test');
    if (summary.status !== 'completed') throw new Error(JSON.stringify(summary));
  });
  afterAll(() => ctx.close());

  const titles = async (q: string): Promise<string[]> =>
    (await ctx.catalog.search(q, { page: 1, sort: 'title_asc', showHidden: true })).items.map((i) => i.title);

  it.each([
    ['C++', ['A Programmer’s Diary', 'Learning C++ in 24 Hours']],
    ['c++ learning', ['Learning C++ in 24 Hours']],
    ['AT&T', ['The AT&T Archives']],
    ['at&t archives', ['The AT&T Archives']],
    ['50%', ['50% Off: The Sale Movie']],
    ['#241', ['Episode #241']],
    // without a symbol the last word is still a prefix, as the user types
    ['episode 241', ['Episode #241', 'Episode 241 (Remastered)', 'Episode 2410']],
  ])('%j finds what contains it', async (q, expected) => {
    expect(await titles(q)).toEqual(expected);
  });

  it.each(["100%_'; DROP TABLE catalog; --", '%%%', '\\%_\\', '&&&', '#', "C++' OR 1=1 --", '50\\%'])(
    'stays safe on %j (an answer, never an error)',
    async (q) => {
      await expect(titles(q)).resolves.toEqual(expect.any(Array));
      expect(await titles('C++')).toHaveLength(2); // the catalog is untouched
    },
  );

  it('a typed % or _ matches itself, never any text', async () => {
    // as LIKE wildcards, "5%" and "5_%" would both match "50% Off"
    expect(await titles('5%')).toEqual([]);
    expect(await titles('5_%')).toEqual([]);
    expect(await titles('50%')).toEqual(['50% Off: The Sale Movie']);
  });
});
