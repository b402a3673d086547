import { createServer } from 'node:net';
import { StatePoller } from '../../src/queue/queue.poller';
import { MetricsServer } from '../../src/metrics/metrics.server';
import { seedFreeItems, startPayWorld, type PayWorld } from '../medium/economy/pay-harness';

/** Prometheus metrics, scraped as Prometheus would, before and after real work. */
let w: PayWorld;

beforeEach(async () => {
  w = await startPayWorld();
  await w.ctl.addUser({ name: 'alice', balance: 5000 });
});
afterEach(() => w.close());

/** One sample's value from the exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue;
    if (wanted.every((l) => rest.includes(l))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('metrics', () => {
  it('move with a purchase: polls, purchases by outcome, Z spent, saga steps, refunds, HTTP latency', async () => {
    const scrape = async (): Promise<string> => {
      const res = await w.http().get('/metrics').expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
      return res.text;
    };
    await seedFreeItems(w, w.items.slice(0, 2));
    await w.t.get(StatePoller).tick();
    const before = await scrape();
    expect(sample(before, 'webqueue_polls_total', { outcome: 'ok' })).toBe(1);
    expect(sample(before, 'webqueue_unfinished_sagas')).toBe(0);

    const ok = await w
      .http()
      .post('/queue/add')
      .set('Cookie', w.cookie('alice'))
      .send({ friendly_token: w.items[10].token });
    expect(ok.status).toBe(200);
    await w.ctl.setFaults([{ method: 'PUT', path: '/api/v1/playlist/*/move', status: 500, times: 1 }]);
    const refused = await w
      .http()
      .post('/queue/add')
      .set('Cookie', w.cookie('alice'))
      .send({ friendly_token: w.items[11].token });
    expect(refused.body.code).toBe('move_failed');
    await w.ctl.setFaults([{ method: 'GET', path: '/api/v1/state/', status: 500, times: 2 }]);
    await w.t.get(StatePoller).tick();

    const after = await scrape();
    const journal = await w.journal();
    expect(sample(after, 'webqueue_purchases_total', { outcome: 'recorded' })).toBe(1);
    expect(sample(after, 'webqueue_purchases_total', { outcome: 'refunded' })).toBe(1);
    expect(sample(after, 'webqueue_z_spent_total')).toBe(journal.reduce((a, r) => a + (r.z_cost ?? 0), 0));
    expect(sample(after, 'webqueue_z_refunded_total')).toBe(journal[1].refunded_z);
    expect(sample(after, 'webqueue_refunds_total', { reason: 'move_failed' })).toBe(1);
    expect(sample(after, 'webqueue_saga_steps_total', { state: 'positioned' })).toBe(1);
    expect(sample(after, 'webqueue_polls_total', { outcome: 'failed' })).toBe(1);
    expect(sample(after, 'webqueue_feed_stale')).toBe(1);
    expect(
      sample(after, 'webqueue_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/queue/add',
        status: '200',
      }),
    ).toBe(1);
    expect(sample(after, 'webqueue_sockets_connected', { protocol: 'socket.io' })).toBe(0);
    expect(after).toContain('webqueue_process_resident_memory_bytes');
  });

  it('count open descriptors off the event loop, and leave out the per-handle listings', async () => {
    const text = (await w.http().get('/metrics').expect(200)).text;
    // This process has at least its stdio, the database and the listening socket open.
    expect(sample(text, 'webqueue_process_open_fds')).toBeGreaterThan(3);
    expect(text.match(/^# TYPE webqueue_process_open_fds /gm)).toHaveLength(1);
    for (const name of ['nodejs_active_handles', 'nodejs_active_resources']) {
      expect(text).not.toContain(`webqueue_${name}`);
    }
    expect(text).toContain('webqueue_nodejs_eventloop_lag_max_seconds');
  });

  it('give the longest garbage-collection pause since the last scrape', async () => {
    await w.http().get('/metrics').expect(200);
    // Enough short-lived garbage that the young generation is collected at least once.
    let garbage: { i: number; text: string }[] = [];
    for (let i = 0; i < 500_000; i++) {
      garbage.push({ i, text: `item ${i}` });
      if (garbage.length === 1_000) garbage = [];
    }
    expect(garbage).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve)); // the observer is told after a turn
    const text = (await w.http().get('/metrics').expect(200)).text;
    expect(sample(text, 'webqueue_gc_pause_longest_seconds')).toBeGreaterThan(0);
  });

  it('serve on prometheus_port when it is set, and not on the app then', async () => {
    const port = await freePort();
    await w.restartWith({ prometheus_port: port });
    expect(w.t.get(MetricsServer).address()).toEqual({ port });
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('webqueue_purchases_total');
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    await w.http().get('/metrics').expect(404);
  });
});
