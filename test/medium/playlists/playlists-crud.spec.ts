import { importReasonText } from '../../../src/playlists/text-import.rules';
import { DataSource } from 'typeorm';
import { SavedPlaylistItemEntity } from '../../../src/playlists/entities/saved-playlist-item.entity';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import { PlaylistScheduleEntity } from '../../../src/schedules/entities/playlist-schedule.entity';
import { type PlaylistWorld, startPlaylistWorld } from './playlists-harness';

describe('saved playlists: CRUD, items, append (simulator)', () => {
  let w: PlaylistWorld;

  beforeEach(async () => {
    w = await startPlaylistWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  const api = () => ({
    get: (url: string) => w.http().get(url).set('Cookie', w.admin).set('Accept', 'application/json'),
    post: (url: string, body?: object) => w.http().post(url).set('Cookie', w.admin).send(body),
    put: (url: string, body?: object) => w.http().put(url).set('Cookie', w.admin).send(body),
    del: (url: string) => w.http().delete(url).set('Cookie', w.admin),
  });

  async function create(body: object): Promise<number> {
    const res = await api().post('/admin/playlists', body).expect(200);
    expect(res.body).toEqual({ id: expect.any(Number) });
    return res.body.id as number;
  }

  it('only admins: a viewer gets 403, no session 401', async () => {
    const viewer = await w
      .http()
      .get('/admin/playlists')
      .set('Cookie', w.viewer)
      .set('Accept', 'application/json');
    expect(viewer.status).toBe(403);
    expect((await w.http().post('/admin/playlists').send({ name: 'x' })).status).toBe(401);
  });

  it('creates with validation (400, never 500) and lists by name with item count and promo type', async () => {
    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 42 },
      { name: 'x', is_immutable: 'yes' },
      { name: 'x', promo_type: 'bogus' },
      { name: 'x'.repeat(201) },
    ]) {
      const res = await api().post('/admin/playlists', body);
      expect(res.status).toBe(400);
      expect(typeof res.body.detail).toBe('string');
    }
    const b = await create({ name: 'Beta', description: 'second', promo_type: 'event' });
    const a = await create({ name: ' Alpha ', is_immutable: true });
    const c = await create({ name: 'Charlie', created_by: 'intruder' });
    await api()
      .put(`/admin/playlists/${a}/items`, { items: [{ media_type: 'yt', media_id: 'abcdefghijk' }] })
      .expect(200);

    const list = (await api().get('/admin/playlists').expect(200)).body as Record<string, unknown>[];
    expect(list.map((p) => p.name)).toEqual(['Alpha', 'Beta', 'Charlie']);
    expect(list[0]).toMatchObject({
      id: a,
      is_immutable: true,
      promo_type: null,
      created_by: 'boss',
      item_count: 1,
    });
    expect(list[1]).toMatchObject({
      id: b,
      description: 'second',
      is_immutable: false,
      promo_type: 'event',
      item_count: 0,
    });
    expect(list[2]).toMatchObject({ id: c, created_by: 'boss', description: null });
  });

  it('gets one playlist with its items by position; bad ids 400, unknown 404', async () => {
    const id = await create({ name: 'One' });
    const one = (await api().get(`/admin/playlists/${id}`).expect(200)).body;
    expect(one).toMatchObject({ id, name: 'One', items: [] });
    await api().get('/admin/playlists/abc').expect(400);
    await api().get('/admin/playlists/1.5').expect(400);
    const missing = await api().get('/admin/playlists/9999').expect(404);
    expect(missing.body.detail).toBe('Playlist not found');
    for (const call of [
      api().put('/admin/playlists/9999', { name: 'x' }),
      api().del('/admin/playlists/9999'),
      api().put('/admin/playlists/9999/items', { items: [] }),
      api().post('/admin/playlists/9999/import'),
      api().post('/admin/playlists/9999/append', { friendly_token: w.items[0].friendly_token }),
    ]) {
      const res = await call;
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe('Playlist not found');
    }
    await api().del('/admin/playlists/x').expect(400);
  });

  it('updates only the keys given (whitelist), bumps updated_at, validates', async () => {
    const id = await create({ name: 'Old', description: 'keep me' });
    const before = (await api().get(`/admin/playlists/${id}`)).body;
    w.clock.advance(60_000);
    await api()
      .put(`/admin/playlists/${id}`, { name: 'New', created_by: 'intruder', id: 77 })
      .expect(200, { success: true });
    const after = (await api().get(`/admin/playlists/${id}`)).body;
    expect(after).toMatchObject({
      id,
      name: 'New',
      description: 'keep me',
      created_by: 'boss',
      is_immutable: false,
    });
    expect(new Date(after.updated_at).getTime()).toBe(new Date(before.updated_at).getTime() + 60_000);

    await api()
      .put(`/admin/playlists/${id}`, { is_immutable: true, promo_type: 'mod_shoutout', description: null })
      .expect(200);
    expect((await api().get(`/admin/playlists/${id}`)).body).toMatchObject({
      name: 'New',
      description: null,
      is_immutable: true,
      promo_type: 'mod_shoutout',
    });
    await api().put(`/admin/playlists/${id}`, { promo_type: null }).expect(200);
    expect((await api().get(`/admin/playlists/${id}`)).body.promo_type).toBeNull();

    for (const body of [{ name: '' }, { name: null }, { is_immutable: null }, { promo_type: 'nope' }]) {
      expect((await api().put(`/admin/playlists/${id}`, body)).status).toBe(400);
    }
  });

  it('replaces the items (positions 0..n-1) and validates them', async () => {
    const id = await create({ name: 'Items' });
    const [x, y] = w.items;
    const items = [
      { media_type: 'cm', media_id: x.manifest_url, title: x.title, duration_sec: x.duration_sec },
      { media_type: 'yt', media_id: 'dQw4w9WgXcQ' },
      { media_type: 'cm', media_id: y.manifest_url, title: 'Custom', duration_sec: 12 },
    ];
    await api().put(`/admin/playlists/${id}/items`, { items }).expect(200, { success: true, count: 3 });
    const got = (await api().get(`/admin/playlists/${id}`)).body.items as Record<string, unknown>[];
    expect(got.map((i) => [i.position, i.media_type, i.media_id, i.title, i.duration_sec])).toEqual([
      [0, 'cm', x.manifest_url, x.title, x.duration_sec],
      [1, 'yt', 'dQw4w9WgXcQ', null, null],
      [2, 'cm', y.manifest_url, 'Custom', 12],
    ]);

    await api()
      .put(`/admin/playlists/${id}/items`, { items: [items[2], items[0]] })
      .expect(200, { success: true, count: 2 });
    const again = (await api().get(`/admin/playlists/${id}`)).body.items as Record<string, unknown>[];
    expect(again.map((i) => [i.position, i.media_id])).toEqual([
      [0, y.manifest_url],
      [1, x.manifest_url],
    ]);

    for (const body of [
      {},
      { items: 'nope' },
      { items: [null] },
      { items: [{ media_type: 'zz', media_id: 'a' }] },
      { items: [{ media_type: 'yt', media_id: '' }] },
      { items: [{ media_type: 'yt' }] },
      { items: [{ media_type: 'yt', media_id: 'a', duration_sec: -1 }] },
    ]) {
      const res = await api().put(`/admin/playlists/${id}/items`, body);
      expect(res.status).toBe(400);
    }
    expect((await api().get(`/admin/playlists/${id}`)).body.items).toHaveLength(2);
    await api().put(`/admin/playlists/${id}/items`, { items: [] }).expect(200, { success: true, count: 0 });
  });

  it('appends catalog items at max(position)+1, to an id or to the newest playlist (409 without one)', async () => {
    const [x, y] = w.items;
    const none = await api().post('/admin/playlists/recent/append', { friendly_token: x.friendly_token });
    expect(none.status).toBe(409);
    expect(none.body.detail).toBe('Create a playlist first');

    const older = await create({ name: 'Older' });
    w.clock.advance(1000);
    const newer = await create({ name: 'Newer' });
    w.clock.advance(1000);
    await w.t
      .get(DataSource)
      .getRepository(SavedPlaylistEntity)
      .update({ id: older }, { created_by: 'someone' });
    const mine = await create({ name: 'AAA mine again' });
    await w.t
      .get(DataSource)
      .getRepository(SavedPlaylistEntity)
      .update({ id: mine }, { created_at: new Date(w.clock.nowMs() - 5000) });

    const first = await api()
      .post('/admin/playlists/recent/append', { friendly_token: x.friendly_token })
      .expect(200);
    expect(first.body).toEqual({ success: true, playlist_id: newer, name: 'Newer', count: 1 });
    const dup = await api()
      .post(`/admin/playlists/${newer}/append`, { friendly_token: x.friendly_token })
      .expect(200);
    expect(dup.body.count).toBe(2);
    await api().post(`/admin/playlists/${newer}/append`, { friendly_token: y.friendly_token }).expect(200);

    const items = (await api().get(`/admin/playlists/${newer}`)).body.items as Record<string, unknown>[];
    expect(items.map((i) => [i.position, i.media_type, i.media_id, i.title, i.duration_sec])).toEqual([
      [0, 'cm', x.manifest_url, x.title, x.duration_sec],
      [1, 'cm', x.manifest_url, x.title, x.duration_sec],
      [2, 'cm', y.manifest_url, y.title, y.duration_sec],
    ]);

    const unknown = await api().post(`/admin/playlists/${newer}/append`, { friendly_token: 'NoSuchTok1' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('Catalog item not found');
    expect(
      (await api().post('/admin/playlists/recent/append', { friendly_token: 'NoSuchTok1' })).status,
    ).toBe(404);
    expect((await api().post('/admin/playlists/recent/append', {})).status).toBe(400);
    expect((await api().post(`/admin/playlists/${newer}/append`, { friendly_token: '' })).status).toBe(400);
    expect(
      (await api().post('/admin/playlists/abc/append', { friendly_token: x.friendly_token })).status,
    ).toBe(400);
  });

  it('a reserved item can still be appended (unfiltered lookup)', async () => {
    const x = w.items[0];
    const reserved = await create({ name: 'Reserved', is_immutable: true });
    await api().put(`/admin/playlists/${reserved}/items`, {
      items: [{ media_type: 'cm', media_id: x.manifest_url }],
    });
    const other = await create({ name: 'Other' });
    const res = await api()
      .post(`/admin/playlists/${other}/append`, { friendly_token: x.friendly_token })
      .expect(200);
    expect(res.body.count).toBe(1);
  });

  it('delete cascades to the items and leaves schedules with playlist_id NULL', async () => {
    const id = await create({ name: 'Doomed' });
    await api().put(`/admin/playlists/${id}/items`, {
      items: [
        { media_type: 'yt', media_id: 'a' },
        { media_type: 'yt', media_id: 'b' },
      ],
    });
    const ds = w.t.get(DataSource);
    const schedule = await ds.getRepository(PlaylistScheduleEntity).save({
      playlist_id: id,
      label: 'Friday',
      fire_at: new Date(w.clock.nowMs() + 3_600_000),
      created_by: 'boss',
      created_at: w.clock.now(),
    });
    await api().del(`/admin/playlists/${id}`).expect(200, { success: true });
    await api().get(`/admin/playlists/${id}`).expect(404);
    expect(await ds.getRepository(SavedPlaylistItemEntity).countBy({ playlist_id: id })).toBe(0);
    expect(
      (await ds.getRepository(PlaylistScheduleEntity).findOneByOrFail({ id: schedule.id })).playlist_id,
    ).toBeNull();
  });

  it('parse-text resolves simulator URLs through the catalog and reports unresolved lines', async () => {
    const [x] = w.items;
    const text = [
      '# tonight',
      `${w.sim.url}/view?m=${x.friendly_token} - ignored hint`,
      `${w.sim.url}/api/v1/media/cytube/NotThere9.json?format=json – Hinted`,
      'https://youtu.be/dQw4w9WgXcQ?t=3',
      'https://vimeo.com/1',
      'NotThere9',
    ].join('\n');
    const res = await api().post('/admin/playlists/parse-text', { text }).expect(200);
    expect(res.body).toEqual({
      items: [
        { media_type: 'cm', media_id: x.manifest_url, title: x.title, duration_sec: x.duration_sec },
        {
          media_type: 'cm',
          media_id: `${w.sim.url}/api/v1/media/cytube/NotThere9.json?format=json`,
          title: 'Hinted',
          duration_sec: null,
        },
        { media_type: 'yt', media_id: 'dQw4w9WgXcQ', title: null, duration_sec: null },
      ],
      errors: [
        {
          line: 5,
          token: 'https://vimeo.com/1',
          reason: 'unsupported_site',
          message: importReasonText('unsupported_site'),
        },
        {
          line: 6,
          token: 'NotThere9',
          reason: 'not_in_catalog',
          message: importReasonText('not_in_catalog'),
        },
      ],
    });
    expect((await api().post('/admin/playlists/parse-text', {})).status).toBe(400);
    expect((await api().post('/admin/playlists/parse-text', { text: '' }).expect(200)).body).toEqual({
      items: [],
      errors: [],
    });
  });

  it('concurrent appends get distinct positions 0..n-1', async () => {
    const id = await create({ name: 'Busy' });
    const results = await Promise.all(
      w.items
        .slice(0, 8)
        .map((i) => api().post(`/admin/playlists/${id}/append`, { friendly_token: i.friendly_token })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(results.map((r) => r.body.count as number).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    const items = (await api().get(`/admin/playlists/${id}`)).body.items as { position: number }[];
    expect(items.map((i) => i.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
