import { createServer } from 'node:net';
import { ApiGateClient } from '@app/kryten/api-gate.client';
import {
  CytubeQueueFailError,
  UpstreamAuthError,
  UpstreamNotFoundError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from '@app/kryten/kryten.errors';
import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';

let sim: RunningSimulator;
let gate: ApiGateClient;
let ctl: SimControl;
let tokens: string[];

const manifest = (token: string): string => `${sim.url}/api/v1/media/cytube/${token}.json?format=json`;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, catalogSize: 60 });
  gate = new ApiGateClient({ baseUrl: `${sim.url}/`, token: sim.apiToken });
  ctl = new SimControl(sim.url);
});

beforeEach(async () => {
  await ctl.reset(11);
  tokens = (await ctl.catalog(0, 60)).items.filter((i) => i.duration > 0).map((i) => i.friendly_token);
});

afterAll(async () => {
  await gate.close();
  await sim.close();
});

describe('ApiGateClient — playlist and state', () => {
  it('adds, reads the playlist and now-playing', async () => {
    expect(await gate.getPlaylist()).toEqual([]);
    expect(await gate.getNowPlaying()).toBeNull();
    const { uid } = await gate.playlistAdd({ type: 'cm', id: manifest(tokens[0]) });
    expect(uid).toBe(100);
    const item = await ctl.media(tokens[0]);
    expect(await gate.getPlaylist()).toEqual([
      {
        uid: 100,
        temp: true,
        queueby: 'KrytenBot',
        media: expect.objectContaining({
          id: manifest(tokens[0]),
          type: 'cm',
          seconds: item.duration,
          title: item.title,
        }),
      },
    ]);
    expect(await gate.getNowPlaying()).toMatchObject({
      uid: 100,
      currentTime: -3,
      paused: true,
      seconds: item.duration,
    });
    await ctl.advance(8);
    expect(await gate.getNowPlaying()).toMatchObject({ uid: 100, currentTime: 5, paused: false });
  });

  it('throws CytubeQueueFailError for duplicates and vanished media, with CyTube’s message', async () => {
    await gate.playlistAdd({ type: 'cm', id: manifest(tokens[0]) });
    await expect(gate.playlistAdd({ type: 'cm', id: manifest(tokens[0]) })).rejects.toThrow(
      new CytubeQueueFailError('This item is already on the playlist'),
    );
    await ctl.deleteMedia(tokens[1]);
    const err: unknown = await gate
      .playlistAdd({ type: 'cm', id: manifest(tokens[1]) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CytubeQueueFailError);
    expect(err).toMatchObject({
      status: 422,
      code: 'queue_fail',
      detail: 'Expected HTTP 200 OK, not 500 Internal Server Error',
    });
  });

  it('maps a 504 (bad position) to UpstreamUnavailableError', async () => {
    const err: unknown = await gate
      .playlistAdd({ type: 'cm', id: manifest(tokens[0]), position: 'top' as unknown as 'end' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({ status: 503, code: 'upstream_unavailable', upstreamStatus: 504 });
  });

  it('moves, deletes, jumps and clears as fire-and-forget commands applied later', async () => {
    for (const t of tokens.slice(0, 4)) await gate.playlistAdd({ type: 'cm', id: manifest(t) });
    const uids = async (): Promise<number[]> => (await gate.getPlaylist()).map((i) => i.uid);

    expect(await gate.playlistMove(103, 100)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await uids()).toEqual([100, 101, 102, 103]);
    await ctl.advance(0);
    expect(await uids()).toEqual([100, 103, 101, 102]);

    await gate.playlistMove(100, 'append');
    await gate.playlistDelete(101);
    await gate.playlistDelete(4242); // ignored silently
    await ctl.advance(0);
    expect(await uids()).toEqual([103, 102, 100]);

    await gate.playlistJump(102);
    await ctl.advance(0);
    expect((await gate.getNowPlaying())?.uid).toBe(102);
    expect(await uids()).toEqual([103, 102]); // the temp item that was playing is gone

    await gate.playlistClear();
    await ctl.advance(0);
    expect(await gate.getPlaylist()).toEqual([]);
    expect(await gate.getNowPlaying()).toBeNull();
  });

  it('rejects a non-integer uid with the FastAPI 422 list (UpstreamRejectedError)', async () => {
    const err: unknown = await gate.playlistMove(Number.NaN, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect(err).toMatchObject({ status: 502, upstreamStatus: 422 });
    expect((err as Error).message).toContain('path.uid');
  });

  it('reads online, AFK and offline users', async () => {
    await ctl.addUser({ name: 'TacoBelmont', rank: 3 });
    expect(await gate.getUser('TacoBelmont')).toMatchObject({
      online: true,
      name: 'TacoBelmont',
      rank: 3,
      afk: false,
    });
    await ctl.updateUser('TacoBelmont', { afk: true });
    expect(await gate.getUser('TacoBelmont')).toMatchObject({ online: true, afk: true });
    expect(await gate.getUser('tacobelmont')).toEqual({ online: false, username: 'tacobelmont', rank: 0 });
    await ctl.removeUser('TacoBelmont');
    expect(await gate.getUser('TacoBelmont')).toEqual({ online: false, username: 'TacoBelmont', rank: 0 });
  });

  it('sends chat and PMs (recorded once applied)', async () => {
    await ctl.addUser({ name: 'Alice' });
    await gate.sendChat('Alice queued Some Movie');
    await gate.sendPm('alice', 'Your login code: 004242 (expires in 5 minutes)');
    expect(await ctl.pms()).toEqual([]);
    await ctl.advance(0);
    expect(await ctl.chat()).toEqual([expect.objectContaining({ message: 'Alice queued Some Movie' })]);
    expect(await ctl.pms('alice')).toEqual([
      expect.objectContaining({
        to: 'alice',
        message: 'Your login code: 004242 (expires in 5 minutes)',
        delivered: true,
      }),
    ]);
  });
});

describe('ApiGateClient — economy', () => {
  const spendReq = (request_id: string, duration_sec = 600) => ({
    username: 'Alice',
    duration_sec,
    tier: 'queue',
    request_id,
  });

  it('previews, spends, replays, refunds and lists transactions', async () => {
    await ctl.addUser({ name: 'Alice', balance: 1000 });
    expect(await gate.getBalance('Alice')).toMatchObject({ found: true, balance: 1000, rank_name: 'Extra' });
    expect(await gate.getBalance('Nobody')).toEqual({ found: false });
    expect(await gate.queuePreview({ username: 'Alice', duration_sec: 600, tier: 'queue' })).toMatchObject({
      available: true,
      cost_z: 250,
      error_code: null,
      daily_remaining: 3,
    });
    expect(await gate.queueSpend(spendReq('r1'))).toMatchObject({
      success: true,
      cost_z: 250,
      new_balance: 750,
      replay: false,
    });
    expect(await gate.queueSpend(spendReq('r1'))).toMatchObject({ success: true, cost_z: 250, replay: true });
    expect(await gate.queueRefund({ username: 'Alice', request_id: 'r1', reason: 'add_failed' })).toEqual({
      success: true,
      refunded_z: 250,
      new_balance: 1000,
      request_id: 'r1',
      replay: false,
    });
    const page = await gate.getTransactions('Alice', 2, 0);
    expect(page.transactions.map((t) => [t.type, t.amount])).toEqual([
      ['refund', 250],
      ['spend', -250],
    ]);
    expect(page.transactions[0].created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('returns business failures (HTTP 200, success:false) instead of throwing', async () => {
    await ctl.addUser({ name: 'Alice', balance: 100 });
    expect(await gate.queueSpend(spendReq('r2'))).toEqual({
      success: false,
      cost_z: 250,
      error_code: 'insufficient_balance',
      replay: false,
    });
    expect(await gate.queueRefund({ username: 'Alice', request_id: 'never', reason: 'x' })).toEqual({
      success: false,
      error: 'unknown_request_id',
      replay: false,
    });
  });

  it('throws UpstreamRejectedError for envelope failures (502) and bad limits (422)', async () => {
    const err: unknown = await gate.queueSpend(spendReq('r3', 0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect(err).toMatchObject({
      status: 502,
      code: 'upstream_rejected',
      upstreamDetail: 'duration_sec must be positive',
    });
    await expect(gate.getTransactions('Alice', 0)).rejects.toBeInstanceOf(UpstreamRejectedError);
  });
});

describe('ApiGateClient — faults', () => {
  it('maps a plain-text 500 and a 503 to UpstreamUnavailableError', async () => {
    await ctl.setFaults([
      { method: 'GET', path: '/api/v1/state/playlist', status: 500, times: 1 },
      { method: 'GET', path: '/api/v1/state/now-playing', status: 503, times: 1 },
    ]);
    await expect(gate.getPlaylist()).rejects.toThrow(
      'kryten-api-gate is unavailable: HTTP 500: Internal Server Error',
    );
    await expect(gate.getNowPlaying()).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(await gate.getPlaylist()).toEqual([]); // `times: 1` used up
  });

  it('maps a 502 on /playlist/add to UpstreamUnavailableError and a 404 to UpstreamNotFoundError', async () => {
    await ctl.setFaults([
      { path: '/api/v1/playlist/add', status: 502, times: 1 },
      { path: '/api/v1/economy/balance', status: 404, times: 1 },
    ]);
    await expect(gate.playlistAdd({ type: 'cm', id: manifest(tokens[0]) })).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
    await expect(gate.getBalance('x')).rejects.toBeInstanceOf(UpstreamNotFoundError);
  });

  it('times out (total deadline) with UpstreamUnavailableError', async () => {
    const fast = new ApiGateClient({ baseUrl: sim.url, token: sim.apiToken, timeoutMs: 300 });
    await ctl.setFaults([{ path: '/api/v1/state/playlist', timeout: true, times: 1 }]);
    const t0 = Date.now();
    await expect(fast.getPlaylist()).rejects.toThrow('kryten-api-gate is unavailable: timeout after 300 ms');
    expect(Date.now() - t0).toBeLessThan(2000);
    await fast.close();
  });

  it('treats latency below the deadline as success', async () => {
    const fast = new ApiGateClient({ baseUrl: sim.url, token: sim.apiToken, timeoutMs: 1000 });
    await ctl.setFaults([{ path: '/api/v1/state/playlist', latency_ms: 50, times: 1 }]);
    expect(await fast.getPlaylist()).toEqual([]);
    await fast.close();
  });

  it('maps a dropped connection and a refused connection to UpstreamUnavailableError', async () => {
    await ctl.setFaults([{ path: '/api/v1/state/user', drop: true, times: 1 }]);
    await expect(gate.getUser('x')).rejects.toBeInstanceOf(UpstreamUnavailableError);

    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const dead = new ApiGateClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't' });
    await expect(dead.getPlaylist()).rejects.toThrow('kryten-api-gate is unavailable: connection refused');
    await dead.close();
  });

  it('maps 401 (wrong token) to UpstreamAuthError', async () => {
    const wrong = new ApiGateClient({ baseUrl: sim.url, token: 'nope' });
    const err: unknown = await wrong.getPlaylist().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamAuthError);
    expect((err as Error).message).toBe('api-gate rejected our token (Invalid API key)');
    await wrong.close();
  });
});
