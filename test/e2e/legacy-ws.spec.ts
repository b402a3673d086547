import { EventEmitter2 } from '@nestjs/event-emitter';
import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import WebSocket from 'ws';
import { LiveEvent } from '../../src/live/live.events';
import { LiveService } from '../../src/live/live.service';
import { StatePoller } from '../../src/queue/queue.poller';
import { createTestApp, type TestApp } from '../support/app';
import { loginThroughSim, sessionCookieFor } from '../support/auth';
import request from '../support/http';

/** The old raw WebSocket `/ws`, spoken by a plain `ws` client as an old overlay would. */
interface Peer {
  ws: WebSocket;
  frames: { type: string; data?: unknown }[];
  closed: Promise<{ code: number; reason: string }>;
}

let sim: RunningSimulator;
let ctl: SimControl;
let t: TestApp;
let tokens: string[];
const peers: Peer[] = [];

function open(cookie?: string): Peer {
  const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ws`, { headers: cookie ? { cookie } : {} });
  const frames: Peer['frames'] = [];
  ws.on('message', (data: Buffer) =>
    frames.push(JSON.parse(data.toString('utf8')) as Peer['frames'][number]),
  );
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const peer = { ws, frames, closed };
  peers.push(peer);
  return peer;
}

/** Connected and holding its first queue_state. */
async function connected(cookie: string): Promise<Peer> {
  const peer = open(cookie);
  for (let i = 0; i < 200 && peer.frames.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(peer.frames[0]?.type).toBe('queue_state');
  return peer;
}

/** A ping/pong round trip: every frame sent before it has arrived. */
async function settle(peer: Peer): Promise<void> {
  await t.get(LiveService).flush();
  const before = peer.frames.filter((f) => f.type === 'pong').length;
  peer.ws.send(JSON.stringify({ type: 'ping' }));
  for (let i = 0; i < 200 && peer.frames.filter((f) => f.type === 'pong').length === before; i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

const count = (peer: Peer, type: string): number => peer.frames.filter((f) => f.type === type).length;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 4, clock: 'manual', catalogSize: 20 });
  ctl = new SimControl(sim.url);
  tokens = (await ctl.catalog(0, 20)).items.filter((i) => i.duration > 30).map((i) => i.friendly_token);
  await ctl.addUser({ name: 'Viewer', rank: 1 });
  t = await createTestApp({ configOverrides: { api_gate_url: sim.url, api_gate_token: sim.apiToken } });
});

afterEach(() => {
  for (const p of peers.splice(0)) p.ws.terminate();
});

afterAll(async () => {
  await t.close();
  await sim.close();
});

describe('the old /ws endpoint', () => {
  it('accepts, then closes with 4001 when the session is missing, bad or logged out', async () => {
    expect(await open().closed).toEqual({ code: 4001, reason: 'Not authenticated' });
    expect(await open('session=not.a.token').closed).toEqual({ code: 4001, reason: 'Invalid session' });
    const cookie = await loginThroughSim(t, ctl, 'Viewer');
    await request(t.url).post('/auth/logout').set('Cookie', cookie).expect(200);
    expect(await open(cookie).closed).toEqual({ code: 4001, reason: 'Invalid session' });
  });

  it('sends queue_state on connect, answers ping with pong, ignores other messages and bad JSON', async () => {
    const peer = await connected(sessionCookieFor(t, 'Viewer'));
    expect(peer.frames[0]).toMatchObject({ type: 'queue_state', data: { items: expect.any(Array) } });
    peer.ws.send('{not json');
    peer.ws.send(JSON.stringify({ type: 'hello' }));
    await settle(peer);
    expect(peer.frames.map((f) => f.type)).toEqual(['queue_state', 'pong']);
    expect(peer.frames[1]).toEqual({ type: 'pong' });
  });

  it('sends queue_state to every tab when the queue changes, and only then; schedule_fired too', async () => {
    const cookie = sessionCookieFor(t, 'Viewer');
    const [tab1, tab2] = [await connected(cookie), await connected(cookie)];
    const poller = t.get(StatePoller);
    await ctl.queueAsOther({ token: tokens[0], queueby: 'Eve' });
    await poller.tick();
    await settle(tab1);
    await settle(tab2);
    for (const tab of [tab1, tab2]) expect(count(tab, 'queue_state')).toBe(2);
    const last = tab1.frames.filter((f) => f.type === 'queue_state').at(-1) as { data: { items: unknown[] } };
    expect(last.data.items.length).toBeGreaterThan(0);

    await poller.tick(); // nothing changed: no frame
    await settle(tab1);
    expect(count(tab1, 'queue_state')).toBe(2);

    t.get(EventEmitter2).emit(LiveEvent.ScheduleFired, {
      schedule_id: 9,
      playlist_name: 'Friday',
      is_immutable: true,
    });
    await settle(tab2);
    expect(tab2.frames.find((f) => f.type === 'schedule_fired')).toEqual({
      type: 'schedule_fired',
      data: { schedule_id: 9, playlist_name: 'Friday', is_immutable: true },
    });
  });

  it('logout closes that session’s /ws sockets with 4001', async () => {
    const cookie = await loginThroughSim(t, ctl, 'Viewer');
    const peer = await connected(cookie);
    const other = await connected(sessionCookieFor(t, 'Viewer'));
    await request(t.url).post('/auth/logout').set('Cookie', cookie).expect(200);
    expect(await peer.closed).toEqual({ code: 4001, reason: 'Logged out' });
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
  });
});
