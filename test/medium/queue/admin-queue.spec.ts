import { QueueRemovalService } from '../../../src/queue/queue-removal.service';
import { QueueShadowService } from '../../../src/queue/queue-shadow.service';
import {
  economyTotals,
  moneyCheck,
  seedFreeItems,
  startPayWorld,
  type PayWorld,
} from '../economy/pay-harness';
import { captureLogs } from '../../support/logs';

describe('admin queue routes (simulator, real HTTP)', () => {
  let w: PayWorld;
  const users = ['alice', 'bob'];

  beforeEach(async () => {
    w = await startPayWorld();
    for (const name of users) await w.ctl.addUser({ name, balance: 5000 });
  });
  afterEach(() => w.close());

  const buy = (user: string, token: string) =>
    w.http().post('/queue/add').set('Cookie', w.cookie(user)).send({ friendly_token: token });
  const admin = () => w.cookie('boss', 3);
  const adminAdd = (token: string, mode?: string) =>
    w.http().post('/admin/queue/add').set('Cookie', admin()).send({ friendly_token: token, mode });

  it('checks token, mode and cancel; viewers get 403', async () => {
    expect((await adminAdd('', 'after_purchased')).body.detail).toBe('friendly_token required');
    const bad = await adminAdd(w.items[5].token, 'sideways');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe('invalid mode');
    expect((await adminAdd(w.items[5].token, 'cancel')).body).toEqual({ success: false, cancelled: true });
    expect((await adminAdd('nope', 'after_purchased')).status).toBe(404);
    const viewer = await w.http().post('/admin/queue/clear').set('Cookie', w.cookie('alice'));
    expect(viewer.status).toBe(403);
  });

  it('after_purchased lands after the paid items, with no spend and no announcement', async () => {
    const [a, f1] = await seedFreeItems(w, w.items.slice(0, 2));
    const p1 = await buy('alice', w.items[10].token);
    const x = await adminAdd(w.items[11].token, 'after_purchased');
    expect(x.status).toBe(200);
    expect(x.body).toMatchObject({ success: true, refunded: 0 });
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a, p1.body.uid, x.body.uid, f1]);
    await w.ctl.flush();
    expect((await w.ctl.chat()).length).toBe(1); // only the paid insert is announced
    expect(w.t.get(QueueShadowService).get(x.body.uid)).toMatchObject({ is_pay: false, tier: 'admin' });
  });

  it('playnext_refund refunds and removes every pending paid item, then plays next', async () => {
    const [a, f1] = await seedFreeItems(w, w.items.slice(0, 2));
    await buy('alice', w.items[10].token);
    await buy('bob', w.items[11].token);
    await w.ctl.flush();
    const x = await adminAdd(w.items[12].token, 'playnext_refund');
    expect(x.body).toMatchObject({ success: true, refunded: 2 });
    await w.ctl.flush();
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a, x.body.uid, f1]);
    const rows = await w.journal();
    expect(rows.map((r) => r.refund_reason)).toEqual(['admin_playnext_refund', 'admin_playnext_refund']);
    for (const u of users) expect((await economyTotals(w, u)).balance).toBe(5000);
    expect((await moneyCheck(w, users, [x.body.uid])).orphans).toEqual([]);
  });

  it('playnext_refund with nothing playing refunds nothing (anchor resolved first)', async () => {
    const x = await adminAdd(w.items[12].token, 'playnext_refund');
    expect(x.status).toBe(400);
    expect(x.body.detail).toBe('Play-next unavailable (now-playing unknown)');
  });

  it('clear refunds every paid item (admin_clear), then clears the playlist', async () => {
    await seedFreeItems(w, w.items.slice(0, 2));
    const p1 = await buy('alice', w.items[10].token);
    await buy('bob', w.items[11].token);
    await w.ctl.advance(w.items[0].duration + 10); // p1 is now playing: clear refunds it too
    expect((await w.ctl.state()).current?.uid).toBe(p1.body.uid);
    const res = await w.http().post('/admin/queue/clear').set('Cookie', admin());
    expect(res.body).toMatchObject({ success: true, refunded: 2, kept: [] });
    await w.ctl.flush();
    expect(await w.playlist()).toEqual([]);
    expect((await w.journal()).map((r) => r.refund_reason)).toEqual(['admin_clear', 'admin_clear']);
    const hist = await w.http().get('/queue/history').set('Cookie', w.cookie('bob'));
    expect(hist.body.items[0]).toMatchObject({ status: 'refunded', refund_reason: 'admin_clear' });
  });

  it('clear does not refund a paid item that already played out (it was delivered)', async () => {
    await seedFreeItems(w, w.items.slice(0, 1));
    const played = await buy('alice', w.items[10].token);
    const pending = await buy('bob', w.items[11].token);
    // The free item, then alice's item play out; temp items leave the playlist after playing.
    await w.ctl.advance(w.items[0].duration + 10);
    await w.ctl.advance(w.items[10].duration + 10);
    const live = (await w.playlist()).map((p) => p.uid);
    expect(live).not.toContain(played.body.uid);
    expect(live).toContain(pending.body.uid);
    const res = await w.http().post('/admin/queue/clear').set('Cookie', admin());
    expect(res.body).toMatchObject({ success: true, refunded: 1, kept: [] });
    const byUid = new Map((await w.journal()).map((r) => [r.uid, r]));
    expect(byUid.get(played.body.uid)).toMatchObject({ state: 'recorded', refunded: false });
    expect(byUid.get(pending.body.uid)).toMatchObject({ state: 'refunded', refund_reason: 'admin_clear' });
  });

  it('clear keeps a paid item whose refund fails, so nobody loses Z', async () => {
    await seedFreeItems(w, w.items.slice(0, 2));
    const p1 = await buy('alice', w.items[10].token);
    await w.ctl.setFaults([{ method: 'POST', path: '/api/v1/economy/queue-refund', status: 500 }]);
    const logs = captureLogs();
    const res = await w.http().post('/admin/queue/clear').set('Cookie', admin());
    logs.restore();
    expect(res.body).toMatchObject({ success: false, refunded: 0, kept: [p1.body.uid] });
    expect(logs.lines().filter((l) => l.includes('admin_clear refund of'))).toHaveLength(1);
    await w.ctl.flush();
    expect((await w.playlist()).map((p) => p.uid)).toEqual([p1.body.uid]);
    expect((await moneyCheck(w, users)).lost).toBe(0);
  });

  it('DELETE refunds a paid item (admin_remove) and removes it; jump plays an item', async () => {
    const [a, f1] = await seedFreeItems(w, w.items.slice(0, 2));
    const p1 = await buy('alice', w.items[10].token);
    const del = await w.http().delete(`/admin/queue/${p1.body.uid}`).set('Cookie', admin());
    expect(del.body).toMatchObject({ success: true, refunded: true, refunded_z: expect.any(Number) });
    await w.ctl.flush();
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a, f1]);
    expect((await w.journal())[0].refund_reason).toBe('admin_remove');
    // a free item is removed without any refund
    const free = await w.http().delete(`/admin/queue/${f1}`).set('Cookie', admin());
    expect(free.body).toMatchObject({ success: true, refunded: false });
    expect((await w.http().delete('/admin/queue/abc').set('Cookie', admin())).status).toBe(400);
    const jump = await w.http().post(`/admin/queue/${a}/jump`).set('Cookie', admin());
    expect(jump.body).toEqual({ success: true, skipped_paid: [], refunded: 0, refunded_z: 0 });
  });

  it('a jump names the paid items it goes past; with refund_skipped they are refunded (admin_jump) and taken out', async () => {
    const [a] = await seedFreeItems(w, w.items.slice(0, 1));
    const p1 = await buy('alice', w.items[10].token);
    const p2 = await buy('bob', w.items[11].token);
    const [target] = await seedFreeItems(w, w.items.slice(2, 3));
    await w.poll();
    const keep = await w.http().post(`/admin/queue/${target}/jump`).set('Cookie', admin()).send({});
    expect(keep.body).toMatchObject({
      success: true,
      skipped_paid: [
        { uid: p1.body.uid, paid_by: 'alice' },
        { uid: p2.body.uid, paid_by: 'bob' },
      ],
      refunded: 0,
    });
    expect((await w.journal()).map((r) => r.state)).toEqual(['recorded', 'recorded']);
    const bad = await w
      .http()
      .post(`/admin/queue/${target}/jump`)
      .set('Cookie', admin())
      .send({ refund_skipped: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe('refund_skipped must be true or false');

    const refunding = await w
      .http()
      .post(`/admin/queue/${target}/jump`)
      .set('Cookie', admin())
      .send({ refund_skipped: true });
    expect(refunding.body).toMatchObject({ success: true, refunded: 2, refunded_z: expect.any(Number) });
    await w.ctl.flush();
    expect((await w.journal()).map((r) => r.refund_reason)).toEqual(['admin_jump', 'admin_jump']);
    const left = (await w.playlist()).map((p) => p.uid);
    expect(left).toContain(target);
    expect(left).not.toContain(p1.body.uid);
    expect(left).not.toContain(p2.body.uid);
    expect(left).not.toContain(a); // a temp item leaves when it is jumped from
    expect((await moneyCheck(w, users)).lost).toBe(0);
  });

  it('move puts an item right after another (confirmed by read-back); bad moves are 4xx in words', async () => {
    const [a, b, c] = await seedFreeItems(w, w.items.slice(0, 3));
    await w.poll();
    const res = await w.http().post(`/admin/queue/${c}/move`).set('Cookie', admin()).send({ after_uid: a });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, moved: true });
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a, c, b]);
    expect(
      w.t
        .get(QueueShadowService)
        .items()
        .map((i) => i.uid),
    ).toEqual([a, c, b]);

    const self = await w.http().post(`/admin/queue/${c}/move`).set('Cookie', admin()).send({ after_uid: c });
    expect(self.status).toBe(400);
    expect(self.body.detail).toBe('An item cannot be moved after itself');
    const gone = await w
      .http()
      .post(`/admin/queue/${c}/move`)
      .set('Cookie', admin())
      .send({ after_uid: 987654 });
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toBe('Item 987654 is not in the queue (it may have just played)');
    const bad = await w
      .http()
      .post(`/admin/queue/${c}/move`)
      .set('Cookie', admin())
      .send({ after_uid: 'first' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('after_uid must be the uid of an item in the queue');
    const viewer = await w
      .http()
      .post(`/admin/queue/${c}/move`)
      .set('Cookie', w.cookie('alice'))
      .send({ after_uid: a });
    expect(viewer.status).toBe(403);
  });

  it('clear can keep the channel loop: paid items refunded, temp items gone, permanent channel items stay', async () => {
    const loop = [];
    for (const row of w.items.slice(0, 2)) {
      loop.push((await w.ctl.queueAsOther({ token: row.token, queueby: 'SomeoneElse', temp: false })).uid);
    }
    const [temp] = await seedFreeItems(w, w.items.slice(2, 3));
    await buy('alice', w.items[10].token);
    await w.poll();
    const res = await w.http().post('/admin/queue/clear').set('Cookie', admin()).send({ keep_loop: true });
    expect(res.body).toMatchObject({ success: true, refunded: 1, kept: [], kept_loop: 2 });
    await w.ctl.flush();
    const left = (await w.playlist()).map((p) => p.uid);
    expect(left).toEqual(loop);
    expect(left).not.toContain(temp);
    expect((await w.journal()).map((r) => r.refund_reason)).toEqual(['admin_clear']);
  });

  it('removeItem leaves a paid item without a refundable spend in place (presence), removes lead-ins', async () => {
    const [a, f1, promo] = await seedFreeItems(w, w.items.slice(0, 3));
    await w.poll();
    const shadow = w.t.get(QueueShadowService);
    await shadow.updateMetadata(f1, { is_pay: true, paid_by: 'ghost' });
    const removal = w.t.get(QueueRemovalService);
    const kept = await removal.removeItem(f1, 'owner_left');
    expect(kept).toMatchObject({ removed: false, kept_because: 'no_refundable_spend' });

    const p1 = await buy('alice', w.items[10].token);
    await shadow.updateMetadata(promo, { is_promo: true, lead_in_for_uid: p1.body.uid });
    const out = await removal.removeItem(p1.body.uid, 'owner_left', { notifyOwner: true });
    expect(out).toMatchObject({
      removed: true,
      refunded: true,
      lead_ins_removed: [promo],
      username: 'alice',
    });
    await w.ctl.flush();
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a, f1]);
    expect((await w.ctl.pms('alice')).length).toBe(1);
  });
});
