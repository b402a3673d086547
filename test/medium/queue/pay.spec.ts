import { DataSource } from 'typeorm';
import { QueueMutex } from '../../../src/queue/queue-mutex';
import { ActiveScheduleEntity } from '../../../src/schedules/entities/active-schedule.entity';
import { PlaylistScheduleEntity } from '../../../src/schedules/entities/playlist-schedule.entity';
import {
  economyTotals,
  moneyCheck,
  seedFreeItems,
  startPayWorld,
  type PayWorld,
} from '../economy/pay-harness';

describe('pay-to-play (simulator, real HTTP, real SQLite)', () => {
  let w: PayWorld;

  beforeEach(async () => {
    w = await startPayWorld();
    for (const name of ['alice', 'bob', 'carol', 'dave']) await w.ctl.addUser({ name, balance: 5000 });
  });
  afterEach(() => w.close());

  const buy = (user: string, token: string, path = '/queue/add', extra: Record<string, unknown> = {}) =>
    w
      .http()
      .post(path)
      .set('Cookie', w.cookie(user))
      .send({ friendly_token: token, ...extra });

  it('queues paid items FIFO after now-playing, ahead of free items, and play-next jumps ahead', async () => {
    const [a, f1, f2] = await seedFreeItems(w, w.items.slice(0, 3));
    const p1 = await buy('alice', w.items[10].token);
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ success: true, uid: expect.any(Number), request_id: expect.any(String) });
    const p2 = await buy('bob', w.items[11].token);
    const p3 = await buy('carol', w.items[12].token);
    expect((await w.playlist()).map((p) => p.uid)).toEqual([
      a,
      p1.body.uid,
      p2.body.uid,
      p3.body.uid,
      f1,
      f2,
    ]);

    const p4 = await buy('dave', w.items[13].token, '/queue/playnext');
    expect(p4.status).toBe(200);
    expect((await w.playlist()).map((p) => p.uid)).toEqual([
      a,
      p4.body.uid,
      p1.body.uid,
      p2.body.uid,
      p3.body.uid,
      f1,
      f2,
    ]);
    // a later paid queue still goes after the last paid item
    const p5 = await buy('alice', w.items[14].token);
    expect((await w.playlist()).map((p) => p.uid).indexOf(p5.body.uid)).toBe(5);

    // announcements: next, third, fourth, next (play-next), sixth
    await w.ctl.flush(); // chat is fire-and-forget
    const chat = (await w.ctl.chat()).map((c) => c.message);
    expect(chat).toEqual([
      `${w.items[10].title} added to the queue with Zcoin by alice and is now next.`,
      `${w.items[11].title} added to the queue with Zcoin by bob and is now third.`,
      `${w.items[12].title} added to the queue with Zcoin by carol and is now fourth.`,
      `${w.items[13].title} added to the queue with Zcoin by dave and is now next.`,
      `${w.items[14].title} added to the queue with Zcoin by alice and is now sixth.`,
    ]);

    const rows = await w.journal();
    expect(rows.map((r) => r.state)).toEqual(['recorded', 'recorded', 'recorded', 'recorded', 'recorded']);
    expect(rows[3].tier).toBe('playnext');
    const check = await moneyCheck(w, ['alice', 'bob', 'carol', 'dave']);
    expect(check).toMatchObject({ lost: 0, orphans: [] });
    expect((await economyTotals(w, 'alice')).spent).toBe(rows[0].z_cost! + rows[4].z_cost!);
  });

  it('runs the route checks in order: 400 blank token, 423 locks, 404 item, 400 eligibility', async () => {
    await seedFreeItems(w, w.items.slice(0, 1));
    expect((await buy('alice', '  ')).body).toMatchObject({ detail: 'friendly_token required' });
    expect((await buy('alice', 'no-such-token')).status).toBe(404);

    await w.ctl.updateUser('bob', { balance: 1 });
    const poor = await buy('bob', w.items[3].token);
    expect(poor.status).toBe(400);
    expect(poor.body).toMatchObject({ detail: 'insufficient_balance', code: 'insufficient_balance' });

    await w.ctl.economy({ blackout: true });
    expect((await buy('alice', w.items[3].token)).body).toMatchObject({ code: 'blackout_active' });
    await w.ctl.economy({ blackout: false });

    const ds = w.t.get(DataSource);
    await ds.getRepository(PlaylistScheduleEntity).insert({
      label: 'Friday Movie',
      fire_at: new Date(w.clock.nowMs() + 10 * 60_000),
      pre_fire_lock_minutes: 15,
      is_active: true,
      lock_disabled: false,
      created_at: w.clock.now(),
    });
    const locked = await buy('alice', w.items[3].token);
    expect(locked.status).toBe(423);
    expect(locked.body.detail).toBe(
      'Pay-to-play is closed: "Friday Movie" starts in 10 min. Try again after the event.',
    );
    // the pre-fire lock beats the 404 (lock check comes first)
    expect((await buy('alice', 'no-such-token')).status).toBe(423);
    // admins are blocked by the pre-fire lock too
    const admin = await w
      .http()
      .post('/admin/queue/add')
      .set('Cookie', w.cookie('boss', 3))
      .send({ friendly_token: w.items[3].token, mode: 'after_purchased' });
    expect(admin.status).toBe(423);
    expect(admin.body.detail).toBe('Queue is locked: scheduled playlist firing soon');

    // after the fire time the lock is gone (no lock until midnight)
    w.clock.advance(11 * 60_000);
    await ds.getRepository(ActiveScheduleEntity).insert({ id: 1, is_immutable: true, lock_disabled: false });
    const event = await buy('alice', w.items[3].token);
    expect(event.status).toBe(423);
    expect(event.body.detail).toContain('Pay-to-play is closed during "a scheduled event"');
    // an event lock does not block admins
    const adminOk = await w
      .http()
      .post('/admin/queue/add')
      .set('Cookie', w.cookie('boss', 3))
      .send({ friendly_token: w.items[3].token, mode: 'after_purchased' });
    expect(adminOk.status).toBe(200);
    expect(await w.journal()).toEqual([]); // nothing was ever spent
  });

  it('previews price, discount, balance and balance after; outage → 503', async () => {
    await w.ctl.updateUser('alice', { balance: 300, lifetime_earned: 1_000 }); // Grip: 2% off
    const item = w.items.find((i) => i.duration <= 15 * 60) ?? w.items[0];
    const res = await w
      .http()
      .get(`/queue/preview?friendly_token=${item.token}&tier=queue`)
      .set('Cookie', w.cookie('alice'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      friendly_token: item.token,
      title: item.title,
      duration_sec: item.duration,
      tier: 'queue',
      balance: 300,
      locked: false,
    });
    expect(res.body.discount_amount).toBe(res.body.base_cost - res.body.cost_z);
    expect(res.body.balance_after).toBe(300 - res.body.cost_z);

    await w.ctl.setFaults([{ path: '/api/v1/economy/queue-preview', status: 500 }]);
    const down = await w
      .http()
      .get(`/queue/preview?friendly_token=${item.token}`)
      .set('Cookie', w.cookie('alice'));
    expect(down.status).toBe(503);
    const buyDown = await buy('alice', item.token);
    expect(buyDown.status).toBe(503);
  });

  it('spends once for a double click with the same client_key', async () => {
    await seedFreeItems(w, w.items.slice(0, 2));
    const key = 'c0ffee00-0000-4000-a000-000000000001';
    const [r1, r2] = await Promise.all([
      buy('alice', w.items[20].token, '/queue/add', { client_key: key }),
      buy('alice', w.items[20].token, '/queue/add', { client_key: key }),
    ]);
    const r3 = await buy('alice', w.items[20].token, '/queue/add', { client_key: key });
    for (const r of [r1, r2, r3]) expect([200, 409]).toContain(r.status);
    expect(r3.status).toBe(200);
    expect(r3.body.uid).toBe((r1.status === 200 ? r1 : r2).body.uid);
    expect(r3.body.replay).toBe(true);
    const totals = await economyTotals(w, 'alice');
    expect(totals.spent).toBe((await w.journal())[0].z_cost);
    expect(await w.journal()).toHaveLength(1);
  });

  it('marks history played when the shadow sees the item playing, and pages it', async () => {
    const [a] = await seedFreeItems(w, w.items.slice(0, 1));
    const p1 = await buy('alice', w.items[30].token);
    await w.poll();
    let hist = await w.http().get('/queue/history?limit=10').set('Cookie', w.cookie('alice'));
    expect(hist.body).toMatchObject({ total: 1, limit: 10, offset: 0 });
    expect(hist.body.items[0]).toMatchObject({ status: 'queued', uid: p1.body.uid, tier: 'queue' });
    await w.ctl.advance(w.items[0].duration + 10); // A ends; P1 starts
    expect((await w.ctl.state()).current?.uid).toBe(p1.body.uid);
    expect(a).not.toBe(p1.body.uid);
    await w.poll();
    await new Promise((r) => setImmediate(r));
    hist = await w.http().get('/queue/history').set('Cookie', w.cookie('alice'));
    expect(hist.body.items[0].status).toBe('played');
    expect((await w.http().get('/queue/history?limit=0').set('Cookie', w.cookie('alice'))).status).toBe(400);
  });

  it('refuses a title already on the playlist before any economy call: no spend, no cooldown, no daily slot', async () => {
    const [a] = await seedFreeItems(w, w.items.slice(0, 1));
    await w.poll(); // the mirror knows what is on the playlist
    // every economy request consumes one `times` of this harmless rule: it counts them
    await w.ctl.setFaults([{ path: '/api/v1/economy/', latency_ms: 1, times: 1000 }]);
    const economyCalls = async (): Promise<number> => 1000 - ((await w.ctl.state()).faults[0].times ?? 0);
    const preview = await w
      .http()
      .get(`/queue/preview?friendly_token=${w.items[0].token}`)
      .set('Cookie', w.cookie('alice'));
    expect(preview.status).toBe(200);
    expect(preview.body.already_queued).toBe(true);
    const beforeBuy = await economyCalls();
    const res = await buy('alice', w.items[0].token);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'already_queued',
      detail: 'This title is already on the playlist',
      charged: false,
    });
    expect(await w.journal()).toHaveLength(0);
    expect(await economyCalls()).toBe(beforeBuy); // the purchase made no economy call at all
    const totals = await economyTotals(w, 'alice');
    expect(totals.spent + totals.refunded).toBe(0);
    expect(totals.balance).toBe(5000);
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a]);
  });

  it('does not hold the queue mutex while the economy takes its time over a spend', async () => {
    await seedFreeItems(w, w.items.slice(0, 1));
    await w.ctl.setFaults([
      { method: 'POST', path: '/api/v1/economy/queue-spend', latency_ms: 600, times: 1 },
    ]);
    const mutex = w.t.get(QueueMutex);
    const purchase = buy('alice', w.items[10].token);
    const pending = purchase.then((r) => r);
    // wait until the spend is on its way (the journal row is written before the call)
    for (let i = 0; i < 200 && (await w.journal()).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await w.journal())[0].state).toBe('pending');
    expect(mutex.isLocked()).toBe(false);
    // meanwhile a poll and an admin read go through
    await w.poll();
    const res = await pending;
    expect(res.status).toBe(200);
  });

  it('answers 202 "still working" past the purchase deadline; the purchase still ends queued', async () => {
    await w.restartWith({ purchase_deadline_sec: 1 });
    await seedFreeItems(w, w.items.slice(0, 1));
    await w.ctl.setFaults([
      { method: 'POST', path: '/api/v1/economy/queue-spend', latency_ms: 1500, times: 1 },
    ]);
    const res = await buy('alice', w.items[10].token);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      code: 'purchase_pending',
      pending: true,
      request_id: expect.any(String),
    });
    for (let i = 0; i < 300 && (await w.journal())[0]?.state !== 'recorded'; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await w.journal())[0]).toMatchObject({ state: 'recorded', request_id: res.body.request_id });
    const check = await moneyCheck(w, ['alice']);
    expect(check).toMatchObject({ lost: 0, orphans: [] });
  });

  it('an event that starts while the spend runs refunds the purchase (423, in words) and adds nothing', async () => {
    const [a] = await seedFreeItems(w, w.items.slice(0, 1));
    await w.ctl.setFaults([
      { method: 'POST', path: '/api/v1/economy/queue-spend', latency_ms: 300, times: 1 },
    ]);
    const purchase = buy('alice', w.items[10].token).then((r) => r); // supertest sends on then()
    for (let i = 0; i < 200 && (await w.journal()).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    // a fire records its event while the spend is on its way
    await w.t
      .get(DataSource)
      .getRepository(ActiveScheduleEntity)
      .insert({ id: 1, is_immutable: true, lock_disabled: false });
    const res = await purchase;
    expect(res.status).toBe(423);
    expect(res.body).toMatchObject({ code: 'queue_locked', refunded: true, charged: true });
    expect(res.body.detail).toMatch(/^Pay-to-play is closed during "a scheduled event".*; refunded$/);
    expect((await w.journal())[0]).toMatchObject({ state: 'refunded', refund_reason: 'queue_locked' });
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a]);
    expect(await moneyCheck(w, ['alice'])).toMatchObject({ lost: 0, orphans: [] });
  });
});
