import type { Test as HttpTest } from 'supertest';
import request from '../support/http';
import { CatalogService } from '../../src/catalog/catalog.service';
import { CatalogSyncService } from '../../src/catalog/catalog-sync.service';
import { manifestUrl } from '../../src/kryten/mediacms.client';
import { SavedPlaylistItemEntity } from '../../src/playlists/entities/saved-playlist-item.entity';
import { PlaylistMemberships } from '../../src/playlists/playlist-memberships';
import { SavedPlaylistEntity } from '../../src/playlists/entities/saved-playlist.entity';
import { startSimulator, type RunningSimulator } from '../../sim/server';
import { SimControl } from '../../sim/sim-control';
import { type CatalogItem } from '../../sim/world/catalog-generator';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { simOverrides } from '../support/config';

const ITEM_FIELDS = [
  'cover_art_path',
  'cover_art_source',
  'duration_sec',
  'friendly_token',
  'manifest_url',
  'thumbnail_url',
  'title',
];

describe('catalog pages and JSON API', () => {
  let sim: RunningSimulator;
  let control: SimControl;
  let t: TestApp;
  let viewer: string;
  let admin: string;
  let evil: CatalogItem;
  let plain: CatalogItem;

  function upstream(pred: (i: CatalogItem) => boolean): CatalogItem {
    const found = sim.world.mediacms.all().find(pred);
    if (!found) throw new Error('no such simulator item');
    return found;
  }

  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, catalogSize: 60 });
    control = new SimControl(sim.url);
    const template = sim.world.mediacms.all()[0];
    evil = {
      ...template,
      friendly_token: 'EvilTok01',
      title: '<script>alert(1)</script> Evil "Twin"',
      description: 'Line one <b>bold</b>\nLine two',
      categories: ['Movies'],
      tags: ['classic'],
    };
    sim.world.mediacms.add(evil);
    t = await createTestApp({
      configOverrides: simOverrides(sim),
    });
    await control.addUser({ name: 'boss', rank: 3 });
    viewer = sessionCookieFor(t, 'viewer', 1);
    admin = sessionCookieFor(t, 'boss', 3);
    const summary = await t.get(CatalogService).runSync('e2e');
    if (summary.status !== 'completed') throw new Error(`initial sync: ${JSON.stringify(summary)}`);
    plain = upstream(
      (i) =>
        i.friendly_token !== evil.friendly_token &&
        i.tags.every(
          (x) =>
            ![
              'bumpers',
              'channelz',
              'publicaccess',
              'religioustv',
              'grindhousebumper',
              'commercialsforbumpers',
              'grindhousetrailer',
            ].includes(x),
        ) &&
        i.categories.every((c) => !c.startsWith('Z ') && c !== 'Weekday Z Promos'),
    );
  });
  afterAll(async () => {
    await t.get(CatalogSyncService).waitForIdle();
    await t.close();
    await sim.close();
  });

  const json = (path: string, cookie = viewer): HttpTest =>
    request(t.url).get(path).set('Accept', 'application/json').set('Cookie', cookie);
  const html = (path: string, cookie = viewer): HttpTest =>
    request(t.url).get(path).set('Accept', 'text/html').set('Cookie', cookie);

  it('needs a session: 401 JSON, a login redirect for pages', async () => {
    await request(t.url).get('/catalog/browse').set('Accept', 'application/json').expect(401);
    const res = await request(t.url).get('/catalog/browse').set('Accept', 'text/html').expect(302);
    expect(res.headers.location).toMatch(/^\/auth\/login/);
  });

  it('browses as JSON with the 0.10.0 shape, 24 per page', async () => {
    const res = await json('/catalog/browse').expect(200);
    expect(res.body).toMatchObject({ page: 1, sort: 'default' });
    expect(res.body.items).toHaveLength(24);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(ITEM_FIELDS);
    expect(res.body.total_pages).toBe(Math.max(1, Math.ceil(res.body.total / 24)));
    expect(res.body.categories.length).toBeGreaterThan(0);
    expect(res.body.categories.map((c: { name: string }) => c.name)).not.toContain('Z Event Movies');
    expect(res.body.tags.length).toBeLessThanOrEqual(100);
    const last = await json(`/catalog/browse?page=${res.body.total_pages}&sort=bogus`).expect(200);
    expect(last.body.sort).toBe('default');
    expect(last.body.items.length).toBeGreaterThan(0);
  });

  it('refuses bad paging and unknown search sorts with a 400, never a 500', async () => {
    for (const page of ['-1', 'abc', '0', '1.5']) {
      const res = await json(`/catalog/browse?page=${page}`).expect(400);
      expect(res.body.detail).toMatch(/page must be a positive integer/);
    }
    const sort = await json('/catalog/search?q=x&sort=random').expect(400);
    expect(sort.body.detail).toMatch(/sort must be one of/);
    const blank = await json('/catalog/search?q=%20%20').expect(400);
    expect(blank.body).toEqual({
      detail: 'Query required',
      code: 'query_required',
      trace_id: expect.any(String),
    });
  });

  it.each([
    '"',
    '(',
    'a:b',
    'title:evil',
    'NEAR(a b)',
    'x AND OR NOT',
    '*',
    '^evil',
    '🎬🍿',
    '"evil',
    '-evil',
    'ev*il',
    '(((('.repeat(250),
  ])('searches safely for %j', async (q) => {
    const res = await json(`/catalog/search?q=${encodeURIComponent(q)}`).expect(200);
    expect(Array.isArray(res.body.items)).toBe(true);
  });

  it('answers a 1,000-character query', async () => {
    const res = await json(`/catalog/search?q=${encodeURIComponent('evil '.repeat(200))}`).expect(200);
    expect(res.body.items.map((i: { friendly_token: string }) => i.friendly_token)).toEqual([
      evil.friendly_token,
    ]);
    expect(res.body.query).toHaveLength(999);
  });

  it('ranks title matches, matches prefixes, and combines search with category and sort', async () => {
    const res = await json('/catalog/search?q=Evi').expect(200);
    expect(res.body.items[0].friendly_token).toBe(evil.friendly_token);
    expect(typeof res.body.items[0].relevance).toBe('number');
    expect(res.body.query).toBe('Evi');
    const inCat = await json('/catalog/search?q=evil&category=movies&sort=title_desc').expect(200);
    expect(inCat.body.items.map((i: { friendly_token: string }) => i.friendly_token)).toContain(
      evil.friendly_token,
    );
    const otherCat = await json('/catalog/search?q=evil&category=cartoons').expect(200);
    expect(otherCat.body.items.map((i: { friendly_token: string }) => i.friendly_token)).not.toContain(
      evil.friendly_token,
    );
  });

  it('renders the browse page with tiles, a queue hook, filters and escaped titles', async () => {
    const res = await html('/catalog/search?q=evil').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Evil');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain(`data-action="queue" data-token="${evil.friendly_token}"`);
    expect(res.text).toContain('data-remember="browse_sort"');
    expect(res.text).toContain('/static/js/catalog.js');
    const page = await html('/catalog/browse?page=2&sort=newest').expect(200);
    expect(page.text).toMatch(/<span class="pager-current" aria-current="page">2<\/span>/);
    expect(page.text).toContain('href="/catalog/browse?sort&#x3D;newest" rel="prev"');
    expect(page.text).toMatch(/of \d+/);
  });

  it('sends an empty HTML search back to browse, keeping the filters', async () => {
    const res = await html('/catalog/search?q=&category=movies&sort=oldest').expect(302);
    expect(res.headers.location).toBe('/catalog/browse?category=movies&sort=oldest');
  });

  it('shows an item page and JSON, and a 404 page for unknown tokens', async () => {
    const page = await html(`/catalog/item/${evil.friendly_token}`).expect(200);
    expect(page.text).toContain('class="item-description"');
    expect(page.text).toContain('Line one &lt;b&gt;bold&lt;/b&gt;\nLine two');
    expect(page.text).toContain('href="/catalog/browse?category&#x3D;movies"');
    expect(page.text).toContain('href="/catalog/browse?tag&#x3D;classic"');
    const item = await json(`/catalog/item/${evil.friendly_token}`).expect(200);
    expect(item.body).toMatchObject({ friendly_token: evil.friendly_token, tags: ['classic'] });
    const missing = await html('/catalog/item/NoSuchTok').expect(404);
    expect(missing.text).toContain('Item not found');
    await json('/catalog/item/NoSuchTok').expect(404);
    await json('/catalog/item/..%2F..%2Fetc').expect(404);
  });

  it('lists visible categories as {id, name, slug, cnt}', async () => {
    const res = await json('/catalog/categories').expect(200);
    expect(res.body[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      slug: expect.any(String),
      cnt: expect.any(Number),
    });
    expect(res.body.map((c: { name: string }) => c.name)).not.toContain('Z Channel Promos');
  });

  it('leaves reserved (manifest URL) and promo-pool (bare token) items out everywhere', async () => {
    const db = t.get(DataSource);
    const [reserved, promo] = sim.world.mediacms
      .all()
      .filter((i) => i.friendly_token !== evil.friendly_token && i !== plain);
    const save = async (flags: Partial<SavedPlaylistEntity>, mediaId: string): Promise<void> => {
      const p = await db
        .getRepository(SavedPlaylistEntity)
        .save({ name: 'p', created_by: 'boss', created_at: new Date(), ...flags });
      await db
        .getRepository(SavedPlaylistItemEntity)
        .save({ playlist_id: p.id, position: 0, media_type: 'cm', media_id: mediaId });
      // Written past PlaylistsRepository, so tell the reservations cache as it would.
      t.get(PlaylistMemberships).changed();
    };
    await save({ is_immutable: true }, manifestUrl(sim.url, reserved.friendly_token));
    await save({ promo_type: 'event' }, promo.friendly_token);
    for (const token of [reserved.friendly_token, promo.friendly_token]) {
      await json(`/catalog/item/${token}`).expect(404);
      await html(`/catalog/item/${token}`).expect(404);
      await expect(t.get(CatalogService).getPayableItem(token)).rejects.toMatchObject({
        code: 'item_not_found',
      });
      const all = await json('/catalog/browse?page=1&sort=title_asc', admin).expect(200);
      const pages = all.body.total_pages as number;
      const tokens: string[] = [];
      for (let p = 1; p <= pages; p++) {
        const res = await json(`/catalog/browse?page=${p}&show_hidden=1`, admin).expect(200);
        tokens.push(...res.body.items.map((i: { friendly_token: string }) => i.friendly_token));
      }
      expect(tokens).not.toContain(token);
    }
    await expect(t.get(CatalogService).getAdminItem(reserved.friendly_token)).rejects.toMatchObject({
      status: 404,
    });
    await expect(t.get(CatalogService).getAdminItem(promo.friendly_token)).resolves.toMatchObject({
      friendly_token: promo.friendly_token,
    });
  });

  it('hides and unhides: local tag at once, MediaCMS tags written, owner restored', async () => {
    const owner = sim.world.mediacms.get(plain.friendly_token)?.user;
    await request(t.url)
      .post(`/admin/catalog/${plain.friendly_token}/hide`)
      .set('Cookie', viewer)
      .expect(403);
    const res = await request(t.url)
      .post(`/admin/catalog/${plain.friendly_token}/hide`)
      .set('Cookie', admin)
      .expect(200);
    expect(res.body).toEqual({ success: true, remote_ok: true });
    const media = await control.media(plain.friendly_token);
    expect(media.tags).toContain('kryten-hidden');
    expect(media.user).toBe(owner);
    await json(`/catalog/item/${plain.friendly_token}`).expect(404);
    await expect(t.get(CatalogService).getPayableItem(plain.friendly_token)).rejects.toMatchObject({
      status: 404,
    });
    await json(`/catalog/item/${plain.friendly_token}`, admin).expect(200);
    const adminPage = await html(
      `/catalog/search?q=${encodeURIComponent(plain.title)}&show_hidden=1`,
      admin,
    ).expect(200);
    expect(adminPage.text).toContain(`data-action="unhide" data-token="${plain.friendly_token}"`);

    const back = await request(t.url)
      .post(`/admin/catalog/${plain.friendly_token}/unhide`)
      .set('Cookie', admin)
      .expect(200);
    expect(back.body).toEqual({ success: true, remote_ok: true });
    expect((await control.media(plain.friendly_token)).tags).not.toContain('kryten-hidden');
    await json(`/catalog/item/${plain.friendly_token}`).expect(200);
    await request(t.url).post('/admin/catalog/NoSuchTok/hide').set('Cookie', admin).expect(404);
  });

  it('starts one sync from "Sync now" and lists the last 10 logs newest first', async () => {
    const first = await request(t.url).post('/admin/queue/sync-now').set('Cookie', admin).expect(200);
    expect(first.body).toEqual({ success: true, message: 'Sync started' });
    const second = await request(t.url).post('/admin/queue/sync-now').set('Cookie', admin).expect(200);
    expect(second.body).toEqual({ success: false, message: 'Sync already running' });
    await t.get(CatalogSyncService).waitForIdle();
    const logs = await request(t.url)
      .get('/admin/queue/sync-logs')
      .set('Accept', 'application/json')
      .set('Cookie', admin)
      .expect(200);
    expect(logs.body).toHaveLength(2);
    expect(logs.body[0].id).toBeGreaterThan(logs.body[1].id);
    expect(logs.body[0]).toMatchObject({ status: 'completed', items_seen: 61, items_gone: 0 });
    await request(t.url)
      .get('/admin/queue/sync-logs')
      .set('Accept', 'application/json')
      .set('Cookie', viewer)
      .expect(403);
  });
});
