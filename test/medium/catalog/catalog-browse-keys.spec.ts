import {
  compareDefault,
  isHiddenByFacets,
  sortGroup,
  titleSortKey,
} from '../../../src/catalog/catalog.rules';
import { CatalogRepository } from '../../../src/catalog/catalog.repository';
import { CatalogSyncRepository } from '../../../src/catalog/catalog-sync.repository';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import { manifestUrl } from '../../../src/kryten/mediacms.client';
import { TEST_ON_POSTGRES } from '../../support/db';
import { catalogContext, type CatalogContext } from './catalog-context';

/**
 * The stored browse keys (hidden, sort_group, title_sort) stay equal to the rules that define
 * them through syncs, edits, cover art, hide/unhide; reservations apply at once; facets are
 * recomputed once per sync run, not per page.
 */
describe('catalog browse keys and visibility', () => {
  let ctx: CatalogContext;
  let writes: CatalogSyncRepository;

  beforeAll(async () => {
    ctx = await catalogContext({ catalogSize: 90, seed: 23 });
    writes = ctx.module.get(CatalogSyncRepository);
    const summary = await ctx.catalog.runSync('test');
    if (summary.status !== 'completed') throw new Error(JSON.stringify(summary));
  });
  afterAll(async () => {
    await ctx.close();
  });

  /** Every row whose stored keys differ from the rules (empty when the invariant holds). */
  async function staleRows(): Promise<string[]> {
    const rows = await ctx.db.getRepository(CatalogItemEntity).find();
    const stale: string[] = [];
    for (const row of rows) {
      const facets = await ctx.catalog.facetsOf(row.friendly_token);
      const hidden = isHiddenByFacets(
        facets.categories.map((c) => c.name),
        facets.tags,
      );
      if (
        row.sort_group !== sortGroup(row.title, row.cover_art_source) ||
        row.title_sort !== titleSortKey(row.title) ||
        row.hidden !== hidden
      ) {
        stale.push(row.friendly_token);
      }
    }
    return stale;
  }

  async function allBrowsed(
    showHidden: boolean,
    sort: 'default' | 'title_desc' = 'default',
  ): Promise<string[]> {
    const tokens: string[] = [];
    for (let page = 1; ; page++) {
      const res = await ctx.catalog.browse({ page, sort, showHidden });
      tokens.push(...res.items.map((i) => i.friendly_token));
      if (page >= res.total_pages) return tokens;
    }
  }

  it('sorts by the stored keys exactly as the default-order rule does, hidden items left out', async () => {
    expect(await staleRows()).toEqual([]);
    const rows = await ctx.db.getRepository(CatalogItemEntity).find();
    expect(rows.some((r) => r.hidden)).toBe(true); // the seed has hidden categories/tags
    const expected = rows
      .filter((r) => !r.hidden && r.gone_at === null)
      .sort((a, b) => compareDefault(a, b) || (a.friendly_token < b.friendly_token ? -1 : 1))
      .map((r) => r.friendly_token);
    expect(await allBrowsed(false)).toEqual(expected);
    expect((await allBrowsed(true)).length).toBe(rows.length);
    const desc = await allBrowsed(false, 'title_desc');
    const titles = desc.map((t) => titleSortKey(rows.find((r) => r.friendly_token === t)?.title ?? ''));
    expect(titles).toEqual([...titles].sort().reverse());
  });

  it('keeps the keys right after upstream edits, cover art, hide/unhide and a hidden tag added upstream', async () => {
    const [retitled, poster, tagged] = ctx.sim.world.mediacms
      .all()
      .filter((i) => !isHiddenByFacets(i.categories, i.tags) && /^[A-Za-z]/.test(i.title));
    retitled.title = '9 Songs Of ÉCLAIR';
    tagged.tags = [...tagged.tags, 'bumpers'];
    await ctx.catalog.runSync('edits');
    await writes.setCoverArt(poster.friendly_token, 'abcd1234', 'tmdb');
    await writes.setHiddenTag(retitled.friendly_token, true);
    expect(await staleRows()).toEqual([]);

    const rows = ctx.db.getRepository(CatalogItemEntity);
    expect(await rows.findOneByOrFail({ friendly_token: retitled.friendly_token })).toMatchObject({
      sort_group: 3,
      title_sort: '9 songs of Éclair',
      hidden: true,
    });
    expect((await rows.findOneByOrFail({ friendly_token: poster.friendly_token })).sort_group).toBe(0);
    const first = await ctx.catalog.browse({ page: 1, sort: 'default', showHidden: false });
    expect(first.items[0].friendly_token).toBe(poster.friendly_token);
    const visible = await allBrowsed(false);
    expect(visible).not.toContain(retitled.friendly_token);
    expect(visible).not.toContain(tagged.friendly_token);
    const search = await ctx.catalog.search('eclair', { page: 1, sort: 'default', showHidden: false });
    expect(search.total).toBe(0);
    const asAdmin = await ctx.catalog.search('eclair', { page: 1, sort: 'default', showHidden: true });
    expect(asAdmin.items.map((i) => i.friendly_token)).toEqual([retitled.friendly_token]);

    await writes.setHiddenTag(retitled.friendly_token, false);
    expect(await staleRows()).toEqual([]);
    expect(await allBrowsed(false)).toContain(retitled.friendly_token);
  });

  it('repairs a wrong hidden flag and stale sort keys (rows written by other code) after a sync run', async () => {
    const [victim, other] = await allBrowsed(false);
    const rows = ctx.db.getRepository(CatalogItemEntity);
    await rows.update({ friendly_token: victim }, { hidden: true });
    await rows.update({ friendly_token: other }, { sort_group: 3, title_sort: '' }); // the sync itself leaves it alone
    expect((await staleRows()).sort()).toEqual([victim, other].sort());
    await ctx.catalog.runSync('repair');
    expect(await staleRows()).toEqual([]);
  });

  it('leaves a newly reserved item out at once (browse, search, facets) and brings it back when released', async () => {
    const before = await allBrowsed(false);
    const token = before[1];
    const item = await ctx.catalog.getVisibleItem(token, false);
    const facetsBefore = await ctx.catalog.facets(false);
    const { categories } = await ctx.catalog.facetsOf(token);
    const id = await ctx.newPlaylist([manifestUrl(ctx.sim.url, token)], { is_immutable: true });

    expect(await allBrowsed(false)).toEqual(before.filter((t) => t !== token));
    const word = item.title.split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w)) ?? item.title;
    const hits = await ctx.catalog.search(word, { page: 1, sort: 'default', showHidden: true });
    expect(hits.items.map((i) => i.friendly_token)).not.toContain(token);
    const facetsAfter = await ctx.catalog.facets(false);
    for (const c of categories) {
      const was = facetsBefore.categories.find((f) => f.slug === c.slug)?.cnt ?? 0;
      const now = facetsAfter.categories.find((f) => f.slug === c.slug)?.cnt ?? 0;
      expect(now).toBe(was - 1);
    }

    await ctx.db.getRepository(SavedPlaylistEntity).update({ id }, { is_immutable: false });
    ctx.reservationsChanged();
    expect(await allBrowsed(false)).toEqual(before);
    expect(await ctx.catalog.facets(false)).toEqual(facetsBefore);
  });

  it('keeps cached facets through sync pages and recomputes them once the run ends', async () => {
    const before = await ctx.catalog.facets(false);
    const upstream = ctx.sim.world.mediacms
      .all()
      .find((i) => !isHiddenByFacets(i.categories, i.tags) && i.categories.length > 0);
    if (!upstream) throw new Error('no visible item with a category');
    const slug = before.categories.find((c) => c.name === upstream.categories[0])?.slug;
    const countOf = (f: typeof before): number => f.categories.find((c) => c.slug === slug)?.cnt ?? 0;

    // One sync page written on its own (as in the middle of a run): the cache stays.
    await writes.applyPage(
      [],
      new Map([[upstream.friendly_token, { categories: [], tags: upstream.tags }]]),
      ctx.clock.now(),
    );
    expect(countOf(await ctx.catalog.facets(false))).toBe(countOf(before));
    await writes.finishRun();
    expect(countOf(await ctx.catalog.facets(false))).toBe(countOf(before) - 1);

    await ctx.catalog.runSync('restore');
    expect(await ctx.catalog.facets(false)).toEqual(before);
  });

  it("warms the viewers' facets when a sync run ends, so the next request computes nothing", async () => {
    await ctx.catalog.runSync('warm');
    const spy = jest.spyOn(ctx.module.get(CatalogRepository), 'categoryFacets');
    try {
      await ctx.catalog.facets(false);
      expect(spy).not.toHaveBeenCalled();
      await ctx.catalog.facets(true); // admins' facets are computed on demand
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  // The plan is SQLite's (EXPLAIN QUERY PLAN); PostgreSQL plans a 90-row table its own way.
  (TEST_ON_POSTGRES ? describe.skip : describe)('on SQLite (skipped on PostgreSQL)', () => {
    it("finds the live queue's items by index, never by scanning the catalog", async () => {
      const repo = ctx.module.get(CatalogRepository);
      const [first, second] = await ctx.db.getRepository(CatalogItemEntity).find({ take: 2 });
      const query = repo.byTokensOrManifests([first.friendly_token], [second.manifest_url]);
      const [sql, params] = query.getQueryAndParameters();
      const plan = await ctx.db.query<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`, params);
      const steps = plan.map((row) => row.detail);
      expect(steps.filter((step) => /^SCAN /.test(step))).toEqual([]);
      expect(steps.filter((step) => /^SEARCH c USING INDEX/.test(step))).toHaveLength(2);

      const found = await ctx.catalog.findForQueue([
        { friendly_token: first.friendly_token },
        { media_id: second.manifest_url },
      ]);
      expect(found.get(first.friendly_token)?.friendly_token).toBe(first.friendly_token);
      expect(found.get(second.manifest_url)?.friendly_token).toBe(second.friendly_token);
    });
  });
});
