import { PresenceRefundMonitor } from '../../../src/presence/presence.monitor';
import { startPayWorld, type PayWorld } from '../economy/pay-harness';
import {
  director,
  finishCurrent,
  insertPool,
  pick,
  putSettings,
  queuePermanent,
  shadowOf,
  shape,
} from './promo-world';

/**
 * The promo director end to end: the simulator's channel over HTTP, the app on a real SQLite copy
 * (pools are saved_playlists rows), a manual clock, polls driven by hand (each poll runs a
 * director tick, as in production).
 */
describe('promo director (simulator, manual clock)', () => {
  let w: PayWorld;
  let rows: ReturnType<typeof pick>;
  const NO_TIME_CADENCE = 100_000;

  beforeEach(async () => {
    w = await startPayWorld();
    rows = pick(w);
    await insertPool(w, 'channel_identity', rows.clips.slice(0, 3));
    await insertPool(w, 'event', rows.clips.slice(3, 5));
    await insertPool(w, 'feature_presentation', rows.clips.slice(5, 7));
    await insertPool(w, 'viewers_choice', rows.clips.slice(7, 9));
    await w.ctl.addUser({ name: 'alice', balance: 50_000 });
  });
  afterEach(() => w.close());

  const settings = async (n: number, extra: Record<string, unknown> = {}): Promise<void> => {
    const res = await putSettings(w, {
      general: { every_n_items: n, every_m_minutes: NO_TIME_CADENCE },
      ...extra,
    });
    expect(res.status).toBe(200);
  };
  const pollTimes = async (times: number): Promise<void> => {
    for (let i = 0; i < times; i++) await w.poll();
  };

  it('inserts exactly one general promo per N content items across many polls', async () => {
    await settings(3);
    await queuePermanent(w, rows.content.slice(0, 4));
    const played: string[] = [];
    let last: number | null = null;
    for (let step = 0; step < 20; step++) {
      await pollTimes(3); // several polls see every slot
      const np = shadowOf(w).nowPlayingUid();
      const item = np === null ? undefined : shadowOf(w).get(np);
      if (np !== last && item) played.push(item.is_promo ? 'G' : 'C');
      last = np;
      await finishCurrent(w);
    }
    const sequence = played.join('');
    // C C C G C C C G …: every gap between general promos is exactly N content items.
    expect(sequence).toMatch(/^CCC(GCCC)+G?C{0,3}$/);
    expect((sequence.match(/G/g) ?? []).length).toBeGreaterThanOrEqual(4);
    // Never more than one promo waiting in the playlist (temp promos play out, no duplicates).
    expect((await shape(w)).replace(/C/g, '').length).toBeLessThanOrEqual(1);
    const inserted = (await director(w).recentDecisions()).filter((d) => d.outcome === 'inserted');
    expect(inserted.length).toBe(
      (sequence.match(/G/g) ?? []).length + ((await shape(w)).includes('G') ? 1 : 0),
    );
  });

  it('puts a Feature Presentation before an upcoming movie, stacked after a due general promo', async () => {
    await settings(1);
    const [, movie] = await queuePermanent(w, [rows.content[0], rows.movies[0], rows.content[1]]);
    await pollTimes(3);
    expect(await shape(w)).toBe('CGLCC');
    const list = await w.playlist();
    const at = list.findIndex((p) => p.uid === movie);
    const fp = shadowOf(w).get(list[at - 1].uid);
    expect(fp).toMatchObject({ is_promo: true, promo_type: 'feature_presentation', lead_in_for_uid: movie });
    expect(shadowOf(w).get(list[at - 2].uid)?.lead_in_for_uid).toBeNull();
  });

  it('adds the Viewer’s Choice synchronously inside the pay insert; removal takes it along', async () => {
    await settings(NO_TIME_CADENCE);
    await queuePermanent(w, rows.content.slice(0, 2));
    await w.poll();
    const buy = async (index: number): Promise<number> => {
      const res = await w
        .http()
        .post('/queue/add')
        .set('Cookie', w.cookie('alice'))
        .send({ friendly_token: rows.content[index].token });
      expect(res.status).toBe(200);
      return res.body.uid as number;
    };
    const paid = await buy(5);
    // No poll yet: the lead-in is already in CyTube, directly before the paid item.
    let list = await w.playlist();
    const vcUid = list[list.findIndex((p) => p.uid === paid) - 1].uid;
    expect(shadowOf(w).get(vcUid)).toMatchObject({ promo_type: 'viewers_choice', lead_in_for_uid: paid });
    await pollTimes(3);
    expect(await shape(w)).toBe('CLCC');

    // Admin remove refunds the paid item and removes its lead-in with it.
    const removed = await w.http().delete(`/admin/queue/${paid}`).set('Cookie', w.cookie('boss', 3));
    expect(removed.status).toBe(200);
    expect(removed.body.lead_ins_removed).toEqual([vcUid]);
    await w.ctl.flush();
    list = await w.playlist();
    expect(list.map((p) => p.uid)).not.toContain(vcUid);

    // A presence cancel does the same.
    const second = await buy(6);
    await w.poll();
    expect(await shape(w)).toBe('CLCC'); // after now-playing: the first paid item is gone
    await w.ctl.removeUser('alice');
    const monitor = w.t.get(PresenceRefundMonitor);
    await monitor.tick();
    w.clock.advance(61_000);
    expect(await monitor.tick()).toMatchObject({ cancelled: 1 });
    await w.ctl.flush();
    await w.poll();
    expect(await shape(w)).toBe('CC');
    expect((await w.playlist()).map((p) => p.uid)).not.toContain(second);
  });

  it('slow CyTube: a move not applied yet and an add that shows up late never give a second promo', async () => {
    await settings(1);
    await queuePermanent(w, rows.content.slice(0, 3));
    w.readBack.flush = () => Promise.resolve(); // CyTube applies nothing while we read back
    await w.poll();
    expect((await director(w).recentDecisions())[0]).toMatchObject({ outcome: 'unconfirmed' });
    expect(await shape(w)).toBe('CCCG'); // still at the end
    await pollTimes(3);
    expect(await shape(w)).toBe('CCCG');
    await w.ctl.flush(); // CyTube catches up
    await pollTimes(2);
    expect(await shape(w)).toBe('CGCC');

    // Next slot: the add times out (504) and the item only appears two polls later.
    await w.ctl.setFaults([{ path: '/api/v1/media/cytube/*', latency_ms: 8000, times: 1 }]);
    await finishCurrent(w); // the promo plays
    await w.poll();
    await finishCurrent(w); // content 2 starts → due again before content 3
    await w.poll();
    expect((await director(w).recentDecisions())[0]).toMatchObject({ outcome: 'failed' });
    await w.poll(); // the late add is still not visible
    await w.ctl.flush(); // now it is (at the end)
    await pollTimes(3);
    const promos = (await w.playlist()).filter((p) => shadowOf(w).get(p.uid)?.is_promo);
    expect(promos).toHaveLength(1);
    expect((await director(w).recentDecisions()).filter((d) => d.outcome !== 'failed').length).toBe(1);
  });

  it('settings: PUT validates like the config file, applies without a restart, persists across one', async () => {
    const admin = w.cookie('boss', 3);
    const before = await w.http().get('/admin/promos/config').set('Cookie', admin);
    expect(before.body).toMatchObject({ source: 'file', config: { general: { every_n_items: 4 } } });
    const bad = await putSettings(w, {
      general: { every_n_items: 0 },
      types: { event: { order: 'shuffle' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_promo_settings');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'general.every_n_items',
      'types.event.order',
    ]);
    const viewer = await putSettings(w, {}).set('Cookie', w.cookie('alice'));
    expect(viewer.status).toBe(403);

    await settings(1);
    await queuePermanent(w, rows.content.slice(0, 3));
    await w.poll();
    expect(await shape(w)).toBe('CGCC'); // applied at once

    await w.restart();
    const after = await w.http().get('/admin/promos/config').set('Cookie', w.cookie('boss', 3));
    expect(after.body).toMatchObject({ source: 'runtime', config: { general: { every_n_items: 1 } } });
    const pools = await w.http().get('/admin/promos/pools').set('Cookie', w.cookie('boss', 3));
    expect(pools.body.types.channel_identity).toMatchObject({
      clips: 3,
      pools: [expect.objectContaining({ clips: 3 })],
    });
  });

  it('shadow mode logs "would insert" and inserts nothing', async () => {
    await settings(1, { shadow_mode: true });
    await queuePermanent(w, [rows.content[0], rows.movies[0]]);
    await pollTimes(3);
    expect(await shape(w)).toBe('CC');
    const [general, lead] = await director(w).recentDecisions(); // most recent first
    expect(lead).toMatchObject({ promo_type: 'feature_presentation', outcome: 'would_insert', uid: null });
    expect(general).toMatchObject({ outcome: 'would_insert', uid: null });
    expect(['channel_identity', 'event']).toContain(general.promo_type);
    expect(await director(w).recentDecisions()).toHaveLength(2); // logged once per slot, not per poll
  });

  it('promo-pool items are hidden from the catalog and refused by pay-to-play', async () => {
    await queuePermanent(w, rows.content.slice(0, 1));
    await w.poll();
    const token = rows.clips[0].token;
    const detail = await w.http().get(`/catalog/item/${token}`).set('Cookie', w.cookie('alice'));
    expect(detail.status).toBe(404);
    const buy = await w
      .http()
      .post('/queue/add')
      .set('Cookie', w.cookie('alice'))
      .send({ friendly_token: token });
    expect(buy.status).toBe(404);
    const control = await w
      .http()
      .get(`/catalog/item/${rows.content[3].token}`)
      .set('Cookie', w.cookie('alice'));
    expect(control.status).toBe(200);
  });
});
