import { CatalogService } from '../../../src/catalog/catalog.service';
import { ClusterBus } from '../../../src/cluster/cluster-bus';
import { ManualClock } from '../../../src/common/clock';
import { manifestUrl } from '../../../src/kryten/mediacms.client';
import { SavedPlaylistItemEntity } from '../../../src/playlists/entities/saved-playlist-item.entity';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import { PlaylistMemberships } from '../../../src/playlists/playlist-memberships';
import { DataSource } from 'typeorm';
import { type PlaylistWorld, startPlaylistWorld } from './playlists-harness';

/** A bus that delivers what the test says another instance published. */
class RecordingBus extends ClusterBus {
  readonly shared = true;
  readonly published: string[] = [];
  private readonly handlers = new Map<string, ((payload: unknown) => void)[]>();
  publish(channel: string): void {
    this.published.push(channel);
  }
  subscribe(channel: string, handler: (payload: unknown) => void): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }
  fromElsewhere(channel: string): void {
    for (const handler of this.handlers.get(channel) ?? []) handler({});
  }
}

describe('reserved items follow every saved-playlist write at once', () => {
  let w: PlaylistWorld;
  beforeEach(async () => {
    w = await startPlaylistWorld({ catalogSize: 12 });
  });
  afterEach(async () => w.close());

  const admin = () => ({
    post: (url: string, body?: object) => w.http().post(url).set('Cookie', w.admin).send(body),
    put: (url: string, body?: object) => w.http().put(url).set('Cookie', w.admin).send(body),
    del: (url: string) => w.http().delete(url).set('Cookie', w.admin),
  });
  const browsed = async (): Promise<string[]> =>
    (await w.t.get(CatalogService).browse({ page: 1, sort: 'title_asc', showHidden: false })).items.map(
      (i) => i.friendly_token,
    );

  it('create, append, flag changes, replace and delete each move what browse shows', async () => {
    const [first, second] = w.items.map((i) => i.friendly_token);
    expect(await browsed()).toEqual(expect.arrayContaining([first, second]));

    const id = (await admin().post('/admin/playlists', { name: 'Event', is_immutable: true }).expect(200))
      .body.id as number;
    await admin().post(`/admin/playlists/${id}/append`, { friendly_token: first }).expect(200);
    expect(await browsed()).not.toContain(first);

    await admin().put(`/admin/playlists/${id}`, { is_immutable: false }).expect(200);
    expect(await browsed()).toContain(first);

    await admin().put(`/admin/playlists/${id}`, { promo_type: 'event' }).expect(200);
    expect(await browsed()).not.toContain(first);

    await admin()
      .put(`/admin/playlists/${id}/items`, {
        items: [{ media_type: 'cm', media_id: manifestUrl(w.sim.url, second) }],
      })
      .expect(200);
    expect(await browsed()).toContain(first);
    expect(await browsed()).not.toContain(second);

    await admin().del(`/admin/playlists/${id}`).expect(200);
    expect(await browsed()).toEqual(expect.arrayContaining([first, second]));
  });
});

describe('PlaylistMemberships keeps the reservations between writes', () => {
  let w: PlaylistWorld;
  beforeEach(async () => {
    w = await startPlaylistWorld({ catalogSize: 6 });
  });
  afterEach(async () => w.close());

  function fresh(): { memberships: PlaylistMemberships; bus: RecordingBus; clock: ManualClock } {
    const bus = new RecordingBus();
    const clock = new ManualClock(new Date('2026-12-02T10:00:00Z'));
    return { memberships: new PlaylistMemberships(w.t.get(DataSource), bus, clock), bus, clock };
  }

  async function immutablePlaylist(mediaId: string): Promise<number> {
    const db = w.t.get(DataSource);
    const { id } = await db
      .getRepository(SavedPlaylistEntity)
      .save({ name: 'direct', created_by: 'tool', created_at: new Date(), is_immutable: true });
    await db
      .getRepository(SavedPlaylistItemEntity)
      .insert({ playlist_id: id, position: 0, media_type: 'cm', media_id: mediaId });
    return id;
  }

  it('reads once per version; a write here is told to the other instances', async () => {
    const { memberships, bus } = fresh();
    const read = jest.spyOn(memberships as unknown as { read(): Promise<unknown> }, 'read');
    await memberships.list();
    await memberships.list();
    expect(read).toHaveBeenCalledTimes(1);

    const version = memberships.version;
    memberships.changed();
    expect(memberships.version).toBeGreaterThan(version);
    expect(bus.published).toEqual(['playlists.memberships']);
    await memberships.list();
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('forgets its answer when another instance wrote a playlist', async () => {
    const { memberships, bus } = fresh();
    expect(await memberships.list()).toEqual([]);
    await immutablePlaylist('elsewhere-1');
    const version = memberships.version;
    bus.fromElsewhere('playlists.memberships');
    expect(memberships.version).toBeGreaterThan(version);
    expect(await memberships.list()).toEqual([
      { media_type: 'cm', media_id: 'elsewhere-1', is_immutable: true, promo_type: null },
    ]);
  });

  it('sees a row written past it within a minute, and moves the version then', async () => {
    const { memberships, clock } = fresh();
    expect(await memberships.list()).toEqual([]);
    await immutablePlaylist('by-a-tool');
    clock.advance(30_000);
    expect(await memberships.list()).toEqual([]);
    const version = memberships.version;
    clock.advance(31_000);
    expect(await memberships.list()).toHaveLength(1);
    expect(memberships.version).toBeGreaterThan(version);
    // the same answer again moves nothing
    clock.advance(61_000);
    const settled = memberships.version;
    expect(await memberships.list()).toHaveLength(1);
    expect(memberships.version).toBe(settled);
  });

  it('does not keep a failed read', async () => {
    const { memberships } = fresh();
    const read = jest
      .spyOn(memberships as unknown as { read(): Promise<unknown> }, 'read')
      .mockRejectedValueOnce(new Error('database is locked'));
    await expect(memberships.list()).rejects.toThrow('database is locked');
    expect(await memberships.list()).toEqual([]);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
