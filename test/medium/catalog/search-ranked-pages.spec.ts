import { catalogContext, type CatalogContext } from './catalog-context';

/**
 * Ranked search pages on a real index: a page under the default sort is taken from the best
 * few matches and falls back to ranking every match when the filters drop too many; pages never
 * overlap or skip, even where many matches score the same; a re-synced title replaces its entry.
 */
describe('search: ranked pages, filters that drop most matches, index upkeep', () => {
  let ctx: CatalogContext;
  const MATCHING = 150;
  /**
   * The only Documentaries have the longest titles, which bm25 ranks last: on SQLite they lie
   * beyond the best few a page is first taken from.
   */
  const DOCUMENTARIES = 5;

  beforeAll(async () => {
    ctx = await catalogContext({ catalogSize: 220, seed: 9 });
    const items = ctx.sim.world.mediacms
      .all()
      .filter((i) => i.state === 'public' && i.encoding_status === 'success');
    items.forEach((item, i) => {
      item.categories = item.categories.filter((c) => c !== 'Documentaries');
      if (i >= MATCHING) return;
      // Same length titles score the same: a page boundary falls inside a tie.
      const last = i >= MATCHING - DOCUMENTARIES;
      item.title = last ? `Quokka Lights and a very long title ${i}` : `Quokka Lights ${i}`;
      item.description = 'A film.';
      item.categories = last ? ['Documentaries'] : ['Movies'];
      item.tags = [];
    });
    const summary = await ctx.catalog.runSync('test');
    if (summary.status !== 'completed') throw new Error(JSON.stringify(summary));
  });
  afterAll(() => ctx.close());

  const page = (q: string, page: number, category?: string) =>
    ctx.catalog.search(q, { page, sort: 'default', showHidden: true, ...(category ? { category } : {}) });

  it('pages through every match once, best first, with the true total', async () => {
    const first = await page('quokka', 1);
    expect(first.total).toBe(MATCHING);
    const seen: string[] = [];
    for (let p = 1; p <= first.total_pages; p++) {
      const result = await page('quokka', p);
      expect(result.total).toBe(MATCHING);
      seen.push(...result.items.map((i) => i.friendly_token));
    }
    expect(seen).toHaveLength(MATCHING);
    expect(new Set(seen).size).toBe(MATCHING);
  });

  it('finds the few matches a filter keeps even when they rank below the best few', async () => {
    const result = await page('quokka', 1, 'documentaries');
    expect(result.total).toBe(DOCUMENTARIES);
    expect(result.items.map((i) => i.title).sort()).toEqual(
      Array.from(
        { length: DOCUMENTARIES },
        (_, k) => `Quokka Lights and a very long title ${MATCHING - DOCUMENTARIES + k}`,
      ).sort(),
    );
  });

  it('a renamed title is found by its new words only, and a new item gets its own key', async () => {
    const items = ctx.sim.world.mediacms
      .all()
      .filter((i) => i.state === 'public' && i.encoding_status === 'success');
    const renamed = items[0];
    renamed.title = 'Lighthouse Keeper';
    const summary = await ctx.catalog.runSync('test');
    expect(summary.status).toBe('completed');
    expect((await page('quokka', 1)).total).toBe(MATCHING - 1);
    expect((await page('lighthouse', 1)).items.map((i) => i.friendly_token)).toEqual([
      renamed.friendly_token,
    ]);
    const keys = await ctx.db.query<{ n: number; distinct_keys: number; missing: number }[]>(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT search_id) AS distinct_keys, ' +
        'SUM(CASE WHEN search_id IS NULL THEN 1 ELSE 0 END) AS missing FROM catalog',
    );
    expect(Number(keys[0].distinct_keys)).toBe(Number(keys[0].n));
    expect(Number(keys[0].missing)).toBe(0);
  });
});
