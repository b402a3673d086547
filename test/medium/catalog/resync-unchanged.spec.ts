import { CatalogSyncRepository } from '@app/catalog/catalog-sync.repository';
import { CatalogTagEntity } from '@app/catalog/entities/catalog-tag.entity';
import { isPostgres } from '@app/database/data-source';
import { type CatalogContext, catalogContext } from './catalog-context';

const QUERY = { page: 1, sort: 'default' as const, showHidden: false };

describe('a re-sync writes only what changed upstream', () => {
  let ctx: CatalogContext;
  afterEach(async () => ctx?.close());

  it('leaves memberships and the kept pages alone when nothing changed, and writes one changed tag', async () => {
    ctx = await catalogContext({ catalogSize: 120 });
    await ctx.catalog.runSync('test');
    const writes = ctx.module.get(CatalogSyncRepository);
    const tagRows = ctx.db.getRepository(CatalogTagEntity);
    const storedBefore = await tagRows.count();
    // A row deleted and inserted again gets a new physical address (SQLite's rowid, PostgreSQL's
    // ctid), so the addresses of the membership rows tell whether any was rewritten.
    const address = isPostgres(ctx.db) ? 'ctid::text' : 'rowid';
    const rowAddresses = async (): Promise<unknown> =>
      Promise.all(
        ['catalog_tags', 'catalog_categories'].map(async (table) =>
          (await ctx.db.query<{ at: string | number }[]>(`SELECT ${address} AS at FROM ${table}`))
            .map((row) => String(row.at))
            .sort(),
        ),
      );
    const addressesBefore = await rowAddresses();
    const page = await ctx.catalog.browse(QUERY);

    // Nothing changed upstream: only the end of the run moves the rows version, not its pages
    // (three pages of 50 here), and no membership row is written.
    const rowsBefore = writes.rowsVersion;
    const quiet = await ctx.catalog.runSync('test');
    expect(quiet).toMatchObject({ status: 'completed', new: 0, updated: 0, gone: 0 });
    expect(writes.rowsVersion).toBe(rowsBefore + 1);
    expect(await tagRows.count()).toBe(storedBefore);
    expect(await rowAddresses()).toEqual(addressesBefore);
    expect((await ctx.catalog.browse(QUERY)).items.map((i) => i.friendly_token)).toEqual(
      page.items.map((i) => i.friendly_token),
    );

    // One item's tags changed upstream: its page is written (rows version +1, then the end of
    // the run), and browsing by the new tag finds it.
    const item = page.items[0];
    ctx.sim.world.mediacms.setTags(item.friendly_token, ['fresh-tag']);
    const rowsBeforeChange = writes.rowsVersion;
    await ctx.catalog.runSync('test');
    expect(writes.rowsVersion).toBe(rowsBeforeChange + 2);
    const tagged = await ctx.catalog.browse({ ...QUERY, tag: 'fresh-tag' });
    expect(tagged.items.map((i) => i.friendly_token)).toEqual([item.friendly_token]);
    const itsTags = await tagRows.find({ where: { friendly_token: item.friendly_token } });
    expect(itsTags).toHaveLength(1);
  });
});
