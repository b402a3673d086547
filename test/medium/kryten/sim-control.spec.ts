import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl, SimControlError } from '@sim/sim-control';

let sim: RunningSimulator;
let ctl: SimControl;

const gate = (path: string, init: RequestInit = {}, token = sim.apiToken): Promise<Response> =>
  fetch(`${sim.url}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, catalogSize: 40, startTime: '2026-06-14T12:00:00Z' });
  ctl = new SimControl(sim.url);
});

beforeEach(async () => {
  await ctl.reset(5);
});

afterAll(async () => {
  await sim.close();
});

describe('simulator control API', () => {
  it('reports state and advances the manual clock', async () => {
    const state = await ctl.state();
    expect(state).toMatchObject({ seed: 5, playlist: [], nowPlaying: {}, catalogSize: 40, pending: 0 });
    expect(state.clock.now).toBe('2026-06-14T12:00:00.000Z');
    expect(await ctl.advance(90)).toMatchObject({ now: '2026-06-14T12:01:30.000Z', applied: 0 });
    await expect(ctl.advance(-1)).rejects.toBeInstanceOf(SimControlError);
  });

  it('plays through queued items on the clock', async () => {
    const [a, b] = (await ctl.catalog(0, 40)).items.filter((i) => i.duration > 0 && i.duration < 4000);
    await ctl.queueAsOther({ token: a.friendly_token, queueby: 'Bob' });
    await ctl.queueAsOther({ token: b.friendly_token, queueby: 'Bob' });
    expect((await ctl.state()).playlist.map((i) => i.queueby)).toEqual(['Bob', 'Bob']);
    await ctl.advance(a.duration + 5);
    const state = await ctl.state();
    expect(state.playlist.map((i) => i.uid)).toEqual([101]);
    expect(state.nowPlaying).toMatchObject({ uid: 101, currentTime: -3, paused: true });
  });

  it('joins, updates and removes users, and sets balances', async () => {
    await ctl.addUser({ name: 'Alice', rank: 2, balance: 500 });
    await ctl.updateUser('Alice', { afk: true, balance: 900 });
    expect((await ctl.state()).users).toEqual([{ name: 'Alice', rank: 2, afk: true }]);
    expect((await ctl.state()).balances).toEqual({ Alice: 900 });
    expect(await (await gate('/state/user/Alice')).json()).toMatchObject({
      name: 'Alice',
      meta: { afk: true },
    });
    expect(await ctl.removeUser('Alice')).toEqual({ left: true });
    expect(await (await gate('/state/user/Alice')).json()).toEqual({
      username: 'Alice',
      rank: 0,
      online: false,
    });
    await expect(ctl.updateUser('Ghost', { afk: true })).rejects.toMatchObject({ status: 404 });
  });

  it('records chat and PMs, filters PMs by recipient', async () => {
    await gate('/chat/pm', { method: 'POST', body: JSON.stringify({ username: 'Alice', message: 'one' }) });
    await gate('/chat/pm', {
      method: 'POST',
      body: JSON.stringify({ username: 'Bob', message: 'x'.repeat(400) }),
    });
    await gate('/chat/send', { method: 'POST', body: JSON.stringify({ message: 'hello' }) });
    expect(await ctl.flush()).toEqual({ applied: 3 });
    expect((await ctl.pms('Alice')).map((p) => p.message)).toEqual(['one']);
    expect((await ctl.pms('Bob'))[0].message).toHaveLength(320);
    expect(await ctl.pms()).toHaveLength(2);
    expect(await ctl.chat()).toEqual([
      { from: 'KrytenBot', message: 'hello', at: '2026-06-14T12:00:00.000Z' },
    ]);
  });

  it('sets and clears faults, honouring times', async () => {
    expect(await ctl.setFaults([{ path: '/api/v1/state', status: 503, times: 2 }])).toEqual({
      rules: [{ path: '/api/v1/state', status: 503, times: 2 }],
    });
    expect((await gate('/state/playlist')).status).toBe(503);
    await ctl.clearFaults();
    expect((await gate('/state/playlist')).status).toBe(200);
    await expect(ctl.setFaults([{ path: '' }])).rejects.toMatchObject({ status: 400 });
  });

  it('answers 401 with the api-gate shapes', async () => {
    const missing = await fetch(`${sim.url}/api/v1/state/playlist`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await missing.json()).toEqual({ detail: 'Missing authorization header' });
    const wrong = await gate('/state/playlist', {}, 'wrong');
    expect(await wrong.json()).toEqual({ detail: 'Invalid API key' });
    expect((await fetch(`${sim.url}/api/v1/system/health`)).status).toBe(200);
  });

  it('resets to the same catalog for the same seed and a different one for another seed', async () => {
    const before = (await ctl.catalog(0, 5)).items.map((i) => i.friendly_token);
    await ctl.reset(6);
    const other = (await ctl.catalog(0, 5)).items.map((i) => i.friendly_token);
    await ctl.reset(5);
    expect((await ctl.catalog(0, 5)).items.map((i) => i.friendly_token)).toEqual(before);
    expect(other).not.toEqual(before);
  });

  it('switches a blackout on through the economy route', async () => {
    await ctl.addUser({ name: 'Alice', balance: 5000 });
    await ctl.economy({ blackout: true });
    const res = await gate('/economy/queue-preview', {
      method: 'POST',
      body: JSON.stringify({ username: 'Alice', duration_sec: 60, tier: 'queue' }),
    });
    expect(await res.json()).toMatchObject({ available: false, error_code: 'blackout_active' });
  });

  it('applies commands after a real delay when started with commandDelayMs', async () => {
    const quick = await startSimulator({ port: 0, catalogSize: 0, commandDelayMs: 20 });
    const quickCtl = new SimControl(quick.url);
    await fetch(`${quick.url}/api/v1/chat/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${quick.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'soon' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await quickCtl.chat()).map((c) => c.message)).toEqual(['soon']);
    await quick.close();
  });
});
