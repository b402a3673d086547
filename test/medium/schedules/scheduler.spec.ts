import { ScheduleFireService } from '../../../src/schedules/schedule-fire.service';
import { seedFreeItems } from '../economy/pay-harness';
import { type ScheduleWorld, startScheduleWorld } from './schedule-support';
import { captureLogs } from '../../support/logs';

/** The tick-driven scheduler, pre-fire locks, unlock, CRUD validation and the viewer route. */
describe('schedules: scheduler, locks and routes (simulator, manual clock)', () => {
  let w: ScheduleWorld;
  let event: number;

  beforeEach(async () => {
    w = await startScheduleWorld();
    await w.ctl.addUser({ name: 'alice', balance: 5000 });
    await seedFreeItems(w, w.items.slice(0, 2));
    event = await w.savePlaylist('Friday Night', [w.items[20], w.items[21]], true);
  });
  afterEach(() => w.close());

  const at = (min: number): string => new Date(w.clock.nowMs() + min * 60_000).toISOString();
  const create = (body: Record<string, unknown>) =>
    w.http().post('/admin/schedules').set('Cookie', w.admin()).send(body);
  const buy = (index: number) =>
    w
      .http()
      .post('/queue/add')
      .set('Cookie', w.cookie('alice'))
      .send({ friendly_token: w.items[index].token });
  const eventMedia = (): string[] => [w.items[20].manifest, w.items[21].manifest];
  const liveMedia = async (): Promise<string[]> => {
    await w.ctl.flush();
    return (await w.playlist()).map((p) => p.media.id);
  };

  it('fires through tick() at fire_at, not a second before', async () => {
    const { body } = await create({ playlist_id: event, label: 'Movie night', fire_at: at(10) });
    w.clock.advance(10 * 60_000 - 1000);
    expect((await w.scheduler().tick()).fired).toEqual([]);
    expect(await liveMedia()).not.toEqual(eventMedia());
    w.clock.advance(1000);
    expect((await w.scheduler().tick()).fired).toEqual([{ schedule_id: body.id, success: true }]);
    expect(await liveMedia()).toEqual(eventMedia());
    expect((await w.schedule(body.id)).fired_at?.getTime()).toBe(w.clock.nowMs());
    // one-shot: not fired again
    w.clock.advance(60_000);
    expect((await w.scheduler().tick()).fired).toEqual([]);
  });

  it('advances a recurring schedule after a timed fire, and after a failing one', async () => {
    const { body } = await create({
      playlist_id: event,
      label: 'Nightly',
      fire_at: at(5),
      is_recurring: true,
      rrule: 'FREQ=DAILY',
    });
    const first = new Date(w.clock.nowMs() + 5 * 60_000);
    const day = 86_400_000;
    w.clock.advance(5 * 60_000);
    const tick = await w.scheduler().tick();
    expect(tick.fired).toEqual([{ schedule_id: body.id, success: true }]);
    expect(tick.advanced).toEqual({ [body.id]: new Date(first.getTime() + day).toISOString() });
    expect(await w.schedule(body.id)).toMatchObject({ fired_at: null, lock_disabled: false });
    expect(w.scheduler().armedTimes()).toEqual({ [body.id]: new Date(first.getTime() + day).toISOString() });

    const fire = jest.spyOn(w.t.get(ScheduleFireService), 'fire').mockRejectedValueOnce(new Error('boom'));
    w.clock.set(first.getTime() + day);
    const logs = captureLogs();
    const failing = await w.scheduler().tick();
    logs.restore();
    expect(logs.lines().filter((l) => l.includes(`timed fire of ${body.id} failed: boom`))).toHaveLength(1);
    expect(fire).toHaveBeenCalledTimes(1);
    expect(failing.fired).toEqual([{ schedule_id: body.id, success: false, error: 'boom' }]);
    expect((await w.schedule(body.id)).fire_at.getTime()).toBe(first.getTime() + 2 * day);
  });

  it('does not fire an inactive schedule; deactivating disarms; Fire Now still works for it', async () => {
    const { body } = await create({ playlist_id: event, label: 'Off', fire_at: at(5) });
    const put = await w
      .http()
      .put(`/admin/schedules/${body.id}`)
      .set('Cookie', w.admin())
      .send({ is_active: false });
    expect(put.body).toEqual({ success: true, armed: false });
    w.clock.advance(6 * 60_000);
    expect((await w.scheduler().tick()).fired).toEqual([]);
    expect(await liveMedia()).not.toEqual(eventMedia());
    const now = await w.http().post(`/admin/schedules/${body.id}/fire`).set('Cookie', w.admin());
    expect(now.body).toMatchObject({ success: true, added: 2 });
    expect(await liveMedia()).toEqual(eventMedia());
  });

  it('start-up arms future schedules, moves past recurring ones on and ignores past one-shots', async () => {
    const future = (await create({ playlist_id: event, label: 'Later', fire_at: at(60) })).body.id;
    const weekly = (
      await create({
        playlist_id: event,
        label: 'Weekly',
        fire_at: at(1),
        is_recurring: true,
        rrule: 'FREQ=WEEKLY',
      })
    ).body.id;
    const once = (await create({ playlist_id: event, label: 'Once', fire_at: at(2) })).body.id;
    w.clock.advance(30 * 60_000);
    const started = await w.scheduler().start();
    expect(started.advanced).toEqual({
      [weekly]: new Date(w.clock.nowMs() - 29 * 60_000 + 7 * 86_400_000).toISOString(),
    });
    expect(Object.keys(w.scheduler().armedTimes()).map(Number).sort()).toEqual([future, weekly].sort());
    expect((await w.scheduler().tick()).fired).toEqual([]);
    expect((await w.schedule(once)).fired_at).toBeNull();
  });

  it('pre-fire lock: 423 inside the window with the exact message, next-schedule reports it, unlock lifts it', async () => {
    await create({ playlist_id: event, label: 'Movie night', fire_at: at(30), pre_fire_lock_minutes: 15 });
    expect((await buy(10)).status).toBe(200);
    const next = await w.http().get('/queue/next-schedule').set('Cookie', w.cookie('alice'));
    expect(next.body).toEqual({
      label: 'Movie night',
      fire_at: at(30),
      pre_fire_lock_minutes: 15,
      lock_active: false,
    });

    w.clock.advance(16 * 60_000);
    const locked = await buy(11);
    expect(locked.status).toBe(423);
    expect(locked.body.detail).toBe(
      'Pay-to-play is closed: "Movie night" starts in 14 min. Try again after the event.',
    );
    expect(
      (await w.http().get('/queue/next-schedule').set('Cookie', w.cookie('alice'))).body.lock_active,
    ).toBe(true);
    const status = await w.http().get('/admin/schedules/lock-status').set('Cookie', w.admin());
    expect(status.body).toMatchObject({ locked: true, kind: 'pre_fire', event: { locked: false } });

    const unlock = await w.http().post('/admin/schedules/unlock').set('Cookie', w.admin());
    expect(unlock.body).toEqual({
      success: true,
      lifted: [{ kind: 'pre_fire', schedule_id: expect.any(Number), label: 'Movie night' }],
    });
    expect((await buy(11)).status).toBe(200);
    expect((await w.http().get('/admin/schedules/lock-status').set('Cookie', w.admin())).body.locked).toBe(
      false,
    );
  });

  it('unlock lifts the event lock and every pre-fire lock at once; clear-active ends the event', async () => {
    const a = (await create({ playlist_id: event, label: 'Now', fire_at: at(600) })).body.id;
    await w.http().post(`/admin/schedules/${a}/fire`).set('Cookie', w.admin()).expect(200);
    await create({ playlist_id: event, label: 'Soon', fire_at: at(10) });
    expect((await buy(40)).status).toBe(423);
    const unlock = await w.http().post('/admin/schedules/unlock').set('Cookie', w.admin());
    expect(unlock.body.lifted.map((l: { kind: string }) => l.kind)).toEqual(['event', 'pre_fire']);
    await w.ctl.flush();
    await w.poll();
    expect((await buy(40)).status).toBe(200);
    const active = await w.http().get('/admin/schedules/active').set('Cookie', w.admin());
    expect(active.body).toMatchObject({
      playlist_name: 'Friday Night',
      is_immutable: true,
      lock_disabled: true,
      locked: false,
    });
    expect((await w.http().post('/admin/schedules/clear-active').set('Cookie', w.admin())).body).toEqual({
      success: true,
      cleared: true,
    });
    expect((await w.http().get('/admin/schedules/active').set('Cookie', w.admin())).body).toEqual({});
  });

  it('immutability expiry releases the playlist with real timestamps, unless an active schedule still holds it', async () => {
    const other = await w.savePlaylist('Held', [w.items[25]], true);
    await create({ playlist_id: event, label: 'A', fire_at: at(1), immutability_expires_at: at(3) });
    await create({ playlist_id: other, label: 'B', fire_at: at(1), immutability_expires_at: at(3) });
    await create({ playlist_id: other, label: 'C', fire_at: at(600) });
    await w.scheduler().start();
    w.clock.advance(2 * 60_000);
    expect((await w.scheduler().tick()).released).toBeNull(); // every 300 s
    w.clock.advance(3 * 60_000);
    expect((await w.scheduler().tick()).released).toEqual([event]);
    expect((await w.savedPlaylist(event)).is_immutable).toBe(false);
    expect((await w.savedPlaylist(other)).is_immutable).toBe(true);
  });
});
