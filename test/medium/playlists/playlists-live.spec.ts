import { EventEmitter2 } from '@nestjs/event-emitter';
import { LiveEvent } from '../../../src/live/live.events';
import { CatalogService } from '../../../src/catalog/catalog.service';
import { PlaylistsService } from '../../../src/playlists/playlists.service';
import { type PlaylistWorld, startPlaylistWorld } from './playlists-harness';

describe('saved playlists: import to live, reservation and promo pools (simulator)', () => {
  let w: PlaylistWorld;

  beforeEach(async () => {
    w = await startPlaylistWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  const post = (url: string, body?: object) => w.http().post(url).set('Cookie', w.admin).send(body);
  const put = (url: string, body?: object) => w.http().put(url).set('Cookie', w.admin).send(body);

  async function playlistWith(name: string, items: object[], extra: object = {}): Promise<number> {
    const id = (await post('/admin/playlists', { name, ...extra }).expect(200)).body.id as number;
    await put(`/admin/playlists/${id}/items`, { items }).expect(200);
    return id;
  }

  function cm(i: PlaylistWorld['items'][number]): object {
    return { media_type: 'cm', media_id: i.manifest_url, title: i.title, duration_sec: i.duration_sec };
  }

  async function browseTokens(): Promise<string[]> {
    const res = await w
      .http()
      .get('/catalog/browse')
      .set('Cookie', w.viewer)
      .set('Accept', 'application/json');
    expect(res.status).toBe(200);
    return (res.body.items as { friendly_token: string }[]).map((i) => i.friendly_token);
  }

  async function visibleItem(): Promise<PlaylistWorld['items'][number]> {
    const visible = new Set(await browseTokens());
    const item = w.items.find((i) => visible.has(i.friendly_token));
    if (!item) throw new Error('no visible catalog item');
    return item;
  }

  const buy = (token: string) =>
    w
      .http()
      .post('/queue/add')
      .set('Cookie', w.viewer)
      .send({ friendly_token: token, client_key: `k-${token}-${Math.random()}` });

  it('imports into the live queue in order at the end, throttled, as temp items', async () => {
    const [a, b, c] = w.items;
    const before = (await w.ctl.state()).playlist.length;
    const id = await playlistWith('Tonight', [cm(a), cm(b), cm(c)]);
    const res = await post(`/admin/playlists/${id}/import`).expect(200);
    expect(res.body).toEqual({ success: true, added: 3, errors: 0, failures: [] });
    const playlist = (await w.ctl.state()).playlist;
    expect(playlist.slice(before).map((p) => p.media.id)).toEqual([
      a.manifest_url,
      b.manifest_url,
      c.manifest_url,
    ]);
    expect(playlist.slice(before).every((p) => p.temp)).toBe(true);
    expect(w.sleeper.waits.filter((ms) => ms > 0)).toEqual([500, 500]);
  });

  it('counts failed adds as errors and goes on (422 retried then given up, 500 not retried)', async () => {
    const [a, b, c, d, e, f] = w.items;
    const first = await playlistWith('Faulty', [cm(a), cm(b), cm(c)]);
    await w.ctl.setFaults([
      { method: 'POST', path: '/api/v1/playlist/add', status: 422, body: { detail: 'Too quick' }, times: 3 },
    ]);
    expect((await post(`/admin/playlists/${first}/import`).expect(200)).body).toEqual({
      success: true,
      added: 2,
      errors: 1,
      // each failed item with its position, title and CyTube's reason
      failures: [{ position: 1, title: a.title, error: 'Too quick' }],
    });
    expect(w.sleeper.waits.filter((ms) => ms > 0)).toEqual([500, 1000, 500, 500]);

    const second = await playlistWith('Faulty too', [cm(d), cm(e), cm(f)]);
    await w.ctl.setFaults([{ method: 'POST', path: '/api/v1/playlist/add', status: 500, times: 1 }]);
    const progress: unknown[] = [];
    w.t.get(EventEmitter2).on(LiveEvent.ImportProgress, (p: unknown) => progress.push(p));
    expect((await post(`/admin/playlists/${second}/import`).expect(200)).body).toEqual({
      success: true,
      added: 2,
      errors: 1,
      failures: [{ position: 1, title: d.title, error: expect.stringContaining('500') }],
    });
    // "n of m" after every item, the failure said where it happened
    expect(progress).toEqual([
      {
        playlist_id: second,
        done: 1,
        total: 3,
        failed: { position: 1, title: d.title, error: expect.any(String) },
      },
      { playlist_id: second, done: 2, total: 3, failed: null },
      { playlist_id: second, done: 3, total: 3, failed: null },
    ]);
    const ids = (await w.ctl.state()).playlist.map((p) => p.media.id);
    expect(ids.slice(-4)).toEqual([b.manifest_url, c.manifest_url, e.manifest_url, f.manifest_url]);
  });

  it('an empty playlist is not imported', async () => {
    const id = await playlistWith('Empty', []);
    expect((await post(`/admin/playlists/${id}/import`).expect(200)).body).toEqual({
      success: false,
      error: 'Playlist is empty',
    });
  });

  it('reserving a playlist hides its items from browse, item and pay-to-play at once; releasing brings them back', async () => {
    const item = await visibleItem();
    const id = await playlistWith('Event night', [cm(item)]);
    expect(await browseTokens()).toContain(item.friendly_token);

    await put(`/admin/playlists/${id}`, { is_immutable: true }).expect(200);
    expect(await browseTokens()).not.toContain(item.friendly_token);
    await w
      .http()
      .get(`/catalog/item/${item.friendly_token}`)
      .set('Cookie', w.viewer)
      .set('Accept', 'application/json')
      .expect(404);
    const refused = await buy(item.friendly_token);
    expect(refused.status).toBe(404);

    await put(`/admin/playlists/${id}`, { is_immutable: false }).expect(200);
    expect(await browseTokens()).toContain(item.friendly_token);
    await w
      .http()
      .get(`/catalog/item/${item.friendly_token}`)
      .set('Cookie', w.viewer)
      .set('Accept', 'application/json')
      .expect(200);
    expect((await buy(item.friendly_token)).status).not.toBe(404);
  });

  it('adding an item to a reserved playlist hides it; removing it or deleting the playlist shows it again', async () => {
    const item = await visibleItem();
    const id = await playlistWith('Reserved', [], { is_immutable: true });
    expect(await browseTokens()).toContain(item.friendly_token);
    await post(`/admin/playlists/${id}/append`, { friendly_token: item.friendly_token }).expect(200);
    expect(await browseTokens()).not.toContain(item.friendly_token);
    await put(`/admin/playlists/${id}/items`, { items: [] }).expect(200);
    expect(await browseTokens()).toContain(item.friendly_token);
    await put(`/admin/playlists/${id}/items`, { items: [cm(item)] }).expect(200);
    expect(await browseTokens()).not.toContain(item.friendly_token);
    await w.http().delete(`/admin/playlists/${id}`).set('Cookie', w.admin).expect(200);
    expect(await browseTokens()).toContain(item.friendly_token);
  });

  it('a promo pool hides its items and cannot be bought; listPromoPools returns pools with items', async () => {
    const item = await visibleItem();
    const other = w.items.find((i) => i.friendly_token !== item.friendly_token) ?? item;
    const id = await playlistWith('Bumpers', [cm(item)]);
    await playlistWith('Plain', [cm(other)]);
    await put(`/admin/playlists/${id}`, { promo_type: 'channel_identity' }).expect(200);
    expect(await browseTokens()).not.toContain(item.friendly_token);
    expect((await buy(item.friendly_token)).status).toBe(404);

    const pools = await w.t.get(PlaylistsService).listPromoPools();
    expect(
      pools.map((p) => [p.playlist.name, p.playlist.promo_type, p.items.map((i) => i.media_id)]),
    ).toEqual([['Bumpers', 'channel_identity', [item.manifest_url]]]);
    const withItems = await w.t.get(PlaylistsService).getWithItems(id);
    expect(withItems.items.map((i) => i.position)).toEqual([0]);

    await put(`/admin/playlists/${id}`, { promo_type: null }).expect(200);
    expect(await browseTokens()).toContain(item.friendly_token);
    expect(await w.t.get(PlaylistsService).listPromoPools()).toEqual([]);
  });

  it('calls the catalog invalidation exactly when the hidden set can move', async () => {
    const [a] = w.items;
    const spy = jest.spyOn(w.t.get(CatalogService), 'invalidate');
    const id = await playlistWith('Plain', [cm(a)]);
    await put(`/admin/playlists/${id}`, { name: 'Renamed', description: 'x' }).expect(200);
    await post(`/admin/playlists/${id}/append`, { friendly_token: a.friendly_token }).expect(200);
    expect(spy).not.toHaveBeenCalled();
    await put(`/admin/playlists/${id}`, { is_immutable: true }).expect(200);
    expect(spy).toHaveBeenCalledTimes(1);
    await put(`/admin/playlists/${id}`, { name: 'Still reserved' }).expect(200);
    expect(spy).toHaveBeenCalledTimes(1);
    await post(`/admin/playlists/${id}/append`, { friendly_token: a.friendly_token }).expect(200);
    await put(`/admin/playlists/${id}/items`, { items: [] }).expect(200);
    await put(`/admin/playlists/${id}`, { promo_type: 'event' }).expect(200);
    await w.http().delete(`/admin/playlists/${id}`).set('Cookie', w.admin).expect(200);
    expect(spy).toHaveBeenCalledTimes(5);
  });
});
