import { DataSource } from 'typeorm';
import type { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import type { NowPlaying as GateNowPlaying } from '../../../src/kryten/api-gate.types';
import { LiveEvent } from '../../../src/live/live.events';
import { QueueShadowEntity } from '../../../src/queue/entities/queue-shadow.entity';
import { ActiveScheduleEntity } from '../../../src/schedules/entities/active-schedule.entity';
import type { QueueCatalog } from '../../../src/queue/queue-state.enrich';
import { testConfig } from '../../support/config';
import { entry, shadowHarness, type ShadowHarness } from './shadow-support';

function playing(
  uid: number | null,
  n: number,
  currentTime = 40,
  extra: Partial<GateNowPlaying> = {},
): GateNowPlaying {
  return {
    uid,
    id: `https://cms/m${n}.json`,
    title: `Title ${n}`,
    seconds: 100,
    duration: '01:40',
    type: 'cm',
    currentTime,
    paused: false,
    ...extra,
  };
}

async function rows(h: ShadowHarness): Promise<QueueShadowEntity[]> {
  return h.moduleRef
    .get(DataSource)
    .getRepository(QueueShadowEntity)
    .find({ order: { position: 'ASC' } });
}

const changes = (h: ShadowHarness): number =>
  h.events.filter((e) => e.name === LiveEvent.QueueChanged).length;

describe('QueueShadowService on SQLite', () => {
  let h: ShadowHarness;
  beforeEach(async () => {
    h = await shadowHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('mirrors a poll: additions, removals and reorder, with positions persisted in one write per poll', async () => {
    const write = jest.spyOn(h.repo, 'write');
    expect(await h.shadow.applyPoll([entry(1), entry(2), entry(3)], playing(1, 1))).toBe(true);
    expect((await rows(h)).map((r) => [r.uid, r.position, r.paid_by])).toEqual([
      [1, 0, 'Alice'],
      [2, 1, 'Alice'],
      [3, 2, 'Alice'],
    ]);
    expect(await h.shadow.applyPoll([entry(3), entry(1), entry(4)], playing(1, 1))).toBe(true);
    expect(h.shadow.items().map((i) => [i.uid, i.position])).toEqual([
      [3, 0],
      [1, 1],
      [4, 2],
    ]);
    expect((await rows(h)).map((r) => [r.uid, r.position])).toEqual([
      [3, 0],
      [1, 1],
      [4, 2],
    ]);
    expect(write).toHaveBeenCalledTimes(2);
    // Unchanged poll (only the playback time moved): nothing written, nothing emitted.
    const before = changes(h);
    expect(await h.shadow.applyPoll([entry(3), entry(1), entry(4)], playing(1, 1, 70))).toBe(false);
    expect(write).toHaveBeenCalledTimes(2);
    expect(changes(h)).toBe(before);
  });

  it('an unchanged playlist still follows now-playing, and a local change makes the next poll reconcile', async () => {
    const polled = [entry(1), entry(2), entry(3)];
    await h.shadow.applyPoll(polled, playing(1, 1));
    const before = changes(h);
    // the same playlist, the next item now playing: what clients see changed
    expect(await h.shadow.applyPoll(polled, playing(2, 2))).toBe(true);
    expect(h.shadow.nowPlayingUid()).toBe(2);
    expect(changes(h)).toBe(before + 1);
    // the caller's array reused and changed in place is not mistaken for the same poll
    polled.push(entry(4));
    expect(await h.shadow.applyPoll(polled, playing(2, 2))).toBe(true);
    expect(h.shadow.items().map((i) => i.uid)).toEqual([1, 2, 3, 4]);
    // an insert of ours that the poll does not show yet: the same poll keeps it, right where it went
    await h.shadow.upsertAfter(2, 9, { media_type: 'cm', media_id: 'x', is_pay: true });
    await h.shadow.applyPoll(polled, playing(2, 2));
    expect(h.shadow.items().map((i) => i.uid)).toEqual([1, 2, 9, 3, 4]);
  });

  it('persists pay, token and promo metadata, keeps it across polls and never duplicates a uid', async () => {
    await h.shadow.applyPoll([entry(1), entry(2)], playing(1, 1));
    // A poll saw uid 3 before the pay path recorded it: upsert replaces it and moves it after 1.
    await h.shadow.applyPoll([entry(1), entry(2), entry(3)], playing(1, 1));
    await h.shadow.upsertAfter(1, 3, {
      media_type: 'cm',
      media_id: 'https://cms/m3.json',
      friendly_token: 'tok3',
      is_pay: true,
      paid_by: 'Carol',
      tier: 'playnext',
      z_cost: 150,
      request_id: 'req-3',
    });
    await h.shadow.upsertAfter(3, 9, {
      media_type: 'cm',
      media_id: 'https://cms/promo.json',
      is_promo: true,
      promo_type: 'viewers_choice',
      lead_in_for_uid: 3,
    });
    expect(h.shadow.items().map((i) => i.uid)).toEqual([1, 3, 9, 2]);
    const stored = await rows(h);
    expect(stored.map((r) => r.uid)).toEqual([1, 3, 9, 2]);
    expect(stored[1]).toMatchObject({
      friendly_token: 'tok3',
      is_pay: true,
      paid_by: 'Carol',
      request_id: 'req-3',
      z_cost: 150,
    });
    expect(stored[2]).toMatchObject({ is_promo: true, promo_type: 'viewers_choice', lead_in_for_uid: 3 });
    expect(h.shadow.paidItems().map((i) => i.uid)).toEqual([3]);

    // CyTube applies the move; a later poll keeps the local metadata (and uid 9, not polled yet, survives).
    await h.shadow.applyPoll([entry(1), entry(3, {}, 'KrytenBot'), entry(2)], playing(1, 1));
    expect(h.shadow.items().map((i) => i.uid)).toEqual([1, 3, 9, 2]);
    expect(h.shadow.get(3)).toMatchObject({
      is_pay: true,
      paid_by: 'Carol',
      queueby: 'KrytenBot',
      tier: 'playnext',
    });

    await h.shadow.updateMetadata(3, { z_cost: 120 });
    await h.shadow.remove(9);
    expect(h.shadow.items().map((i) => i.uid)).toEqual([1, 3, 2]);
    expect((await rows(h)).map((r) => [r.uid, r.position, r.z_cost])).toEqual([
      [1, 0, null],
      [3, 1, 120],
      [2, 2, null],
    ]);
  });

  it('drops a locally inserted uid once polls keep missing it past the grace period', async () => {
    await h.shadow.applyPoll([entry(1)], playing(1, 1));
    await h.shadow.upsertAfter(null, 5, { media_type: 'cm', media_id: 'x', is_pay: true });
    await h.shadow.applyPoll([entry(1)], playing(1, 1));
    expect(h.shadow.get(5)).toBeDefined();
    h.clock.advance(20_000);
    await h.shadow.applyPoll([entry(1)], playing(1, 1));
    expect(h.shadow.get(5)).toBeUndefined();
  });

  it('ignores one empty poll while it holds items (api-gate hides KV errors) and believes the second', async () => {
    await h.shadow.applyPoll([entry(1), entry(2)], playing(1, 1));
    expect(await h.shadow.applyPoll([], playing(1, 1))).toBe(false);
    expect(h.shadow.items()).toHaveLength(2);
    expect(await rows(h)).toHaveLength(2);
    expect(await h.shadow.applyPoll([], playing(1, 1))).toBe(true);
    expect(h.shadow.items()).toHaveLength(0);
    expect(await rows(h)).toHaveLength(0);
    // The Robot keeps the cleared item as now-playing: an empty list plays nothing.
    expect(h.shadow.nowPlaying()).toBeNull();
  });

  it('believes an empty poll at once when now-playing is empty too', async () => {
    await h.shadow.applyPoll([entry(1)], playing(1, 1));
    expect(await h.shadow.applyPoll([], null)).toBe(true);
    expect(h.shadow.items()).toHaveLength(0);
  });

  it('finds now-playing without a uid, choosing the right copy of a duplicated media', async () => {
    const dup = { id: 'https://cms/same.json' };
    await h.shadow.applyPoll([entry(1, dup), entry(2), entry(3, dup)], playing(2, 2));
    expect(h.shadow.nowPlayingUid()).toBe(2);
    // Item 2 (temp) finished and left; the same media plays again: it is the copy after 2 (uid 3).
    await h.shadow.applyPoll(
      [entry(1, dup), entry(3, dup)],
      playing(null, 0, -3, { id: dup.id, paused: true }),
    );
    expect(h.shadow.nowPlayingUid()).toBe(3);
    expect(h.shadow.nowPlaying()?.uid).toBe(3);
    expect(h.shadow.nowPlayingIndex()).toBe(1);
  });

  it('computes ETAs from the playing item and wraps (the §2.5 example)', async () => {
    await h.shadow.applyPoll([entry(1), entry(2), entry(3), entry(4)], playing(null, 2, 40));
    const state = h.shadow.getState();
    expect(state.items.map((i) => [i.uid, i.estimated_start_in_sec])).toEqual([
      [1, 260],
      [2, 0],
      [3, 60],
      [4, 160],
    ]);
    expect(state.items[2].estimated_start_at).toBe('2026-06-14T12:01:00.000Z');
    expect(state.now_playing?.uid).toBe(2);
    // 10 s later, unpaused: the state extrapolates the elapsed time.
    h.clock.advance(10_000);
    expect(h.shadow.getState().items[2].estimated_start_in_sec).toBe(50);
  });

  it('warm-starts from queue_shadow in position order with its metadata', async () => {
    await h.shadow.applyPoll([entry(1), entry(2)], playing(1, 1));
    await h.shadow.upsertAfter(1, 7, {
      media_type: 'cm',
      media_id: 'm7',
      title: 'Paid',
      friendly_token: 'tok7',
      is_pay: true,
      request_id: 'r7',
    });
    const path = h.config.db_path;
    await h.close();
    h = await shadowHarness({ config: testConfig({ db_path: path, database_url: h.config.database_url }) });
    expect(h.shadow.items().map((i) => [i.uid, i.position, i.friendly_token, i.request_id])).toEqual([
      [1, 0, null, null],
      [7, 1, 'tok7', 'r7'],
      [2, 2, null, null],
    ]);
    expect(h.shadow.nowPlaying()).toBeNull();
  });

  it('lifts the event lock when the last event item plays, or when it has left the queue', async () => {
    const schedules = h.moduleRef.get(DataSource).getRepository(ActiveScheduleEntity);
    await schedules.save({
      id: 1,
      schedule_id: 1,
      playlist_id: 1,
      is_immutable: true,
      last_item_uid: 3,
      lock_disabled: false,
    });
    await h.shadow.applyPoll([entry(1), entry(2), entry(3)], playing(1, 1));
    expect((await schedules.findOneByOrFail({ id: 1 })).lock_disabled).toBe(false);
    await h.shadow.applyPoll([entry(2), entry(3)], playing(3, 3));
    expect((await schedules.findOneByOrFail({ id: 1 })).lock_disabled).toBe(true);

    await schedules.update({ id: 1 }, { lock_disabled: false, last_item_uid: 2 });
    await h.shadow.applyPoll([entry(3)], playing(3, 3)); // uid 2 removed before it played
    expect((await schedules.findOneByOrFail({ id: 1 })).lock_disabled).toBe(true);
  });

  it('enriches the state from the catalog (art, empty titles, now-playing details)', async () => {
    await h.close();
    const item = {
      friendly_token: 'tokA',
      title: 'Catalog Title',
      description: 'A film',
      manifest_url: 'https://cms/m1.json',
      cover_art_path: 'abc123',
      thumbnail_url: 'https://cms/thumb.jpg',
    } as CatalogItemEntity;
    const catalog: QueueCatalog = {
      findForQueue: () =>
        Promise.resolve(
          new Map([
            [item.friendly_token, item],
            [item.manifest_url, item],
          ]),
        ),
      getItemDetails: (token) =>
        Promise.resolve(
          token === 'tokA' ? { item, categories: [{ name: 'Drama', slug: 'drama' }], tags: ['noir'] } : null,
        ),
    };
    h = await shadowHarness({ catalog });
    await h.shadow.applyPoll([entry(1, { title: '' }), entry(2)], playing(null, 1));
    const state = await h.shadow.getEnrichedState();
    expect(state.items[0]).toMatchObject({
      title: 'Catalog Title',
      friendly_token: 'tokA',
      cover_art_path: 'abc123',
    });
    expect(state.items[1].cover_art_path).toBeUndefined();
    expect(state.now_playing).toMatchObject({
      uid: 1,
      friendly_token: 'tokA',
      description: 'A film',
      categories: ['Drama'],
      tags: ['noir'],
      thumbnail_url: 'https://cms/thumb.jpg',
    });
    expect(state.stale).toBe(false);
  });
});
