import { ScheduleFireService } from '../../../src/schedules/schedule-fire.service';
import { economyTotals, moneyCheck, seedFreeItems } from '../economy/pay-harness';
import { type ScheduleWorld, startScheduleWorld } from './schedule-support';
import { captureLogs } from '../../support/logs';

/**
 * Timed events end to end: the simulator's channel and economy over real HTTP, the whole app on
 * a real SQLite copy, manual clocks (the app's and the simulator's), tick() called by hand.
 */
describe('schedule fire (simulator, manual clock)', () => {
  let w: ScheduleWorld;
  const START = 5000;

  beforeEach(async () => {
    w = await startScheduleWorld();
    for (const name of ['alice', 'bob']) await w.ctl.addUser({ name, balance: START });
  });
  afterEach(() => w.close());

  const buy = (user: string, index: number) =>
    w.http().post('/queue/add').set('Cookie', w.cookie(user)).send({ friendly_token: w.items[index].token });
  const create = (body: Record<string, unknown>) =>
    w.http().post('/admin/schedules').set('Cookie', w.admin()).send(body);
  const minutes = (n: number): string => new Date(w.clock.nowMs() + n * 60_000).toISOString();

  it('Fire Now refunds every paid item, replaces the playlist, locks pay-to-play until the last event item plays', async () => {
    await seedFreeItems(w, w.items.slice(0, 2));
    const paid = [(await buy('alice', 10)).body.uid, (await buy('bob', 11)).body.uid];
    expect(paid.every((uid) => typeof uid === 'number')).toBe(true);
    const eventRows = [w.items[20], w.items[21], w.items[22]];
    const fallbackRows = [w.items[30], w.items[31]];
    const event = await w.savePlaylist('Friday Night', eventRows, true);
    const fallback = await w.savePlaylist('Filler', fallbackRows);
    const created = await create({
      playlist_id: event,
      label: 'Movie night',
      fire_at: minutes(60),
      fallback_playlist_id: fallback,
    });
    expect(created.status).toBe(201);

    const res = await w.http().post(`/admin/schedules/${created.body.id}/fire`).set('Cookie', w.admin());
    expect(res.status).toBe(200);
    await w.ctl.flush(); // the Robot applies playlist commands asynchronously
    expect(res.body).toMatchObject({
      success: true,
      refunded: 2,
      refund_failures: [],
      added: 3,
      errors: 0,
      fallback_added: 2,
      playlist_name: 'Friday Night',
      is_immutable: true,
    });

    // every paid item refunded with schedule_displaced; balances back where they started
    const journal = await w.journal();
    expect(journal.map((r) => [r.state, r.refund_reason])).toEqual([
      ['refunded', 'schedule_displaced'],
      ['refunded', 'schedule_displaced'],
    ]);
    expect((await economyTotals(w, 'alice')).balance).toBe(START);
    expect((await economyTotals(w, 'bob')).balance).toBe(START);
    expect((await moneyCheck(w, ['alice', 'bob'])).lost).toBe(0);

    // the playlist is the event, in order, then the fallback
    const live = await w.playlist();
    expect(live.map((p) => p.media.id)).toEqual([...eventRows, ...fallbackRows].map((r) => r.manifest));
    const active = await w.active();
    expect(active).toMatchObject({
      schedule_id: created.body.id,
      playlist_id: event,
      is_immutable: true,
      lock_disabled: false,
      last_item_uid: live[2].uid,
    });
    expect(res.body.last_item_uid).toBe(live[2].uid);
    const eventSeconds = eventRows.reduce((a, r) => a + r.duration, 0);
    expect(active?.estimated_end_at?.getTime()).toBe(w.clock.nowMs() + eventSeconds * 1000);
    expect((await w.schedule(created.body.id)).fired_at?.getTime()).toBe(w.clock.nowMs());
    expect(w.fired).toEqual([
      { schedule_id: created.body.id, playlist_name: 'Friday Night', is_immutable: true },
    ]);

    // the event lock: 423 with the exact message
    await w.poll();
    const locked = await buy('alice', 40);
    expect(locked.status).toBe(423);
    expect(locked.body.detail).toBe(
      'Pay-to-play is closed during "Friday Night". It reopens when the last scheduled item begins playing.',
    );

    // play through the first two event items: the lock lifts when the last one starts
    const last = live[2].uid;
    const lockSeen: boolean[] = [];
    for (let i = 0; i < 2000; i++) {
      const state = await w.ctl.state();
      if ((state.nowPlaying as { uid?: number }).uid === last) break;
      lockSeen.push((await w.active())?.lock_disabled ?? true);
      await w.ctl.advance(60);
      await w.poll();
    }
    expect(lockSeen.length).toBeGreaterThan(1);
    expect(lockSeen.every((lifted) => !lifted)).toBe(true);
    await w.ctl.advance(6); // now-playing reports lag up to 5 s
    await w.poll();
    expect((await w.active())?.lock_disabled).toBe(true);
    const open = await buy('alice', 40);
    expect(open.status).toBe(200);
    // the fallback items are still queued and the new paid item plays before them
    const after = (await w.playlist()).map((p) => p.uid);
    expect(after.indexOf(open.body.uid)).toBeLessThan(after.indexOf(live[3].uid));

    // the event is not cleared while its last item plays; it is once that item has left
    expect((await w.scheduler().tick()).auto_cleared).toBeNull();
    for (let i = 0; i < 2000 && (await w.playlist()).some((p) => p.uid === last); i++) {
      await w.ctl.advance(30);
    }
    await w.poll();
    expect((await w.scheduler().tick()).auto_cleared).toBe('last_item_gone');
    expect(await w.active()).toBeNull();
  }, 60_000);

  it('a failed refund does not abort the fire: it is reported, kept owed and retried by the tick', async () => {
    await seedFreeItems(w, w.items.slice(0, 1));
    expect((await buy('alice', 10)).status).toBe(200);
    const event = await w.savePlaylist('Show', [w.items[20]]);
    const { body } = await create({ playlist_id: event, label: 'Show', fire_at: minutes(60) });
    await w.ctl.setFaults([{ method: 'POST', path: '/api/v1/economy/queue-refund', status: 503 }]);

    const logs = captureLogs();
    const result = await w.t.get(ScheduleFireService).fire(body.id, { manual: true });
    logs.restore();
    expect(logs.lines().filter((l) => l.includes('schedule_displaced refund of'))).toHaveLength(1);
    expect(result.success).toBe(true);
    await w.ctl.flush();
    expect(result.refunded).toBe(0);
    expect(result.refund_failures).toEqual([
      { request_id: (await w.journal())[0].request_id, username: 'alice', error: expect.any(String) },
    ]);
    expect((await w.playlist()).map((p) => p.media.id)).toEqual([w.items[20].manifest]);
    expect((await w.journal())[0]).toMatchObject({ state: 'recorded', refunded: false });

    await w.ctl.clearFaults();
    w.clock.advance(61_000);
    await w.scheduler().tick();
    expect((await w.journal())[0]).toMatchObject({ state: 'refunded', refund_reason: 'schedule_displaced' });
    expect((await economyTotals(w, 'alice')).balance).toBe(START);
  });

  it('a mutable playlist fires without an event lock; an unfinished event is cleared 5 min after its estimated end', async () => {
    await seedFreeItems(w, w.items.slice(0, 1));
    const event = await w.savePlaylist('Open house', [w.items[20]]);
    // far ahead: a Fire Now leaves the timed occurrence armed
    const { body } = await create({ playlist_id: event, label: 'Open', fire_at: minutes(7 * 24 * 60) });
    await w.http().post(`/admin/schedules/${body.id}/fire`).set('Cookie', w.admin()).expect(200);
    await w.ctl.flush();
    await w.poll();
    expect((await w.active())?.is_immutable).toBe(false);
    expect((await buy('alice', 40)).status).toBe(200);

    const end = (await w.active())!.estimated_end_at!.getTime();
    w.clock.set(end + 5 * 60_000);
    expect((await w.scheduler().tick()).auto_cleared).toBeNull();
    w.clock.advance(1000);
    expect((await w.scheduler().tick()).auto_cleared).toBe('ended');
    expect(await w.active()).toBeNull();
  });
});
