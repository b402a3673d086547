import { CatalogRepository } from '@app/catalog/catalog.repository';
import { CatalogSyncRepository, SYNC_PAGES_SHOWN_EVERY_MS } from '@app/catalog/catalog-sync.repository';
import { CatalogSearch } from '@app/catalog/search/catalog-search.port';
import { manifestUrl } from '@app/kryten/mediacms.client';
import { type CatalogContext, catalogContext } from './catalog-context';

const QUERY = { page: 1, sort: 'default' as const, showHidden: false };

describe('browse pages are kept until something they show changes', () => {
  let ctx: CatalogContext;
  afterEach(async () => ctx?.close());

  beforeEach(async () => {
    ctx = await catalogContext({ catalogSize: 30 });
    await ctx.catalog.runSync('test');
  });

  it('answers a repeated page from memory, and each query has its own', async () => {
    const browse = jest.spyOn(ctx.module.get(CatalogRepository), 'browse');
    const first = await ctx.catalog.browse(QUERY);
    expect(await ctx.catalog.browse(QUERY)).toEqual(first);
    expect(browse).toHaveBeenCalledTimes(1);

    const byTitle = await ctx.catalog.browse({ ...QUERY, sort: 'title_asc' });
    expect(byTitle.sort).toBe('title_asc');
    await ctx.catalog.browse({ ...QUERY, page: 2 });
    expect(browse).toHaveBeenCalledTimes(3);
  });

  it('shows new cover art at once, in the tile and in the default order', async () => {
    const before = await ctx.catalog.browse(QUERY);
    // The last tile of the page has no poster yet; a real poster puts it in the first group.
    const plain = before.items.filter((i) => !i.cover_art_path).at(-1);
    if (!plain) throw new Error('every item already has art');
    await ctx.module.get(CatalogSyncRepository).setCoverArt(plain.friendly_token, 'art/x', 'tmdb');

    const after = await ctx.catalog.browse(QUERY);
    const tile = after.items.find((i) => i.friendly_token === plain.friendly_token);
    expect(tile).toMatchObject({ cover_art_path: 'art/x', cover_art_source: 'tmdb' });
    expect(after.items.findIndex((i) => i.friendly_token === plain.friendly_token)).toBeLessThan(
      before.items.findIndex((i) => i.friendly_token === plain.friendly_token),
    );
  });

  it('shows a title changed upstream once a sync has written it', async () => {
    const before = await ctx.catalog.browse(QUERY);
    const token = before.items[3].friendly_token;
    ctx.sim.world.mediacms.updateFields(token, { title: `${before.items[3].title} (Restored)` });
    await ctx.catalog.runSync('test');

    const after = await ctx.catalog.browse(QUERY);
    expect(after.items.find((i) => i.friendly_token === token)?.title).toBe(
      `${before.items[3].title} (Restored)`,
    );
  });

  it('leaves a newly reserved item out of the next page', async () => {
    const before = await ctx.catalog.browse(QUERY);
    const token = before.items[0].friendly_token;
    await ctx.newPlaylist([manifestUrl(ctx.sim.url, token)], { is_immutable: true });

    const during = await ctx.catalog.browse(QUERY);
    expect(during.items.map((i) => i.friendly_token)).not.toContain(token);
    expect(during.total).toBe(before.total - 1);
  });

  it('leaves a hidden item out of the next page', async () => {
    const before = await ctx.catalog.browse(QUERY);
    const token = before.items[2].friendly_token;
    await ctx.module.get(CatalogSyncRepository).setHiddenTag(token, true);
    const after = await ctx.catalog.browse(QUERY);
    expect(after.items.map((i) => i.friendly_token)).not.toContain(token);
    const admins = await ctx.catalog.browse({ ...QUERY, showHidden: true });
    expect(admins.items.map((i) => i.friendly_token)).toContain(token);
  });

  it('keeps a search until something it shows changes, per query text and page', async () => {
    const search = jest.spyOn(ctx.module.get(CatalogSearch), 'search');
    const word = (await ctx.catalog.browse(QUERY)).items[0].title
      .split(/\s+/)
      .find((w) => /^[A-Za-z]{4,}$/.test(w));
    if (!word) throw new Error('no searchable word');
    const first = await ctx.catalog.search(word, QUERY);
    expect(first.total).toBeGreaterThan(0);
    expect(await ctx.catalog.search(`  ${word} `, QUERY)).toEqual(first);
    expect(search).toHaveBeenCalledTimes(1);
    await ctx.catalog.search(word.toUpperCase(), QUERY);
    expect(search).toHaveBeenCalledTimes(2);

    const hit = first.items[0].friendly_token;
    await ctx.module.get(CatalogSyncRepository).setHiddenTag(hit, true);
    const after = await ctx.catalog.search(word, QUERY);
    expect(after.items.map((i) => i.friendly_token)).not.toContain(hit);
    expect(after.total).toBe(first.total - 1);
  });

  it('during a sync, shows what its pages wrote within a few seconds, and all of it at the end', async () => {
    const writes = ctx.module.get(CatalogSyncRepository);
    const before = await ctx.catalog.browse(QUERY);
    const [first, second] = before.items;
    const renamed = async (token: string, title: string): Promise<void> => {
      const row = ctx.sim.world.mediacms.get(token);
      if (!row) throw new Error(`no ${token} upstream`);
      await writes.applyPage(
        [
          {
            friendly_token: token,
            title,
            description: row.description,
            duration_sec: Math.round(row.duration),
            manifest_url: manifestUrl(ctx.sim.url, token),
            thumbnail_url: null,
            added_at: new Date(row.add_date),
          },
        ],
        new Map(),
        ctx.clock.now(),
      );
    };
    const titleOf = async (token: string): Promise<string | undefined> =>
      (await ctx.catalog.browse(QUERY)).items.find((i) => i.friendly_token === token)?.title;

    // The first page after a quiet spell shows at once.
    await renamed(first.friendly_token, `${first.title} I`);
    expect(await titleOf(first.friendly_token)).toBe(`${first.title} I`);
    // The next one within the interval waits for it...
    await renamed(second.friendly_token, `${second.title} II`);
    expect(await titleOf(second.friendly_token)).toBe(second.title);
    ctx.clock.advance(SYNC_PAGES_SHOWN_EVERY_MS);
    expect(await titleOf(second.friendly_token)).toBe(`${second.title} II`);
    // ...and the end of a run shows everything at once.
    await renamed(first.friendly_token, `${first.title} III`);
    expect(await titleOf(first.friendly_token)).toBe(`${first.title} I`);
    await writes.finishRun();
    expect(await titleOf(first.friendly_token)).toBe(`${first.title} III`);
  });

  it('leaves an item hidden during a sync out at once', async () => {
    const writes = ctx.module.get(CatalogSyncRepository);
    const before = await ctx.catalog.browse(QUERY);
    await writes.applyPage([], new Map(), ctx.clock.now());
    await writes.applyPage([], new Map(), ctx.clock.now());
    await writes.setHiddenTag(before.items[1].friendly_token, true);
    expect((await ctx.catalog.browse(QUERY)).items.map((i) => i.friendly_token)).not.toContain(
      before.items[1].friendly_token,
    );
  });
});
