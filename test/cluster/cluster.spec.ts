import { io, type Socket } from 'socket.io-client';
import type { SimItem } from '../../sim/world/channel';
import { type Cluster, type Instance, startCluster, waitFor } from './cluster-harness';

/**
 * Two instances, one PostgreSQL, one Redis, the simulator on a real clock. Each test starts its
 * own cluster (fresh database) and ends it.
 */
jest.setTimeout(240_000);

const NEVER = 100_000; // minutes: promos by item count only

interface QueueStateMessage {
  items: { uid: number }[];
  version: number;
}

// The browsers' half of the live queue, the same file the pages load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { applyQueueDiff } = require('../../public/js/queue-diff.js') as {
  applyQueueDiff(state: unknown, diff: unknown): QueueStateMessage | null;
};

async function call(
  c: Cluster,
  instance: Instance,
  method: string,
  path: string,
  cookie: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${instance.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie, origin: instance.url },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

async function playlist(c: Cluster): Promise<SimItem[]> {
  return (await c.ctl.state()).playlist;
}

async function catalogTokens(
  c: Cluster,
): Promise<{ token: string; manifest: string; duration: number; title: string }[]> {
  const { rows } = await c.db.query<{
    friendly_token: string;
    manifest_url: string;
    duration_sec: number;
    title: string;
  }>(
    `SELECT friendly_token, manifest_url, duration_sec, title FROM catalog WHERE duration_sec > 0 AND hidden = false AND gone_at IS NULL ORDER BY friendly_token`,
  );
  return rows.map((r) => ({
    token: r.friendly_token,
    manifest: r.manifest_url,
    duration: r.duration_sec,
    title: r.title,
  }));
}

async function startBoth(c: Cluster): Promise<void> {
  await c.start(c.instances[0]);
  await c.start(c.instances[1]);
  await waitFor('the catalog sync', async () => (await catalogTokens(c)).length >= 100, 60_000);
}

interface Viewer {
  socket: Socket;
  /** Every state the page held, in order (whole states and diffs applied). */
  states: QueueStateMessage[];
  counts: { whole: number; diffs: number; resyncs: number };
}

/** A page's socket on `instance`, keeping its queue as app.js does (diffs, resync on a gap). */
function listen(instance: Instance, cookie: string): Viewer {
  const viewer: Viewer = {
    socket: io(instance.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie },
    }),
    states: [],
    counts: { whole: 0, diffs: 0, resyncs: 0 },
  };
  viewer.socket.on('queue_state', (state: QueueStateMessage) => {
    viewer.counts.whole++;
    viewer.states.push(state);
  });
  viewer.socket.on('queue_diff', (diff: unknown) => {
    viewer.counts.diffs++;
    const next = applyQueueDiff(viewer.states.at(-1), diff);
    if (!next) {
      viewer.counts.resyncs++;
      viewer.socket.emit('queue_resync');
    } else viewer.states.push(next);
  });
  return viewer;
}

/** The uids in the order an instance serves them (GET /queue/state). */
async function servedOrder(instance: Instance, cookie: string): Promise<number[]> {
  const res = await fetch(`${instance.url}/queue/state`, { headers: { cookie } });
  return ((await res.json()) as QueueStateMessage).items.map((i) => i.uid);
}

/** Waits until the page's queue is the one the instance serves, in the same order. */
async function showsServedQueue(viewer: Viewer, instance: Instance, cookie: string): Promise<void> {
  await waitFor('the page to show the queue as served', async () => {
    const held = viewer.states.at(-1)?.items.map((i) => i.uid) ?? [];
    return JSON.stringify(held) === JSON.stringify(await servedOrder(instance, cookie));
  });
}

describe('two instances behind one nginx', () => {
  let c: Cluster | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('one leads; viewers on both see every change; 100 purchases over both never overspend or lose a Z', async () => {
    c = await startCluster();
    await startBoth(c);
    const [a, b] = c.instances;
    expect((await c.leader()).name).toBe('a');
    const viewers = [listen(a, c.cookie('watcher_a')), listen(b, c.cookie('watcher_b'))];
    await waitFor('both sockets', () => Promise.resolve(viewers.every((v) => v.socket.connected)));

    const buyers = Array.from({ length: 100 }, (_, i) => `buyer${i}`);
    for (const [i, name] of buyers.entries()) {
      await c.ctl.addUser({ name, balance: i % 5 === 0 ? 100 : 1000 });
    }
    const items = await catalogTokens(c);
    // Something plays already (a purchase is placed relative to now-playing).
    for (const item of items.slice(-2)) {
      await c.ctl.queueAsOther({ token: item.token, queueby: 'SomeoneElse' });
    }
    await waitFor('both instances to see it', () =>
      Promise.resolve(viewers.every((v) => (v.states.at(-1)?.items.length ?? 0) >= 2)),
    );
    const results = await Promise.all(
      buyers.map((name, i) =>
        call(c as Cluster, i % 2 === 0 ? a : b, 'POST', '/queue/add', (c as Cluster).cookie(name), {
          friendly_token: items[i % items.length].token,
          client_key: `cluster-${i}`,
        }),
      ),
    );
    expect(results.every((r) => [200, 202, 400, 402, 409].includes(r.status))).toBe(true);
    const accepted = results.filter((r) => r.status === 200 || r.status === 202).length;
    expect(accepted).toBeGreaterThan(40);

    // Every spend ends in an item or a refund (the 202s finish in the background).
    const journal = await waitFor(
      'every purchase to settle',
      async () => {
        const { rows } = await (c as Cluster).db.query<{
          request_id: string;
          username: string;
          uid: number | null;
          z_cost: number | null;
          state: string;
        }>(`SELECT request_id, username, uid, z_cost, state FROM spend_requests`);
        return rows.every((r) => ['recorded', 'refunded', 'failed'].includes(r.state)) ? rows : null;
      },
      60_000,
    );
    const live = await playlist(c);
    const uids = live.map((p) => p.uid);
    expect(new Set(uids).size).toBe(uids.length); // nothing added twice
    const state = await c.ctl.state();
    for (const name of buyers) {
      expect(state.balances[name]).toBeGreaterThanOrEqual(0);
      const res = await fetch(`${c.sim.url}/api/v1/economy/transactions/${name}?limit=100`, {
        headers: { authorization: `Bearer ${c.sim.apiToken}` },
      });
      const tx = (
        (await res.json()) as { transactions: { amount: number; type: string; reference?: string }[] }
      ).transactions;
      const spent = 0 - tx.filter((t) => t.type === 'spend').reduce((s, t) => s + t.amount, 0);
      const refunded = tx.filter((t) => t.type === 'refund').reduce((s, t) => s + t.amount, 0);
      const kept = journal
        .filter((r) => r.username === name && r.state === 'recorded')
        .reduce((s, r) => s + (r.z_cost ?? 0), 0);
      expect({ name, lost: spent - refunded - kept + 0 }).toEqual({ name, lost: 0 });
    }
    const recorded = journal.filter((r) => r.state === 'recorded');
    expect(recorded.length).toBeGreaterThan(40);
    for (const row of recorded) expect(uids).toContain(row.uid);

    // Both instances' viewers end up seeing every paid item, in the served order, from diffs
    // of one version sequence (the leader's): a page on the follower applies them too.
    for (const viewer of viewers) {
      await waitFor('the last queue state on a viewer', () => {
        const last = viewer.states.at(-1);
        return Promise.resolve(last && recorded.every((r) => last.items.some((i) => i.uid === r.uid)));
      });
      await showsServedQueue(viewer, a, c.cookie('checker'));
      expect(viewer.counts.diffs).toBeGreaterThan(10);
      expect(viewer.counts.resyncs).toBeLessThanOrEqual(2);
    }
    for (const viewer of viewers) viewer.socket.close();
  });

  it('kill -9 of the leader in the middle of a fire: the other takes over and finishes it, no item twice', async () => {
    c = await startCluster();
    await startBoth(c);
    const [a, b] = c.instances;
    const watcher = listen(b, c.cookie('watcher_b'));
    await c.ctl.addUser({ name: 'boss', rank: 3 });
    const items = (await catalogTokens(c)).slice(0, 12);
    const { rows } = await c.db.query<{ id: number }>(
      `INSERT INTO saved_playlists (name, description, is_immutable, created_by, created_at) VALUES ('Movie night', NULL, true, 'boss', now()) RETURNING id`,
    );
    const playlistId = rows[0].id;
    for (const [position, item] of items.entries()) {
      await c.db.query(
        `INSERT INTO saved_playlist_items (playlist_id, position, media_type, media_id, title, duration_sec) VALUES ($1, $2, 'cm', $3, $4, $5)`,
        [playlistId, position, item.manifest, item.title, item.duration],
      );
    }
    // Slow adds, so the fire is long enough to be cut in the middle.
    await c.ctl.setFaults([{ method: 'POST', path: '/api/v1/playlist/add', latency_ms: 600 }]);
    const fireAt = new Date(Date.now() + 7_000).toISOString();
    // Created on the follower: the leader arms it too.
    const created = await call(c, b, 'POST', '/admin/schedules', c.cookie('boss', 3), {
      playlist_id: playlistId,
      label: 'Movie night',
      fire_at: fireAt,
    });
    expect(created.status).toBeLessThan(300);
    const eventIds = new Set(items.map((i) => i.manifest));
    const eventCount = async (): Promise<number> =>
      (await playlist(c as Cluster)).filter((p) => eventIds.has(p.media.id)).length;
    await waitFor('the fire to be half done', async () => (await eventCount()) >= 4, 30_000);
    await c.kill9(a);
    expect((await c.leader(15_000)).name).toBe('b');
    await waitFor('the resumed fire to finish', async () => (await eventCount()) === items.length, 60_000);
    await new Promise((r) => setTimeout(r, 3_000)); // anything late would land by now
    const live = await playlist(c);
    for (const item of items) {
      expect({ item: item.title, copies: live.filter((p) => p.media.id === item.manifest).length }).toEqual({
        item: item.title,
        copies: 1,
      });
    }
    expect(b.output.join('')).toMatch(/resumed the interrupted fire/);
    // The page on the survivor heard the dead leader's versions, then the new leader's whole
    // state and its diffs: it shows the playlist as it is.
    const diffsBefore = watcher.counts.diffs;
    await c.ctl.queueAsOther({ token: (await catalogTokens(c))[20].token, queueby: 'SomeoneElse' });
    await waitFor('a diff from the new leader', () => Promise.resolve(watcher.counts.diffs > diffsBefore));
    await showsServedQueue(watcher, b, c.cookie('checker'));
    expect(watcher.counts.whole).toBeGreaterThanOrEqual(2);
    watcher.socket.close();
  });

  it('kill -9 of the leader while it inserts a promo: no promo is inserted twice', async () => {
    c = await startCluster({
      promos: {
        enabled: true,
        general: { every_n_items: 1, every_m_minutes: NEVER, no_repeat: false, clip_cooldown_minutes: 0 },
      },
    });
    await startBoth(c);
    const [a] = c.instances;
    const catalog = await catalogTokens(c);
    const clips = catalog.slice(0, 3);
    const { rows } = await c.db.query<{ id: number }>(
      `INSERT INTO saved_playlists (name, description, is_immutable, created_by, created_at, promo_type) VALUES ('Idents', NULL, false, 'boss', now(), 'channel_identity') RETURNING id`,
    );
    for (const [position, clip] of clips.entries()) {
      await c.db.query(
        `INSERT INTO saved_playlist_items (playlist_id, position, media_type, media_id, title, duration_sec) VALUES ($1, $2, 'cm', $3, $4, $5)`,
        [rows[0].id, position, clip.manifest, clip.title, clip.duration],
      );
    }
    const clipIds = new Set(clips.map((p) => p.manifest));
    // Content queued by someone else; the leader's director puts a promo after each item.
    await c.ctl.setFaults([{ method: 'POST', path: '/api/v1/playlist/add', latency_ms: 1_500 }]);
    for (const item of catalog.slice(10, 16)) {
      await c.ctl.queueAsOther({ token: item.token, queueby: 'SomeoneElse' });
    }
    // Once the first promo is in, the director works on the next slot (its add takes 1.5 s): kill then.
    await waitFor(
      'the first promo',
      async () => (await playlist(c as Cluster)).some((p) => clipIds.has(p.media.id)),
      60_000,
    );
    await c.kill9(a);
    expect((await c.leader(15_000)).name).toBe('b');
    await new Promise((r) => setTimeout(r, 12_000)); // the new leader's director runs several rounds
    const live = await playlist(c);
    // No two promos in a row: a slot that got its clip from the dead leader was adopted, not filled again.
    for (let i = 1; i < live.length; i++) {
      const twice = clipIds.has(live[i].media.id) && clipIds.has(live[i - 1].media.id);
      expect({ at: i, twice }).toEqual({ at: i, twice: false });
    }
    const promos = live.filter((p) => clipIds.has(p.media.id)).length;
    const content = live.filter((p) => !clipIds.has(p.media.id)).length;
    expect(promos).toBeGreaterThan(0);
    expect(promos).toBeLessThanOrEqual(content);
  });
});
