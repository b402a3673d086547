import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import { DataSource } from 'typeorm';
import { LiveEvent } from '../../../src/live/live.events';
import { QueueShadowEntity } from '../../../src/queue/entities/queue-shadow.entity';
import { testConfig } from '../../support/config';
import { shadowHarness, type ShadowHarness } from './shadow-support';

let sim: RunningSimulator;
let ctl: SimControl;
let h: ShadowHarness;
let tokens: { token: string; duration: number }[];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, clock: 'manual', catalogSize: 40 });
  ctl = new SimControl(sim.url);
  tokens = (await ctl.catalog(0, 40)).items
    .filter((i) => i.duration > 30 && i.duration < 4000)
    .map((i) => ({ token: i.friendly_token, duration: i.duration }));
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await ctl.reset(11);
  h = await shadowHarness({ config: testConfig({ api_gate_url: sim.url, api_gate_token: sim.apiToken }) });
});

afterEach(async () => {
  await h.close();
});

async function storedRows(): Promise<{ uid: number; position: number }[]> {
  const rows = await h.moduleRef
    .get(DataSource)
    .getRepository(QueueShadowEntity)
    .find({ order: { position: 'ASC' } });
  return rows.map((r) => ({ uid: r.uid, position: r.position }));
}

describe('StatePoller against the simulator', () => {
  it('mirrors items another user adds, drops temp items after they play, and persists positions', async () => {
    const a = await ctl.queueAsOther({ token: tokens[0].token, queueby: 'Bob' });
    const b = await ctl.queueAsOther({ token: tokens[1].token, queueby: 'Dana' });

    expect(await h.poller.tick()).toEqual({ ok: true, changed: true, items: 2 });
    expect(h.shadow.items().map((i) => [i.uid, i.paid_by, i.is_pay, i.temp])).toEqual([
      [a.uid, 'Bob', false, true],
      [b.uid, 'Dana', false, true],
    ]);
    expect(h.shadow.nowPlayingUid()).toBe(a.uid);
    expect(h.shadow.nowPlaying()?.currentTime).toBe(-3); // CyTube's lead-in right after a change

    // Nothing changed: no second QueueChanged.
    const changedBefore = h.events.filter((e) => e.name === LiveEvent.QueueChanged).length;
    expect(await h.poller.tick()).toEqual({ ok: true, changed: false, items: 2 });
    expect(h.events.filter((e) => e.name === LiveEvent.QueueChanged)).toHaveLength(changedBefore);

    // The first (temp) item plays to its end and leaves; the second plays.
    await ctl.advance(tokens[0].duration + 6);
    expect(await h.poller.tick()).toEqual({ ok: true, changed: true, items: 1 });
    expect(h.shadow.nowPlayingUid()).toBe(b.uid);
    expect(await storedRows()).toEqual([{ uid: b.uid, position: 0 }]);
  });

  it('warm-starts from the database, then follows the next poll', async () => {
    const a = await ctl.queueAsOther({ token: tokens[0].token });
    const b = await ctl.queueAsOther({ token: tokens[1].token });
    await h.poller.tick();
    const path = h.config.db_path;
    await h.close();
    h = await shadowHarness({
      config: testConfig({ db_path: path, database_url: h.config.database_url, api_gate_url: sim.url }),
    });
    expect(h.shadow.items().map((i) => i.uid)).toEqual([a.uid, b.uid]);
    const c = await ctl.queueAsOther({ token: tokens[2].token });
    await h.poller.tick();
    expect(h.shadow.items().map((i) => i.uid)).toEqual([a.uid, b.uid, c.uid]);
    expect(await storedRows()).toEqual([
      { uid: a.uid, position: 0 },
      { uid: b.uid, position: 1 },
      { uid: c.uid, position: 2 },
    ]);
  });

  it('survives api-gate errors: reports them, keeps the last state, marks the feed stale, recovers', async () => {
    const a = await ctl.queueAsOther({ token: tokens[0].token });
    await h.poller.tick();

    await ctl.setFaults([{ path: '/api/v1/state/playlist', status: 503 }]);
    const failed = await h.poller.tick();
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/503/);
    expect(failed.items).toBe(1);
    expect(h.shadow.items().map((i) => i.uid)).toEqual([a.uid]);
    expect(h.shadow.getState().stale).toBe(true);
    expect(await h.poller.tick()).toMatchObject({ ok: false }); // still failing: one stale event only
    const feed = h.events.filter((e) => e.name === LiveEvent.FeedStatus);
    expect(feed).toHaveLength(1);
    expect(feed[0].payload).toMatchObject({ stale: true });

    await ctl.clearFaults();
    const b = await ctl.queueAsOther({ token: tokens[1].token });
    expect(await h.poller.tick()).toEqual({ ok: true, changed: true, items: 2 });
    expect(h.shadow.items().map((i) => i.uid)).toEqual([a.uid, b.uid]);
    expect(h.shadow.getState().stale).toBe(false);
    expect(h.events.filter((e) => e.name === LiveEvent.FeedStatus).map((e) => e.payload)).toEqual([
      expect.objectContaining({ stale: true }),
      { stale: false },
    ]);
  });

  it('never runs two ticks at once', async () => {
    await ctl.setFaults([{ path: '/api/v1/state/playlist', latency_ms: 150 }]);
    const [first, second] = await Promise.all([h.poller.tick(), h.poller.tick()]);
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: true, changed: false, skipped: true });
  });
});
