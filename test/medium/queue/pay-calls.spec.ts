import type { SpendRequestEntity } from '../../../src/economy/entities/spend-request.entity';
import type { SagaPoint } from '../../../src/pay/pay-saga.hooks';
import { moneyCheck, seedFreeItems, startPayWorld, type PayWorld } from '../economy/pay-harness';

/**
 * What a purchase costs upstream and who waits for whom: on a fresh shadow a purchase is planned
 * without reading api-gate, confirmed by one playlist read, and the queue mutex is not held
 * while it waits for that read, so the next buyer is placed meanwhile.
 */
describe('a purchase: six api-gate calls, confirmed outside the queue mutex', () => {
  let w: PayWorld;

  beforeEach(async () => {
    w = await startPayWorld();
    for (const name of ['alice', 'bob', 'carol']) await w.ctl.addUser({ name, balance: 5000 });
  });
  afterEach(() => w.close());

  const buy = (user: string, token: string, path = '/queue/add') =>
    w.http().post(path).set('Cookie', w.cookie(user)).send({ friendly_token: token });

  it('on a fresh shadow: preview, spend, add, move, one playlist read, chat', async () => {
    const [a, f1] = await seedFreeItems(w, w.items.slice(0, 2));
    await w.poll();
    for (const [user, path] of [
      ['alice', '/queue/add'],
      ['bob', '/queue/playnext'],
    ] as const) {
      await w.ctl.resetRequests();
      const res = await buy(user, w.items[user === 'alice' ? 10 : 11].token, path);
      expect(res.status).toBe(200);
      expect(await w.ctl.requests()).toEqual({
        'POST /api/v1/economy/queue-preview': 1,
        'POST /api/v1/economy/queue-spend': 1,
        'POST /api/v1/playlist/add': 1,
        'PUT /api/v1/playlist/:n/move': 1,
        'GET /api/v1/state/playlist': 1,
        'POST /api/v1/chat/send': 1,
      });
    }
    const [alice, bob] = (await w.journal()).map((r) => r.uid);
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a, bob, alice, f1]);
  });

  it('a plan that missed an outside add is caught by the read and the move is sent then', async () => {
    const [a] = await seedFreeItems(w, w.items.slice(0, 1));
    await w.poll();
    // After the poll: the shadow thinks the add will land right behind now-playing (no move).
    const [late] = await seedFreeItems(w, w.items.slice(1, 2));
    await w.ctl.resetRequests();
    const res = await buy('alice', w.items[10].token);
    expect(res.status).toBe(200);
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a, res.body.uid, late]);
    expect((await w.ctl.requests())['PUT /api/v1/playlist/:n/move']).toBe(1);
    expect((await w.journal())[0].state).toBe('recorded');
  });

  it('the next buyer is placed while the first waits for its confirming read, and both keep their order', async () => {
    const [a, f1] = await seedFreeItems(w, w.items.slice(0, 2));
    await w.poll();
    const points: string[] = [];
    let bobAdded!: () => void;
    const bobHasAdded = new Promise<void>((resolve) => (bobAdded = resolve));
    const after = w.hooks.after.bind(w.hooks);
    w.hooks.after = (point: SagaPoint, row?: SpendRequestEntity | null) => {
      points.push(`${row?.username}:${point}`);
      if (row?.username === 'bob' && point === 'added') bobAdded();
      return after(point);
    };
    // Alice's confirmation waits until Bob has added his item: only possible if Alice's wait
    // does not hold the queue mutex (otherwise this test never finishes).
    const flush = w.readBack.flush;
    let first = true;
    w.readBack.flush = async () => {
      if (first) {
        first = false;
        await bobHasAdded;
      }
      return flush();
    };
    const alice = buy('alice', w.items[10].token).then((r) => r); // supertest sends on then()
    await waitFor(() => points.includes('alice:added'));
    const bob = buy('bob', w.items[11].token).then((r) => r);
    const [ra, rb] = await Promise.all([alice, bob]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(points.indexOf('bob:added')).toBeLessThan(points.indexOf('alice:positioned'));
    expect((await w.playlist()).map((p) => p.uid)).toEqual([a, ra.body.uid, rb.body.uid, f1]);
    expect(await moneyCheck(w, ['alice', 'bob'])).toMatchObject({ lost: 0, orphans: [] });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 5000) throw new Error('the condition never came true');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
