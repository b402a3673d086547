import { EventEmitter2 } from '@nestjs/event-emitter';
import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import { io, type Socket } from 'socket.io-client';
import { LiveEvent } from '../../src/live/live.events';
import { LiveService } from '../../src/live/live.service';
import type { QueueState } from '../../src/queue/queue-state.enrich';
import { StatePoller } from '../../src/queue/queue.poller';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import type { QueueDiff } from '../../src/live/queue-diff.rules';

// The page's own diff code (public/js/queue-diff.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { applyQueueDiff } = require('../../public/js/queue-diff.js') as {
  applyQueueDiff(state: unknown, diff: unknown): (QueueState & { version: number }) | null;
};

/** A connected socket and everything it received, by event name. */
interface Client {
  socket: Socket;
  got: Map<string, unknown[]>;
}

let sim: RunningSimulator;
let ctl: SimControl;
let t: TestApp;
let clients: Client[] = [];
let tokens: string[];

function connect(cookie?: string): Socket {
  return io(t.url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: cookie ? { cookie } : {},
  });
}

/** Connect and wait for the first queue_state (sent on connect). */
async function client(cookie: string): Promise<Client> {
  const socket = connect(cookie);
  const got = new Map<string, unknown[]>();
  socket.onAny((event: string, payload: unknown) => got.set(event, [...(got.get(event) ?? []), payload]));
  const c = { socket, got };
  clients.push(c);
  await new Promise<void>((resolve, reject) => {
    socket.once('queue_state', () => resolve());
    socket.once('connect_error', reject);
  });
  return c;
}

/** A ping/pong round trip: whatever the server sent before it has arrived. */
async function settle(...cs: Client[]): Promise<void> {
  await t.get(LiveService).flush();
  await Promise.all(
    cs.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.socket.once('pong', () => resolve());
          c.socket.emit('ping');
        }),
    ),
  );
}

const count = (c: Client, event: string): number => c.got.get(event)?.length ?? 0;
const last = <T>(c: Client, event: string): T => c.got.get(event)?.at(-1) as T;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, clock: 'manual', catalogSize: 30 });
  ctl = new SimControl(sim.url);
  tokens = (await ctl.catalog(0, 30)).items.filter((i) => i.duration > 30).map((i) => i.friendly_token);
  await ctl.addUser({ name: 'Boss', rank: 3 });
  await ctl.addUser({ name: 'Viewer', rank: 1 });
  t = await createTestApp({ configOverrides: { api_gate_url: sim.url, api_gate_token: sim.apiToken } });
});

afterEach(() => {
  for (const c of clients) c.socket.disconnect();
  clients = [];
});

afterAll(async () => {
  await t.close();
  await sim.close();
});

describe('live updates over Socket.IO', () => {
  it('sends the whole state on connect, then one diff per change, to every tab', async () => {
    await ctl.queueAsOther({ token: tokens[0], queueby: 'Bob' });
    await t.get(StatePoller).tick();
    const tab1 = await client(sessionCookieFor(t, 'Viewer', 1));
    const tab2 = await client(sessionCookieFor(t, 'Viewer', 1));
    const admin = await client(sessionCookieFor(t, 'Boss', 3));
    for (const c of [tab1, tab2, admin]) {
      expect(count(c, 'queue_state')).toBe(1);
      expect(last<QueueState>(c, 'queue_state').items.map((i) => i.paid_by)).toEqual(['Bob']);
    }

    // Two polls with no change: nothing is pushed.
    expect(await t.get(StatePoller).tick()).toMatchObject({ ok: true, changed: false });
    expect(await t.get(StatePoller).tick()).toMatchObject({ ok: true, changed: false });
    await settle(tab1, tab2, admin);
    for (const c of [tab1, tab2, admin]) expect(count(c, 'queue_state')).toBe(1);

    // A change: exactly one diff to each socket, carrying only the new item; applied to the
    // state the page holds it gives the whole new state (what the page's script does).
    await ctl.queueAsOther({ token: tokens[1], queueby: 'Eve' });
    expect(await t.get(StatePoller).tick()).toMatchObject({ ok: true, changed: true });
    await settle(tab1, tab2, admin);
    for (const c of [tab1, tab2, admin]) {
      expect(count(c, 'queue_state')).toBe(1);
      expect(count(c, 'queue_diff')).toBe(1);
      const diff = last<QueueDiff>(c, 'queue_diff');
      expect(diff.items.map((i) => i.paid_by)).toEqual(['Eve']);
      const state = applyQueueDiff(last(c, 'queue_state'), diff);
      expect(state?.items.map((i) => i.paid_by)).toEqual(['Bob', 'Eve']);
      expect(state?.items[1].cover_art_path).toBe(diff.items[0].cover_art_path);
      expect(state?.stale).toBe(false);
    }

    // A second change follows the first; a page that missed one asks again and gets it all.
    await ctl.queueAsOther({ token: tokens[2], queueby: 'Max' });
    await t.get(StatePoller).tick();
    await settle(tab1, tab2, admin);
    const [first, second] = tab1.got.get('queue_diff') as QueueDiff[];
    expect(second.base).toBe(first.version);
    expect(applyQueueDiff(last(tab1, 'queue_state'), second)).toBeNull();
    tab1.socket.emit('queue_resync');
    await settle(tab1);
    expect(count(tab1, 'queue_state')).toBe(2);
    const whole = last<QueueState & { version: number }>(tab1, 'queue_state');
    expect(whole.version).toBe(second.version);
    expect(whole.items.map((i) => i.paid_by)).toEqual(['Bob', 'Eve', 'Max']);
  });

  it('sends admin-only events to the admin room only, and the rest to everyone', async () => {
    const viewer = await client(sessionCookieFor(t, 'Viewer', 1));
    // Rank 3 in the token but rank 1 live: no admin room (the live re-check of AdminOnly).
    const demoted = await client(sessionCookieFor(t, 'Viewer', 3));
    const admin = await client(sessionCookieFor(t, 'Boss', 3));
    const events = t.get(EventEmitter2);
    events.emit(LiveEvent.SagaStep, {
      request_id: 'r1',
      username: 'Viewer',
      state: 'spent',
      uid: null,
      title: 'T',
    });
    events.emit(LiveEvent.Refund, {
      request_id: 'r1',
      username: 'Viewer',
      uid: 5,
      reason: 'admin_remove',
      success: true,
      refunded_z: 10,
    });
    events.emit(LiveEvent.Presence, { tracked: [] });
    events.emit(LiveEvent.ScheduleFired, { schedule_id: 1, playlist_name: 'Friday', is_immutable: true });
    events.emit(LiveEvent.FeedStatus, { stale: true, error: 'HTTP 503' });
    await settle(viewer, demoted, admin);

    expect(last(admin, 'saga_step')).toMatchObject({ request_id: 'r1', state: 'spent' });
    expect(last(admin, 'refund')).toMatchObject({ reason: 'admin_remove', refunded_z: 10 });
    expect(last(admin, 'presence')).toEqual({ tracked: [] });
    for (const c of [viewer, demoted]) {
      expect(count(c, 'saga_step') + count(c, 'refund') + count(c, 'presence')).toBe(0);
    }
    for (const c of [viewer, demoted, admin]) {
      expect(last(c, 'schedule_fired')).toEqual({
        schedule_id: 1,
        playlist_name: 'Friday',
        is_immutable: true,
      });
      expect(last(c, 'feed_status')).toEqual({ stale: true, error: 'HTTP 503' });
    }
  });

  it('answers ping with pong', async () => {
    const c = await client(sessionCookieFor(t, 'Viewer', 1));
    const pong = await new Promise<{ at: string }>((resolve) => {
      c.socket.once('pong', resolve);
      c.socket.emit('ping');
    });
    expect(Number.isNaN(Date.parse(pong.at))).toBe(false);
  });

  it("gives each socket its own heartbeat interval, within the last fifth of Socket.IO's 25 s", async () => {
    const intervals = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const socket = connect(sessionCookieFor(t, 'Viewer', 1));
        clients.push({ socket, got: new Map() });
        return new Promise<number>((resolve) =>
          socket.io.engine.once('handshake', (data: { pingInterval: number }) => resolve(data.pingInterval)),
        );
      }),
    );
    for (const ms of intervals) {
      expect(ms).toBeGreaterThanOrEqual(20_000);
      expect(ms).toBeLessThanOrEqual(25_000);
    }
    expect(new Set(intervals).size).toBeGreaterThan(1);
  });

  it.each([
    ['no cookie', undefined, 'Not authenticated'],
    ['a forged cookie', 'session=abc.def.ghi', 'Invalid session'],
  ])('refuses a socket with %s (auth_error)', async (_label, cookie, detail) => {
    const socket = connect(cookie);
    const err = await new Promise<Error & { data?: { detail: string } }>((resolve) =>
      socket.once('connect_error', resolve),
    );
    socket.disconnect();
    expect(err.message).toBe('auth_error');
    expect(err.data).toEqual({ detail });
  });
});
