import { CatalogRepository } from '../../../src/catalog/catalog.repository';
import { SORTS, visibilityFor } from '../../../src/catalog/catalog.rules';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { catalogContext, type CatalogContext } from './catalog-context';

/**
 * A browse page past the middle is read walking the sort backwards from the end. Every page of
 * every sort must hold exactly the rows of the same slice of one forward walk, ties included.
 */
describe('browse pages read from the end', () => {
  let ctx: CatalogContext;
  let repo: CatalogRepository;

  beforeAll(async () => {
    ctx = await catalogContext({ catalogSize: 131, seed: 5 });
    repo = ctx.module.get(CatalogRepository);
    const summary = await ctx.catalog.runSync('test');
    if (summary.status !== 'completed') throw new Error(JSON.stringify(summary));
    // ties on every sort key, so only the token tie-break orders these rows, and rows with no
    // dates, which the two databases put at opposite ends
    const rows = ctx.db.getRepository(CatalogItemEntity);
    const byToken = await rows.find({ order: { friendly_token: 'ASC' } });
    for (const row of byToken.slice(80, 86)) {
      await rows.update({ friendly_token: row.friendly_token }, { added_at: null, synced_at: null });
    }
    const tied = byToken.slice(40, 80);
    for (const row of tied) {
      await rows.update(
        { friendly_token: row.friendly_token },
        {
          title_sort: 'same title',
          sort_group: 1,
          added_at: new Date('2025-06-01T00:00:00Z'),
          synced_at: new Date('2025-06-02T00:00:00Z'),
        },
      );
    }
  });
  afterAll(async () => {
    await ctx.close();
  });

  it.each(SORTS.flatMap((sort) => [false, true].map((showHidden) => [sort, showHidden] as const)))(
    'pages of %s (show hidden: %s) are the slices of one forward walk',
    async (sort, showHidden) => {
      const filter = { visibility: visibilityFor(new Set(), showHidden) };
      const all = (await repo.browse(filter, sort, 0, 10_000)).items.map((i) => i.friendly_token);
      expect(all.length).toBeGreaterThan(100);
      for (const limit of [24, 7]) {
        const paged: string[] = [];
        for (let offset = 0; offset < all.length; offset += limit) {
          const page = await repo.browse(filter, sort, offset, limit, all.length);
          expect(page.items.map((i) => i.friendly_token)).toEqual(all.slice(offset, offset + limit));
          paged.push(...page.items.map((i) => i.friendly_token));
        }
        expect(paged).toEqual(all);
      }
    },
  );
});
