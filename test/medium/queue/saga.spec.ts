import { PayReconciler } from '../../../src/pay/pay-reconciler.service';
import { SAGA_POINTS } from '../../../src/pay/pay-saga.hooks';
import { captureLogs } from '../../support/logs';
import {
  economyTotals,
  moneyCheck,
  seedFreeItems,
  startPayWorld,
  type PayWorld,
} from '../economy/pay-harness';

describe('pay-to-play saga: failures are refunded, crashes are reconciled', () => {
  let w: PayWorld;

  beforeEach(async () => {
    w = await startPayWorld();
    await w.ctl.addUser({ name: 'alice', balance: 5000 });
  });
  afterEach(() => w.close());

  const buy = (token: string, path = '/queue/add') =>
    w.http().post(path).set('Cookie', w.cookie('alice')).send({ friendly_token: token });

  async function expectSettled(): Promise<void> {
    await w.ctl.flush();
    const check = await moneyCheck(w, ['alice']);
    expect(check.lost).toBe(0);
    expect(check.orphans).toEqual([]);
  }

  it('a spend refused with HTTP 200 success:false is not treated as paid', async () => {
    await seedFreeItems(w, w.items.slice(0, 2));
    await w.ctl.setFaults([
      {
        method: 'POST',
        path: '/api/v1/economy/queue-spend',
        status: 200,
        body: { success: false, cost_z: 250, error_code: 'cooldown_active' },
        times: 1,
      },
    ]);
    const res = await buy(w.items[10].token);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('cooldown_active');
    expect((await w.journal())[0]).toMatchObject({ state: 'failed', error: 'cooldown_active' });
    expect((await w.playlist()).length).toBe(2);
    await expectSettled();
  });

  it('no now-playing → refund no_now_playing', async () => {
    const res = await buy(w.items[10].token);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'no_now_playing',
      detail: 'Queue position unavailable (now-playing unknown); refunded',
      refunded: true,
    });
    const play = await buy(w.items[11].token, '/queue/playnext');
    expect(play.body.detail).toBe('Play-next unavailable (now-playing unknown); refunded');
    const rows = await w.journal();
    expect(rows.map((r) => [r.state, r.refund_reason])).toEqual([
      ['refunded', 'no_now_playing'],
      ['refunded', 'no_now_playing'],
    ]);
    const totals = await economyTotals(w, 'alice');
    expect(totals.refunded).toBe(totals.spent);
    expect(totals.balance).toBe(5000);
  });

  it('add 422 queueFail → refund playlist_add_failed with CyTube text', async () => {
    await seedFreeItems(w, w.items.slice(0, 1));
    const token = w.items[10].token;
    await w.ctl.setFaults([{ method: 'GET', path: `/api/v1/media/cytube/${token}.json`, status: 404 }]);
    const res = await buy(token);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'playlist_add_failed',
      detail: 'Expected HTTP 200 OK, not 404 Not Found',
    });
    expect((await w.journal())[0]).toMatchObject({ state: 'refunded', refund_reason: 'playlist_add_failed' });
    await expectSettled();
  });

  it('add 5xx → refund playlist_add_failed', async () => {
    await seedFreeItems(w, w.items.slice(0, 1));
    await w.ctl.setFaults([
      { method: 'POST', path: '/api/v1/playlist/add', status: 500, body: { detail: 'Failed to add video' } },
    ]);
    const res = await buy(w.items[10].token);
    expect(res.body.code).toBe('playlist_add_failed');
    expect((await w.journal())[0].refund_reason).toBe('playlist_add_failed');
    await expectSettled();
  });

  it('add 504 that never shows up → refund after checking the playlist', async () => {
    await seedFreeItems(w, w.items.slice(0, 1));
    await w.ctl.setFaults([{ method: 'POST', path: '/api/v1/playlist/add', status: 504 }]);
    const res = await buy(w.items[10].token);
    expect(res.body.code).toBe('playlist_add_failed');
    expect((await w.journal())[0].state).toBe('refunded');
    await expectSettled();
  });

  it('add 504 whose item appears late is adopted, positioned and recorded (no refund)', async () => {
    const [a, f1] = await seedFreeItems(w, w.items.slice(0, 2));
    const token = w.items[10].token;
    // a slow manifest: api-gate gives up (504) but CyTube adds it a moment later
    await w.ctl.setFaults([{ method: 'GET', path: `/api/v1/media/cytube/${token}.json`, latency_ms: 9000 }]);
    const res = await buy(token);
    expect(res.status).toBe(200);
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a, res.body.uid, f1]);
    expect((await w.journal())[0].state).toBe('recorded');
    await expectSettled();
  });

  it('move rejected over HTTP → refund move_failed and delete the orphan', async () => {
    await seedFreeItems(w, w.items.slice(0, 2));
    await w.ctl.setFaults([{ method: 'PUT', path: '/api/v1/playlist/*/move', status: 500 }]);
    const res = await buy(w.items[10].token);
    expect(res.body).toMatchObject({ code: 'move_failed', detail: 'Failed to position item in queue' });
    await expectSettled();
    expect((await w.playlist()).length).toBe(2);
  });

  it('move published but never applied (fire-and-forget) → refund move_failed and delete', async () => {
    await seedFreeItems(w, w.items.slice(0, 2));
    await w.ctl.setFaults([
      { method: 'PUT', path: '/api/v1/playlist/*/move', status: 200, body: { message_id: 'lost' } },
    ]);
    const res = await buy(w.items[10].token);
    expect(res.body.code).toBe('move_failed');
    expect((await w.journal())[0]).toMatchObject({ state: 'refunded', refund_reason: 'move_failed' });
    await expectSettled();
  });

  describe('a spend without a usable answer is journaled uncertain and settled from the economy', () => {
    const reconcile = () => w.t.get(PayReconciler).tick();
    const spendFault = (extra: Record<string, unknown>) =>
      w.ctl.setFaults([
        { method: 'POST', path: '/api/v1/economy/queue-spend', status: 500, times: 1, ...extra },
      ]);

    it('the economy applies the spend after api-gate answered 500: the reconciler refunds it', async () => {
      await seedFreeItems(w, w.items.slice(0, 1));
      await spendFault({ applies: 'later' });
      const res = await buy(w.items[10].token);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'spend_uncertain', refunded: false, charged: 'unknown' });
      expect(res.body.detail).toBe(
        'We could not confirm the charge. If it went through, it will be refunded automatically.',
      );
      expect((await w.journal())[0].state).toBe('uncertain');
      await w.ctl.flush(); // the late spend lands now
      expect((await economyTotals(w, 'alice')).balance).toBeLessThan(5000);
      const summary = await reconcile();
      expect(summary).toMatchObject({ refunded: 1, uncertain: 0 });
      expect((await w.journal())[0]).toMatchObject({ state: 'refunded', refund_reason: 'spend_uncertain' });
      expect((await economyTotals(w, 'alice')).balance).toBe(5000);
      expect((await w.playlist()).length).toBe(1);
      await expectSettled();
    });

    it('a reply lost after the spend applied is refunded at once', async () => {
      await seedFreeItems(w, w.items.slice(0, 1));
      await spendFault({ applies: 'before' });
      const res = await buy(w.items[10].token);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'spend_uncertain', refunded: true });
      expect(res.body.detail).toBe('We could not confirm the payment, so it was refunded. Please try again.');
      expect((await w.journal())[0]).toMatchObject({ state: 'refunded', refund_reason: 'spend_uncertain' });
      await expectSettled();
    });

    it('a spend that never lands stays open (listed on the ledger) until the horizon, then closes', async () => {
      await seedFreeItems(w, w.items.slice(0, 1));
      await spendFault({});
      expect((await buy(w.items[10].token)).body.code).toBe('spend_uncertain');
      await w.ctl.flush();
      expect(await reconcile()).toMatchObject({ uncertain: 1, refunded: 0, no_spend: 0 });
      const ledger = await w.http().get('/admin/economy/ledger').set('Cookie', w.cookie('boss', 3));
      expect(ledger.body.uncertain).toMatchObject({ count: 1 });
      expect(ledger.body.open).toEqual([
        expect.objectContaining({ username: 'alice', state: 'uncertain', what: expect.any(String) }),
      ]);
      w.clock.advance((w.config.uncertain_spend_horizon_minutes + 1) * 60_000);
      expect(await reconcile()).toMatchObject({ no_spend: 1, uncertain: 0 });
      expect((await w.journal())[0].state).toBe('failed');
      expect((await economyTotals(w, 'alice')).balance).toBe(5000);
      await expectSettled();
    });

    it('a replay of an uncertain purchase tells the same truth and never spends again', async () => {
      await seedFreeItems(w, w.items.slice(0, 1));
      await spendFault({ applies: 'later' });
      const send = () =>
        w
          .http()
          .post('/queue/add')
          .set('Cookie', w.cookie('alice'))
          .send({ friendly_token: w.items[10].token, client_key: 'k-1' });
      expect((await send()).body.code).toBe('spend_uncertain');
      expect((await send()).body).toMatchObject({ code: 'spend_uncertain', refunded: false });
      await w.ctl.flush();
      await reconcile();
      expect((await send()).body).toMatchObject({ code: 'spend_uncertain', refunded: true, replay: true });
      expect(await w.journal()).toHaveLength(1);
      await expectSettled();
    });
  });

  describe('an item we refunded must leave the channel', () => {
    it('a delete that is silently dropped is sent again by the reconciler until the item is gone', async () => {
      await seedFreeItems(w, w.items.slice(0, 2));
      await w.ctl.setFaults([
        { method: 'PUT', path: '/api/v1/playlist/*/move', status: 500, times: 1 },
        { method: 'DELETE', path: '/api/v1/playlist/*', swallow: true, times: 1 },
      ]);
      const res = await buy(w.items[10].token);
      expect(res.body).toMatchObject({ code: 'move_failed', refunded: true });
      await w.ctl.flush();
      const orphan = (await w.journal())[0].removal_uid as number;
      expect((await w.playlist()).map((p) => p.uid)).toContain(orphan);
      const reconciler = w.t.get(PayReconciler);
      expect(await reconciler.tick()).toMatchObject({ orphans_deleted: 1 });
      await w.ctl.flush();
      expect((await w.playlist()).map((p) => p.uid)).not.toContain(orphan);
      expect(await reconciler.tick()).toMatchObject({ removals_confirmed: 1 });
      expect((await w.journal())[0].removal_uid).toBeNull();
      await expectSettled();
    });

    it('a delete that fails over HTTP is retried the same way', async () => {
      await seedFreeItems(w, w.items.slice(0, 2));
      await w.ctl.setFaults([
        { method: 'PUT', path: '/api/v1/playlist/*/move', status: 500, times: 1 },
        { method: 'DELETE', path: '/api/v1/playlist/*', status: 500, times: 2 },
      ]);
      const logs = captureLogs();
      expect((await buy(w.items[10].token)).body.code).toBe('move_failed');
      const reconciler = w.t.get(PayReconciler);
      expect(await reconciler.tick()).toMatchObject({ left: 1, orphans_deleted: 0 });
      expect(await reconciler.tick()).toMatchObject({ orphans_deleted: 1 });
      await w.ctl.flush();
      expect(await reconciler.tick()).toMatchObject({ removals_confirmed: 1 });
      expect(logs.lines().some((l) => l.includes('delete of orphan'))).toBe(true);
      logs.restore();
      await expectSettled();
    });
  });

  it('a refund the economy cannot take now is finished by the reconciler later', async () => {
    await seedFreeItems(w, w.items.slice(0, 2));
    await w.ctl.setFaults([
      { method: 'PUT', path: '/api/v1/playlist/*/move', status: 500 },
      { method: 'POST', path: '/api/v1/economy/queue-refund', status: 500 },
    ]);
    const res = await buy(w.items[10].token);
    expect(res.body).toMatchObject({ code: 'move_failed', refunded: false });
    expect((await w.journal())[0].state).toBe('added');
    await w.ctl.clearFaults();
    await w.restart();
    expect((await w.journal())[0]).toMatchObject({ state: 'refunded', refund_reason: 'saga_interrupted' });
    await expectSettled();
  });

  describe.each(SAGA_POINTS.map((p) => [p]))('crash after %s, then restart', (point) => {
    it('loses no Z and leaves no orphan', async () => {
      const [a, f1] = await seedFreeItems(w, w.items.slice(0, 2));
      await w.ctl.addUser({ name: 'bob', balance: 5000 });
      // an earlier, finished purchase must survive the reconcile untouched
      const before = await w
        .http()
        .post('/queue/add')
        .set('Cookie', w.cookie('bob'))
        .send({ friendly_token: w.items[9].token });
      expect(before.status).toBe(200);

      w.hooks.crashAt = point;
      const logs = captureLogs();
      const res = await buy(w.items[10].token);
      logs.restore();
      expect(res.status).toBe(500); // the "process died" mid-request
      expect(
        logs.lines().filter((l) => l.includes(`POST /queue/add: saga interrupted after ${point}`)),
      ).toHaveLength(1);
      await w.restart();
      await w.ctl.flush();
      // died before the spend was sent: nothing in the economy's records, so the row stays
      // open until the horizon, then closes as never charged
      const open = (await w.journal()).filter((r) => r.state === 'uncertain').length;
      expect(open).toBe(point === 'pending' ? 1 : 0);
      w.clock.advance((w.config.uncertain_spend_horizon_minutes + 1) * 60_000);
      await w.t.get(PayReconciler).tick();

      const rows = await w.journal();
      const mine = rows.find((r) => r.username === 'alice');
      expect(['recorded', 'refunded', 'failed']).toContain(mine?.state);
      expect(rows.find((r) => r.username === 'bob')?.state).toBe('recorded');
      const check = await moneyCheck(w, ['alice', 'bob']);
      expect(check.lost).toBe(0);
      expect(check.orphans).toEqual([]);
      const uids = (await w.playlist()).map((p) => p.uid);
      expect(uids.slice(0, 2)).toEqual([a, before.body.uid]);
      const expected =
        mine?.state === 'recorded' ? [a, before.body.uid, mine.uid, f1] : [a, before.body.uid, f1];
      expect(uids).toEqual(expected);
      // a crash at 'positioned' or later keeps the purchase; earlier ones refund it
      const kept = point === 'positioned' || point === 'recorded';
      expect(mine?.state === 'recorded').toBe(kept);
    });
  });
});
