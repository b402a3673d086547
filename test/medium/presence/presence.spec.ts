import { ApiGateClient } from '../../../src/kryten/api-gate.client';
import { PresenceRefundMonitor } from '../../../src/presence/presence.monitor';
import {
  economyTotals,
  moneyCheck,
  seedFreeItems,
  startPayWorld,
  type PayWorld,
} from '../economy/pay-harness';

/**
 * Presence refunds end to end: the simulator's channel and economy over real HTTP, the app on
 * a real SQLite copy, a manual clock for the grace period, and tick() called by hand.
 */
describe('presence refund monitor (simulator, manual clock)', () => {
  let w: PayWorld;
  const START_BALANCE = 5000;

  beforeEach(async () => {
    w = await startPayWorld();
    await w.ctl.addUser({ name: 'alice', balance: START_BALANCE });
    await w.ctl.addUser({ name: 'bob', balance: START_BALANCE });
    await seedFreeItems(w, w.items.slice(0, 2)); // a free item plays; another waits
  });
  afterEach(() => w.close());

  const monitor = (): PresenceRefundMonitor => w.t.get(PresenceRefundMonitor);
  const seconds = (n: number): void => w.clock.advance(n * 1000);
  async function buy(user: string, index: number, path = '/queue/add'): Promise<number> {
    const res = await w
      .http()
      .post(path)
      .set('Cookie', w.cookie(user))
      .send({ friendly_token: w.items[index].token });
    expect(res.status).toBe(200);
    return res.body.uid as number;
  }
  const playlistUids = async (): Promise<number[]> => (await w.playlist()).map((p) => p.uid);

  it('keeps the items of a viewer back at 59 s, then cancels and refunds both after 61 s away', async () => {
    const first = await buy('alice', 10);
    const second = await buy('alice', 11);
    const bobs = await buy('bob', 12);
    await w.poll();
    expect((await economyTotals(w, 'alice')).balance).toBeLessThan(START_BALANCE);

    await w.ctl.removeUser('alice');
    expect(await monitor().tick()).toMatchObject({ checked: 2, tracking: 1, cancelled: 0 });
    expect(monitor().trackedOwners()).toEqual([
      expect.objectContaining({ owner: 'alice', state: 'gone', grace_left_sec: 60, items: 2 }),
    ]);

    seconds(59);
    await w.ctl.addUser({ name: 'alice' }); // back just in time
    expect(await monitor().tick()).toMatchObject({ tracking: 0, cancelled: 0 });

    await w.ctl.removeUser('alice');
    expect(await monitor().tick()).toMatchObject({ tracking: 1, cancelled: 0 });
    seconds(30);
    expect(await monitor().tick()).toMatchObject({ tracking: 1, cancelled: 0 });
    expect(monitor().trackedOwners()[0].grace_left_sec).toBe(30);
    seconds(31);
    expect(await monitor().tick()).toMatchObject({ tracking: 0, cancelled: 2 });

    await w.ctl.flush(); // deletes and PMs are fire-and-forget
    const uids = await playlistUids();
    expect(uids).not.toContain(first);
    expect(uids).not.toContain(second);
    expect(uids).toContain(bobs); // bob stayed: his item is untouched
    expect((await economyTotals(w, 'alice')).balance).toBe(START_BALANCE);

    const journal = await w.journal();
    const alices = journal.filter((r) => r.username === 'alice');
    expect(alices.map((r) => [r.state, r.refund_reason])).toEqual([
      ['refunded', 'owner_left'],
      ['refunded', 'owner_left'],
    ]);
    const history = await w.http().get('/queue/history').set('Cookie', w.cookie('alice'));
    expect(
      history.body.items.map((i: { status: string; refund_reason: string }) => [i.status, i.refund_reason]),
    ).toEqual([
      ['refunded', 'owner_left'],
      ['refunded', 'owner_left'],
    ]);

    const pms = (await w.ctl.pms('alice')).map((p) => p.message);
    expect(pms).toHaveLength(2);
    expect(pms[0]).toContain(
      `"${w.items[10].title.slice(0, 150)}" was removed from the queue because you left the channel`,
    );
    expect(pms[0]).toMatch(/\d[\d,]* Z were refunded/);
    expect(await moneyCheck(w, ['alice', 'bob'])).toMatchObject({ lost: 0, orphans: [] });
  });

  it('never cancels the item now playing, even when its owner is long gone', async () => {
    const playing = await buy('alice', 10, '/queue/playnext');
    const pending = await buy('alice', 11);
    await w.t.get(ApiGateClient).playlistJump(playing);
    await w.ctl.flush();
    await w.poll();
    expect((await w.ctl.state()).current?.uid).toBe(playing);

    await w.ctl.removeUser('alice');
    await monitor().tick();
    seconds(61);
    expect(await monitor().tick()).toMatchObject({ cancelled: 1 });
    await w.ctl.flush();
    const uids = await playlistUids();
    expect(uids).toContain(playing);
    expect(uids).not.toContain(pending);
    const states = (await w.journal()).map((r) => [r.uid, r.state]);
    expect(states).toEqual([
      [playing, 'recorded'],
      [pending, 'refunded'],
    ]);
  });

  it('exempts an item that starts playing during the grace period', async () => {
    const a = await buy('alice', 10);
    const b = await buy('alice', 11);
    await w.poll();
    await w.ctl.removeUser('alice');
    await monitor().tick();
    // During grace, alice's first item starts playing.
    await w.t.get(ApiGateClient).playlistJump(a);
    await w.ctl.flush();
    seconds(61);
    expect(await monitor().tick()).toMatchObject({ cancelled: 1 });
    await w.ctl.flush();
    const uids = await playlistUids();
    expect(uids).toContain(a);
    expect(uids).not.toContain(b);
  });

  it('treats api-gate faults during lookups as inconclusive and never cancels on them', async () => {
    const item = await buy('alice', 10);
    await w.poll();
    await w.ctl.removeUser('alice');
    await w.ctl.setFaults([{ method: 'GET', path: '/api/v1/state/user', status: 500 }]);
    for (let i = 0; i < 10; i++) {
      expect(await monitor().tick()).toMatchObject({
        checked: 1,
        inconclusive: 1,
        tracking: 0,
        cancelled: 0,
      });
      seconds(15);
    }
    // A clock started before a fault survives it unchanged; the fault neither cancels nor clears.
    await w.ctl.clearFaults();
    expect(await monitor().tick()).toMatchObject({ tracking: 1 });
    await w.ctl.setFaults([{ method: 'GET', path: '/api/v1/state/user', timeout: true }]);
    seconds(120);
    expect(await monitor().tick()).toMatchObject({ inconclusive: 1, tracking: 1, cancelled: 0 });
    await w.ctl.clearFaults();
    expect(await monitor().tick()).toMatchObject({ cancelled: 1 });
    await w.ctl.flush();
    expect(await playlistUids()).not.toContain(item);
  }, 30_000);

  it('acts on AFK only when on_afk is on, and leaves free items alone', async () => {
    const paid = await buy('alice', 10);
    await w.poll();
    await w.ctl.updateUser('alice', { afk: true });
    await monitor().tick();
    seconds(61);
    expect(await monitor().tick()).toMatchObject({ cancelled: 0, tracking: 0 }); // on_afk is off by default

    w.config.presence_refund.on_afk = true;
    await monitor().tick();
    seconds(61);
    expect(await monitor().tick()).toMatchObject({ cancelled: 1 });
    expect((await w.journal()).map((r) => r.refund_reason)).toEqual(['owner_afk']);
    await w.ctl.flush();
    const pms = (await w.ctl.pms('alice')).map((p) => p.message);
    expect(pms[0]).toContain('because you were AFK');
    expect(await playlistUids()).not.toContain(paid);
    // The two free items queued by someone else are still there.
    expect((await w.playlist()).filter((p) => p.queueby === 'SomeoneElse')).toHaveLength(2);
  });

  it('in shadow mode only logs what it would cancel', async () => {
    const item = await buy('alice', 10);
    await w.poll();
    w.config.presence_refund.shadow_mode = true;
    await w.ctl.removeUser('alice');
    await monitor().tick();
    seconds(61);
    expect(await monitor().tick()).toMatchObject({ cancelled: 0, skipped: 1 });
    await w.ctl.flush();
    expect(await playlistUids()).toContain(item);
    expect((await w.journal())[0].state).toBe('recorded');
  });

  it('does nothing when disabled', async () => {
    await buy('alice', 10);
    await w.poll();
    w.config.presence_refund.enabled = false;
    await w.ctl.removeUser('alice');
    expect(await monitor().tick()).toEqual({
      checked: 0,
      tracking: 0,
      cancelled: 0,
      inconclusive: 0,
      skipped: 0,
    });
  });
});
