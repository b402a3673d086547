import { CatalogSearch } from '@app/catalog/search/catalog-search.port';
import { CatalogAdminService } from '@app/catalog/catalog-admin.service';
import { HIDE_TAG } from '@app/catalog/catalog.rules';
import { MediaCmsClient } from '@app/kryten/mediacms.client';
import { manifestUrl } from '../../../src/kryten/mediacms.client';
import { SyncLogEntity } from '../../../src/catalog/entities/sync-log.entity';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { SimControl } from '../../../sim/sim-control';
import { catalogContext, type CatalogContext } from './catalog-context';

describe('catalog sync against the simulator', () => {
  let ctx: CatalogContext;
  let control: SimControl;

  beforeAll(async () => {
    ctx = await catalogContext({ catalogSize: 120 });
    control = new SimControl(ctx.sim.url);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('pulls every page into catalog, FTS and memberships, and logs the run', async () => {
    const summary = await ctx.catalog.runSync('test');
    expect(summary).toMatchObject({
      status: 'completed',
      seen: 120,
      new: 120,
      updated: 0,
      gone: 0,
      errors: 0,
    });
    // the deployment's bulk list gave every item's facets in one answer
    expect(summary).toMatchObject({ facets_pages: 1, detail_calls: 0 });
    expect(await ctx.db.getRepository(CatalogItemEntity).count()).toBe(120);
    expect(await ctx.module.get(CatalogSearch).indexedCount()).toBe(120);

    const upstream = ctx.sim.world.mediacms.all().find((i) => i.categories.length > 0 && i.tags.length > 1);
    if (!upstream) throw new Error('seed has no item with categories and tags');
    const details = await ctx.catalog.getItemDetails(upstream.friendly_token);
    expect(details?.item.manifest_url).toBe(manifestUrl(ctx.sim.url, upstream.friendly_token));
    expect(details?.categories.map((c) => c.name).sort()).toEqual([...upstream.categories].sort());
    expect(details?.tags.sort()).toEqual([...upstream.tags].sort());
    expect(details?.categories.every((c) => /^[a-z0-9-]+$/.test(c.slug))).toBe(true);

    const logs = await ctx.db.getRepository(SyncLogEntity).find();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      status: 'completed',
      items_seen: 120,
      items_new: 120,
      items_gone: 0,
      errors: 0,
    });
    expect(logs[0].ended_at).toBeInstanceOf(Date);
  });

  it('counts nothing new on an unchanged re-sync, then picks up edits, deletions and reappearances', async () => {
    expect(await ctx.catalog.runSync('again')).toMatchObject({
      status: 'completed',
      new: 0,
      updated: 0,
      gone: 0,
    });

    const [edited, removed] = ctx.sim.world.mediacms.all().slice(3, 5);
    edited.title = 'Zanzibar Quuxification';
    const removedCopy = { ...removed };
    await control.deleteMedia(removed.friendly_token);

    const third = await ctx.catalog.runSync('edits');
    expect(third).toMatchObject({ status: 'completed', seen: 119, new: 0, updated: 1, gone: 1 });
    const search = await ctx.catalog.search('quuxific', { page: 1, sort: 'default', showHidden: true });
    expect(search.items.map((i) => i.friendly_token)).toEqual([edited.friendly_token]);

    const gone = await ctx.db
      .getRepository(CatalogItemEntity)
      .findOneByOrFail({ friendly_token: removed.friendly_token });
    expect(gone.gone_at).toBeInstanceOf(Date);
    await expect(ctx.catalog.getPayableItem(removed.friendly_token)).rejects.toMatchObject({
      status: 404,
      code: 'item_not_found',
    });
    await expect(ctx.catalog.getAdminItem(removed.friendly_token)).rejects.toMatchObject({ status: 404 });
    const all = await ctx.catalog.browse({ page: 1, sort: 'title_asc', showHidden: true });
    expect(all.total).toBe(119);

    ctx.sim.world.mediacms.add(removedCopy);
    const fourth = await ctx.catalog.runSync('back');
    expect(fourth).toMatchObject({ seen: 120, new: 0, updated: 1, gone: 0 });
    const back = await ctx.db
      .getRepository(CatalogItemEntity)
      .findOneByOrFail({ friendly_token: removed.friendly_token });
    expect(back.gone_at).toBeNull();
  });

  it('never runs two syncs at once', async () => {
    const before = await ctx.db.getRepository(SyncLogEntity).count();
    const first = ctx.catalog.runSync('one');
    expect(ctx.catalog.isSyncRunning()).toBe(true);
    const second = await ctx.catalog.runSync('two');
    expect(second).toMatchObject({ status: 'already_running', sync_log_id: null });
    expect((await first).status).toBe('completed');
    expect(ctx.catalog.isSyncRunning()).toBe(false);
    expect(await ctx.db.getRepository(SyncLogEntity).count()).toBe(before + 1);
  });

  it('stops on a listing error without marking anything gone', async () => {
    await control.setFaults([{ method: 'GET', path: '/api/v1/manage_media', status: 500, times: 1 }]);
    const summary = await ctx.catalog.runSync('fault');
    await control.clearFaults();
    expect(summary).toMatchObject({ status: 'error', seen: 0, gone: 0, errors: 1 });
    expect(summary.message).toMatch(/listing page 1 failed/);
    const live = await ctx.catalog.browse({ page: 1, sort: 'default', showHidden: true });
    expect(live.total).toBe(120);
    const [log] = await ctx.db.getRepository(SyncLogEntity).find({ order: { id: 'DESC' }, take: 1 });
    expect(log).toMatchObject({ status: 'error', errors: 1 });
  });

  it('keeps the memberships of an item whose detail call fails, and counts the error', async () => {
    const item = ctx.sim.world.mediacms.all().find((i) => i.tags.length > 0);
    if (!item) throw new Error('no tagged item');
    const before = await ctx.catalog.getItemDetails(item.friendly_token);
    await control.setFaults([
      { method: 'GET', path: '/api/v1/media_facets', status: 404 },
      { method: 'GET', path: `/api/v1/media/${item.friendly_token}`, status: 503 },
    ]);
    item.tags = ['brand-new-tag'];
    const summary = await ctx.catalog.runSync('detail-fault');
    await control.clearFaults();
    expect(summary).toMatchObject({ status: 'completed', errors: 1 });
    expect(summary.message).toMatch(/1 item detail lookup/);
    expect((await ctx.catalog.getItemDetails(item.friendly_token))?.tags).toEqual(before?.tags);
    await ctx.catalog.runSync('healed');
    expect((await ctx.catalog.getItemDetails(item.friendly_token))?.tags).toEqual(['brand-new-tag']);
  });

  describe('categories and tags without the bulk media_facets list', () => {
    afterEach(async () => {
      await control.clearFaults();
    });

    function retagged(): { token: string; tags: string[] } {
      const item = ctx.sim.world.mediacms.all().find((i) => i.tags.length > 0 && !i.tags.includes(HIDE_TAG));
      if (!item) throw new Error('no tagged item');
      item.tags = [`retagged-${Date.now()}`];
      return { token: item.friendly_token, tags: item.tags };
    }

    it.each([
      ['upstream MediaCMS, which has no such route', { status: 404 }],
      ['a failing deployment', { status: 500 }],
      ['an answer of the wrong shape', { status: 200, body: { results: 'soon', has_next: false } }],
    ])('reads one detail per item from %s', async (_name, fault) => {
      const edit = retagged();
      await control.setFaults([{ method: 'GET', path: '/api/v1/media_facets', ...fault }]);
      const summary = await ctx.catalog.runSync('no-bulk');
      expect(summary).toMatchObject({ status: 'completed', errors: 0, facets_pages: 0, detail_calls: 120 });
      expect((await ctx.catalog.getItemDetails(edit.token))?.tags).toEqual(edit.tags);
    });

    it('uses what the bulk list gave before it failed, and details for the rest', async () => {
      const edit = retagged();
      // the bulk list brings 50 a page; MediaCMS fails from the second page on
      const client = ctx.module.get(MediaCmsClient);
      const real = client.listMediaFacets.bind(client);
      const spy = jest.spyOn(client, 'listMediaFacets').mockImplementation(async (page) => {
        const answer = await real(page, 50);
        await control.setFaults([{ method: 'GET', path: '/api/v1/media_facets', status: 503 }]);
        return answer;
      });
      const summary = await ctx.catalog.runSync('half-bulk');
      spy.mockRestore();
      expect(summary).toMatchObject({ status: 'completed', errors: 0, facets_pages: 1 });
      // the first bulk page is the 50 oldest items; the list brings the newest first
      expect(summary.detail_calls).toBe(70);
      expect((await ctx.catalog.getItemDetails(edit.token))?.tags).toEqual(edit.tags);
    });
  });

  it('does not undo an admin hide made while the bulk answer was in flight', async () => {
    const admin = ctx.module.get(CatalogAdminService);
    const client = ctx.module.get(MediaCmsClient);
    const target = ctx.sim.world.mediacms
      .all()
      .find((i) => !i.tags.includes(HIDE_TAG) && !i.categories.length);
    const token = (target ?? ctx.sim.world.mediacms.all()[100]).friendly_token;
    await admin.setHidden(token, false);
    const real = client.listMediaFacets.bind(client);
    // the admin hides the item after MediaCMS answered the bulk page and before the sync reads it
    const spy = jest.spyOn(client, 'listMediaFacets').mockImplementation(async (page, size) => {
      const answer = await real(page, size);
      await admin.setHidden(token, true);
      return answer;
    });
    const summary = await ctx.catalog.runSync('hide-during-sync');
    spy.mockRestore();
    expect(summary).toMatchObject({ status: 'completed', facets_pages: 1, detail_calls: 1 });
    expect((await ctx.catalog.getItemDetails(token))?.tags).toContain(HIDE_TAG);
    expect((await ctx.catalog.getItemDetails(token))?.item.hidden).toBe(true);
    await admin.setHidden(token, false);
  });
});
