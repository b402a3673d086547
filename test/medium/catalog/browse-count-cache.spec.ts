import { CatalogRepository } from '@app/catalog/catalog.repository';
import { CatalogSyncRepository } from '@app/catalog/catalog-sync.repository';
import { type CatalogContext, catalogContext } from './catalog-context';

const QUERY = { page: 1, sort: 'default' as const, showHidden: false };

describe('browse totals are counted once per filter until the catalog changes', () => {
  let ctx: CatalogContext;
  afterEach(async () => ctx?.close());

  it('reuses a count, and counts again after a sync page or a hide', async () => {
    ctx = await catalogContext({ catalogSize: 60 });
    await ctx.catalog.runSync('test');
    const repo = ctx.module.get(CatalogRepository);
    const count = jest.spyOn(repo, 'count');

    const first = await ctx.catalog.browse(QUERY);
    const again = await ctx.catalog.browse({ ...QUERY, page: 2 });
    expect(again.total).toBe(first.total);
    expect(count).toHaveBeenCalledTimes(1);

    // another filter has its own total
    await ctx.catalog.browse({ ...QUERY, length: 'short' });
    expect(count).toHaveBeenCalledTimes(2);

    // a hide changes what is visible: the next browse counts again and sees one fewer
    const visible = first.items[0];
    await ctx.module.get(CatalogSyncRepository).setHiddenTag(visible.friendly_token, true);
    const afterHide = await ctx.catalog.browse(QUERY);
    expect(afterHide.total).toBe(first.total - 1);
    expect(count).toHaveBeenCalledTimes(3);

    // a sync page written (new items upstream) moves the count at once, before the run ends
    const before = ctx.module.get(CatalogSyncRepository).rowsVersion;
    await ctx.catalog.runSync('test');
    expect(ctx.module.get(CatalogSyncRepository).rowsVersion).toBeGreaterThan(before);
    await ctx.catalog.browse(QUERY);
    expect(count).toHaveBeenCalledTimes(4);
  });
});
