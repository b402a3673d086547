import { startSimulator, type RunningSimulator } from '../../../sim/server';
import { SimControl } from '../../../sim/sim-control';
import { InstantSleeper, Sleeper } from '../../../src/common/sleeper';
import { BulkAddService } from '../../../src/queue/bulk-add.service';
import { createTestApp, type TestApp } from '../../support/app';

describe('BulkAddService (simulator)', () => {
  let sim: RunningSimulator;
  let ctl: SimControl;
  let t: TestApp;
  let sleeper: InstantSleeper;
  let manifests: { media_type: string; media_id: string; title: string; duration_sec: number }[];

  beforeEach(async () => {
    sim = await startSimulator({ port: 0, seed: 5, clock: 'manual', catalogSize: 30 });
    ctl = new SimControl(sim.url);
    sleeper = new InstantSleeper();
    t = await createTestApp({
      configOverrides: {
        api_gate_url: sim.url,
        api_gate_token: sim.apiToken,
        playlist_bulk_add_delay_sec: 0.5,
      },
      override: (b) => b.overrideProvider(Sleeper).useValue(sleeper),
    });
    manifests = (await ctl.catalog(0, 30)).items
      .filter((i) => i.duration > 0)
      .slice(0, 4)
      .map((i) => ({
        media_type: 'cm',
        media_id: `${sim.url}/api/v1/media/cytube/${i.friendly_token}.json?format=json`,
        title: i.title,
        duration_sec: i.duration,
      }));
  });
  afterEach(async () => {
    await t.close();
    await sim.close();
  });

  it('adds items in order at the end as temp, waiting between items but not before the first', async () => {
    const result = await t.get(BulkAddService).addAll(manifests.slice(0, 3));
    expect(result).toMatchObject({ added: 3, errors: 0, failures: [] });
    const playlist = (await ctl.state()).playlist;
    expect(playlist.map((p) => p.uid)).toEqual(result.uids);
    expect(playlist.every((p) => p.temp)).toBe(true);
    expect(result.lastUid).toBe(playlist[2].uid);
    expect(result.addedDurationSec).toBe(manifests.slice(0, 3).reduce((a, m) => a + m.duration_sec, 0));
    expect(sleeper.waits.filter((w) => w > 0)).toEqual([500, 500]);
  });

  it('retries a transient 422 queueFail with a linear backoff, then gives up and goes on', async () => {
    await ctl.setFaults([
      {
        method: 'POST',
        path: '/api/v1/playlist/add',
        status: 422,
        body: { detail: 'You are adding videos too quickly' },
        times: 2,
      },
    ]);
    const first = await t.get(BulkAddService).addAll(manifests.slice(0, 1));
    expect(first).toMatchObject({ added: 1, errors: 0 });
    expect(sleeper.waits.filter((w) => w > 0)).toEqual([500, 1000]);

    await ctl.setFaults([
      { method: 'POST', path: '/api/v1/playlist/add', status: 422, body: { detail: 'Nope' }, times: 3 },
    ]);
    const second = await t.get(BulkAddService).addAll(manifests.slice(1, 3));
    expect(second.added).toBe(1);
    expect(second.errors).toBe(1);
    expect(second.failures).toEqual([{ index: 0, error: 'Nope' }]);
    expect(second.uids[0]).toBeUndefined();
    expect(second.lastUid).toBe(second.uids[1]);
  });

  it('does not retry other failures (a 500 is counted and skipped)', async () => {
    await ctl.setFaults([{ method: 'POST', path: '/api/v1/playlist/add', status: 500, times: 1 }]);
    const result = await t.get(BulkAddService).addAll(manifests.slice(0, 2));
    expect(result).toMatchObject({ added: 1, errors: 1 });
    expect(sleeper.waits.filter((w) => w > 0)).toEqual([500]);
  });
});
