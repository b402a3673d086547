import { economyTotals, moneyCheck, seedFreeItems, startPayWorld, type PayWorld } from './pay-harness';

describe('economy views and the ledger (simulator, real HTTP)', () => {
  let w: PayWorld;

  afterEach(() => w.close());

  it('passes balance and transactions through, validates paging, 503 on outage', async () => {
    w = await startPayWorld();
    await w.ctl.addUser({ name: 'alice', balance: 1234 });
    const bal = await w.http().get('/user/balance').set('Cookie', w.cookie('alice'));
    expect(bal.status).toBe(200);
    expect(bal.body).toMatchObject({ found: true, username: 'alice', balance: 1234 });
    const tx = await w.http().get('/user/transactions?limit=5&offset=0').set('Cookie', w.cookie('alice'));
    expect(tx.body).toMatchObject({
      username: 'alice',
      limit: 5,
      offset: 0,
      transactions: expect.any(Array),
    });
    for (const q of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc']) {
      expect((await w.http().get(`/user/transactions?${q}`).set('Cookie', w.cookie('alice'))).status).toBe(
        400,
      );
    }
    expect((await w.http().get('/user/balance')).status).toBe(401);
    await w.ctl.setFaults([{ path: '/api/v1/economy/balance', status: 500 }]);
    expect((await w.http().get('/user/balance').set('Cookie', w.cookie('alice'))).status).toBe(503);
  });

  it('renders the dashboard with balance, history (status, refund reason) and transactions', async () => {
    w = await startPayWorld();
    await w.ctl.addUser({ name: 'alice', balance: 5000 });
    await seedFreeItems(w, w.items.slice(0, 2));
    const p1 = await w
      .http()
      .post('/queue/add')
      .set('Cookie', w.cookie('alice'))
      .send({ friendly_token: w.items[10].token });
    await w.http().delete(`/admin/queue/${p1.body.uid}`).set('Cookie', w.cookie('boss', 3));
    const page = await w
      .http()
      .get('/user/dashboard')
      .set('Cookie', w.cookie('alice'))
      .set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('5,000 Z');
    expect(page.text).toContain('Refunded');
    expect(page.text).toContain('An admin removed it');
    expect(page.text).toContain('Queue refund');
    expect(page.text).toMatch(/amount-debit">-\d/);
    expect(page.text).toContain('/static/js/dashboard.js');
  });

  it('100 concurrent buyers with limited balances: no overspend, every spend delivered or refunded, ledger balances', async () => {
    w = await startPayWorld();
    await seedFreeItems(w, w.items.slice(0, 2));
    const buyers = Array.from({ length: 100 }, (_, i) => `buyer${i}`);
    // every buyer can afford one item at most (prices 250..1000); some can afford none
    for (const [i, name] of buyers.entries()) {
      await w.ctl.addUser({ name, balance: i % 5 === 0 ? 100 : 1000 });
    }
    // some CyTube trouble on the way: a few adds and moves fail
    await w.ctl.setFaults([
      { method: 'POST', path: '/api/v1/playlist/add', status: 500, rate: 0.1 },
      { method: 'PUT', path: '/api/v1/playlist/*/move', status: 200, body: { message_id: 'x' }, rate: 0.1 },
    ]);
    const results = await Promise.all(
      buyers.map((name, i) =>
        w
          .http()
          .post('/queue/add')
          .set('Cookie', w.cookie(name))
          .send({ friendly_token: w.items[2 + i].token, client_key: `key-${i}` }),
      ),
    );
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThan(40);
    expect(results.every((r) => [200, 400].includes(r.status))).toBe(true);
    await w.ctl.clearFaults();
    await w.ctl.flush();

    for (const name of buyers) {
      const totals = await economyTotals(w, name);
      expect(totals.balance).toBeGreaterThanOrEqual(0);
    }
    const check = await moneyCheck(w, buyers);
    expect(check.lost).toBe(0);
    expect(check.orphans).toEqual([]);
    const recorded = (await w.journal()).filter((r) => r.state === 'recorded');
    expect(recorded).toHaveLength(ok);
    // paid items are FIFO in the order they were placed: CyTube numbers adds in order, and each
    // purchase lands after every earlier one (requests made in the same millisecond have no order)
    const order = (await w.playlist()).map((p) => p.uid).filter((uid) => recorded.some((r) => r.uid === uid));
    expect(order).toEqual(recorded.map((r) => r.uid as number).sort((a, b) => a - b));

    const ledger = await w.http().get('/admin/economy/ledger').set('Cookie', w.cookie('boss', 3));
    expect(ledger.body.balanced).toBe(true);
    expect(ledger.body.spent).toBe(ledger.body.refunded + ledger.body.delivered + ledger.body.in_flight);
    expect(ledger.body.delivered).toBe(check.delivered);
  }, 120_000);

  it('ledger identity after a mixed scenario matches the economy', async () => {
    w = await startPayWorld();
    const users = ['alice', 'bob', 'carol'];
    for (const name of users) await w.ctl.addUser({ name, balance: 5000 });
    await seedFreeItems(w, w.items.slice(0, 2));
    const buy = (u: string, i: number) =>
      w.http().post('/queue/add').set('Cookie', w.cookie(u)).send({ friendly_token: w.items[i].token });
    await buy('alice', 10);
    const p2 = await buy('bob', 11);
    await w.ctl.setFaults([{ method: 'PUT', path: '/api/v1/playlist/*/move', status: 500, times: 1 }]);
    await buy('carol', 12); // move_failed
    await buy('carol', 13);
    await w.http().delete(`/admin/queue/${p2.body.uid}`).set('Cookie', w.cookie('boss', 3)); // admin_remove
    await w.ctl.updateUser('alice', { balance: 0 });
    await buy('alice', 14); // insufficient: never charged

    const res = await w.http().get('/admin/economy/ledger').set('Cookie', w.cookie('boss', 3));
    expect(res.status).toBe(200);
    const l = res.body;
    expect(l.balanced).toBe(true);
    expect(l.spent).toBe(l.refunded + l.delivered + l.in_flight);
    expect(l.per_reason.move_failed.count).toBe(1);
    expect(l.per_reason.admin_remove.count).toBe(1);
    expect(l.per_state.recorded.count).toBe(2);
    let spent = 0;
    let refunded = 0;
    for (const u of users) {
      const t = await economyTotals(w, u);
      spent += t.spent;
      refunded += t.refunded;
    }
    expect(l.spent).toBe(spent);
    expect(l.refunded).toBe(refunded);
    expect((await w.http().get('/admin/economy/ledger').set('Cookie', w.cookie('alice'))).status).toBe(403);
  });
});
