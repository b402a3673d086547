/**
 * Queue benchmark (printed, never asserted):
 *  1. reconcile cost per poll at 100 / 1,000 / 2,000 / 5,000 playlist items, on a real SQLite
 *     file: unchanged poll, one item appended, the head item gone (every position shifts);
 *     then a whole poll tick of an unchanged 2,000-item playlist — fetch, parse, reconcile and
 *     the after-poll listeners — against a node:http server answering prepared bodies, as CPU
 *     time per tick (goal < 5 ms; applyPoll alone < 2 ms);
 *  2. time for a queue change to reach 5,000 connected Socket.IO clients (BENCH_FANOUT_SOCKETS)
 *     with a 100-item queue (whole app, loopback; the clients in a worker thread), the median
 *     and the worst of BENCH_FANOUT_CHANGES (default 9) changes one after another;
 *  3. bytes pushed per minute with an unchanged queue (20 polls of simulated time).
 */
import { SoloBus } from '../src/cluster/cluster-bus';
import { SoloLeadership } from '../src/cluster/leadership';
import 'reflect-metadata';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Agent, request } from 'undici';
import type { ViewerKind } from './support/fanout-clients';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { signSession } from '../src/auth/session-token';
import { ManualClock } from '../src/common/clock';
import { parseConfig } from '../src/config/config.loader';
import { openDatabase } from '../src/database/database.module';
import { ApiGateClient } from '../src/kryten/api-gate.client';
import type { PlaylistItem } from '../src/kryten/api-gate.types';
import { LiveService } from '../src/live/live.service';
import { QueueShadowRepository } from '../src/queue/queue-shadow.repository';
import { QueueShadowService } from '../src/queue/queue-shadow.service';
import type { QueueCatalog } from '../src/queue/queue-state.enrich';
import { StatePoller } from '../src/queue/queue.poller';
import { startSimulator } from '../sim/server';
import { SimControl } from '../sim/sim-control';

const SOCKETS = Number(process.env.BENCH_FANOUT_SOCKETS ?? 5000);
/**
 * Changes timed per kind of viewer (BENCH_FANOUT_CHANGES): one change alone swung from 140 to
 * 280 ms between runs on the same machine, so the figures are the median and the worst of these.
 */
const CHANGES = Number(process.env.BENCH_FANOUT_CHANGES ?? 9);

/** What the viewers' worker thread posts (bench/support/fanout-clients.ts). */
interface FanoutMessage {
  type: string;
  times?: number[];
  busyMs?: number;
  error?: string;
}
/** Items on the playlist when the change comes (the 100-item queue). */
const FANOUT_QUEUE = 100;
const FANOUT_CATALOG = 400;

const out = (line: string): boolean => process.stdout.write(`${line}\n`);
const ms = (n: number): string => `${n.toFixed(2)} ms`;

function entry(uid: number): PlaylistItem {
  return {
    uid,
    temp: true,
    queueby: 'Someone',
    media: {
      id: `https://cms/api/v1/media/cytube/t${uid}.json?format=json`,
      title: `Title ${uid}`,
      seconds: 5400,
      duration: '01:30:00',
      type: 'cm',
    },
  };
}

/** One timed change, in ms from the poll that saw it. */
interface ChangeTimes {
  tickMs: number;
  writtenMs: number;
  first: number;
  p50: number;
  last: number;
  busyMs: number;
}

const noCatalog: QueueCatalog = {
  findForQueue: () => Promise.resolve(new Map()),
  getItemDetails: () => Promise.resolve(null),
};

async function time(runs: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < runs; i++) await fn(i);
  return (performance.now() - start) / runs;
}

async function reconcileBench(dir: string): Promise<void> {
  out('reconcile per poll (real SQLite, one transaction per poll):');
  out('  items   first poll   unchanged   +1 appended   head gone (all positions shift)');
  for (const n of [100, 1000, 2000, 5000]) {
    const ds = await openDatabase(join(dir, `reconcile-${n}.db`), () => undefined);
    const clock = new ManualClock();
    const shadow = new QueueShadowService(
      new QueueShadowRepository(ds),
      clock,
      new EventEmitter2(),
      noCatalog,
      new SoloBus(),
      new SoloLeadership(),
    );
    await shadow.onModuleInit();
    const list = Array.from({ length: n }, (_, i) => entry(i + 1));
    const np = {
      uid: 1,
      id: list[0].media.id,
      title: 't',
      seconds: 5400,
      duration: '',
      type: 'cm',
      currentTime: 10,
      paused: false,
    };
    const first = await time(1, () => shadow.applyPoll(list, np));
    const unchanged = await time(20, () => shadow.applyPoll(list, np));
    // Alternate between the list with and without one extra item at the end.
    const plusOne = [...list, entry(n + 1)];
    const appended = await time(20, (i) => shadow.applyPoll(i % 2 === 0 ? plusOne : list, np));
    // The head (a temp item that finished) leaves, then comes back: n row positions change each time.
    const tail = list.slice(1);
    const headGone = await time(10, (i) => shadow.applyPoll(i % 2 === 0 ? tail : list, np));
    out(
      `  ${String(n).padStart(5)}   ${ms(first).padStart(10)}   ${ms(unchanged).padStart(9)}   ${ms(appended).padStart(11)}   ${ms(headGone).padStart(10)}`,
    );
    await ds.destroy();
  }
}

/** The whole poll tick of an unchanged playlist: CPU per tick (fetch + parse + reconcile + listeners). */
async function pollTickBench(dir: string, n: number): Promise<void> {
  const list = Array.from({ length: n }, (_, i) => entry(i + 1));
  const playlistBody = Buffer.from(JSON.stringify({ items: list }));
  const nowPlayingBody = Buffer.from(
    JSON.stringify({ uid: 1, ...list[0].media, currentTime: 10, paused: false }),
  );
  const gate = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(req.url?.endsWith('/state/playlist') ? playlistBody : nowPlayingBody);
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
  const ds = await openDatabase(join(dir, `tick-${n}.db`), () => undefined);
  const clock = new ManualClock();
  const events = new EventEmitter2();
  const shadow = new QueueShadowService(
    new QueueShadowRepository(ds),
    clock,
    events,
    noCatalog,
    new SoloBus(),
    new SoloLeadership(),
  );
  await shadow.onModuleInit();
  const { config } = parseConfig({
    secret_key: 'bench-secret-key-that-is-long-enough-0123456789',
    api_gate_url: gateUrl,
    api_gate_token: 'x',
    mediacms_url: gateUrl,
    mediacms_token: 'x',
    db_path: join(dir, 'unused.db'),
  });
  const poller = new StatePoller(
    shadow,
    new ApiGateClient({ baseUrl: gateUrl, token: 'x' }),
    config,
    clock,
    events,
  );
  try {
    await poller.tick(); // the first poll writes every row
    const runs = 30;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) {
      clock.advance(3000);
      await poller.tick();
    }
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - t0) / runs;
    const cpuMs = (cpu.user + cpu.system) / 1000 / runs;
    // The floor: the same two answers from the same server over the same transport (undici on a
    // keep-alive agent), read into one buffer and parsed, nothing else.
    const agent = new Agent({ keepAliveTimeout: 4_000 });
    const floor0 = process.cpuUsage();
    for (let i = 0; i < runs; i++) {
      for (const path of ['/api/v1/state/playlist', '/api/v1/state/now-playing']) {
        const res = await request(`${gateUrl}${path}`, { dispatcher: agent });
        JSON.parse(Buffer.from(await res.body.arrayBuffer()).toString('utf8'));
      }
    }
    const floor = process.cpuUsage(floor0);
    await agent.close();
    const floorMs = (floor.user + floor.system) / 1000 / runs;
    out(
      `  whole poll tick, unchanged ${n}-item playlist (${playlistBody.length} B): ${ms(cpuMs)} CPU per tick ` +
        `(goal < 5 ms; the prepared-body server's share included), ${ms(wall)} wall; ` +
        `its floor, the two answers fetched and parsed alone: ${ms(floorMs)} CPU (the tick is ${(cpuMs / floorMs).toFixed(1)}× it)`,
    );
  } finally {
    gate.close();
    await ds.destroy();
  }
}

async function fanOutBench(dir: string): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: 4, clock: 'manual', catalogSize: FANOUT_CATALOG });
  const ctl = new SimControl(sim.url);
  const { config } = parseConfig({
    secret_key: 'bench-secret-key-that-is-long-enough-0123456789',
    api_gate_url: sim.url,
    api_gate_token: sim.apiToken,
    mediacms_url: sim.url,
    mediacms_token: sim.mediacmsToken,
    db_path: join(dir, 'fanout.db'),
    image_dir: join(dir, 'images'),
    placeholder_dir: join(dir, 'images', 'placeholders'),
    log_level: 'error',
  });
  const moduleApp = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { schedule: false }),
    {
      logger: ['error'],
    },
  );
  configureApp(moduleApp);
  await moduleApp.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(moduleApp.getHttpServer().address() as AddressInfo).port}`;
  const live = moduleApp.get(LiveService);
  const poller = moduleApp.get(StatePoller);
  const server = live.io();
  let messageBytes = 0;
  let heartbeatBytes = 0;
  server?.engine.on(
    'connection',
    (socket: { on(e: string, f: (p: { type: string; data?: unknown }) => void): void }) => {
      socket.on('packetCreate', (packet) => {
        const size = typeof packet.data === 'string' ? Buffer.byteLength(packet.data) : 0;
        if (packet.type === 'message') messageBytes += size + 1;
        else heartbeatBytes += size + 1;
      });
    },
  );

  // A 100-item queue: long titles, so nothing finishes on the manual clock.
  const tokens = (await ctl.catalog(0, FANOUT_CATALOG)).items
    .filter((i) => i.duration > 600)
    .map((i) => i.friendly_token);
  if (tokens.length < FANOUT_QUEUE + 2 * CHANGES) {
    throw new Error(`only ${tokens.length} long titles in the catalog`);
  }
  for (const token of tokens.slice(0, FANOUT_QUEUE)) await ctl.queueAsOther({ token });
  await poller.tick();

  const cookie = `session=${signSession({ username: 'BenchViewer', rank: 1 }, config.secret_key, Date.now(), 1)}`;
  let nextToken = FANOUT_QUEUE;
  try {
    // The viewers live in a worker thread: their parsing is not the server's work. Twice: as
    // the pages read (socket.io-client), then as bare WebSockets that only note each arrival,
    // which tells the viewers' own reading apart from the server's writing and the wire.
    for (const kind of ['socket.io', 'raw'] as ViewerKind[]) {
      const clients = new Worker(join(__dirname, 'support', 'fanout-clients.js'), {
        workerData: { url, cookie, count: SOCKETS, kind },
      });
      const next = (type: string): Promise<FanoutMessage> =>
        new Promise((resolve, reject) => {
          const onMessage = (message: FanoutMessage): void => {
            if (message.type === 'failed') reject(new Error(message.error));
            if (message.type !== type && message.type !== 'failed') return;
            clients.off('message', onMessage);
            resolve(message);
          };
          clients.on('message', onMessage);
        });
      try {
        const connectStart = performance.now();
        await live.flush();
        messageBytes = 0;
        await next('connected');
        out(
          `\n${SOCKETS} ${kind} viewers (in a worker thread) connected and got their first queue_state ` +
            `(${FANOUT_QUEUE}-item queue) in ${ms(performance.now() - connectStart)}`,
        );
        const connectBytes = Math.round(messageBytes / SOCKETS);

        // Changes, one after another: each from the poll that sees it to the last socket
        // receiving its diff.
        const runs: ChangeTimes[] = [];
        let changeBytes = 0;
        for (let change = 0; change < CHANGES; change++) {
          await live.flush();
          messageBytes = 0;
          await ctl.queueAsOther({ token: tokens[nextToken++] });
          clients.postMessage({ type: 'expect' });
          await next('armed');
          const arrived = next('arrived');
          const t0 = performance.timeOrigin + performance.now();
          const summary = await poller.tick();
          if (!summary.changed) throw new Error('the poll did not see the change');
          const tickMs = performance.timeOrigin + performance.now() - t0;
          // When the server has written the diff to the last socket (the rest is the wire and
          // the viewers' own thread reading 5,000 messages).
          await live.flush();
          const writtenMs = performance.timeOrigin + performance.now() - t0;
          const { times: raw = [], busyMs = 0 } = await arrived;
          const times = raw.map((t) => t - t0).sort((a, b) => a - b);
          runs.push({
            tickMs,
            writtenMs,
            first: times[0],
            p50: times[Math.floor(times.length / 2)],
            last: times[times.length - 1],
            busyMs,
          });
          changeBytes = Math.round(messageBytes / SOCKETS);
        }
        const figure = (pick: (run: ChangeTimes) => number): string => {
          const sorted = runs.map(pick).sort((a, b) => a - b);
          return `${ms(sorted[Math.floor(sorted.length / 2)])} (worst ${ms(sorted[sorted.length - 1])})`;
        };
        out(
          `queue change → ${SOCKETS} ${kind} viewers, median of ${CHANGES} changes (worst): ` +
            `poll+reconcile ${figure((r) => r.tickMs)}, written to the last socket at ${figure((r) => r.writtenMs)}, ` +
            `first ${figure((r) => r.first)}, p50 ${figure((r) => r.p50)}, ` +
            `last ${figure((r) => r.last)} (goal < 250 ms); the viewers' thread was busy ${figure((r) => r.busyMs)}; ` +
            `${changeBytes} bytes per socket for one added item ` +
            `(the whole state on connect was ${connectBytes} bytes)`,
        );

        // A minute of unchanged polls (every 3 s, simulated clock): bytes pushed to these viewers.
        if (kind !== 'socket.io') continue;
        await live.flush();
        messageBytes = 0;
        heartbeatBytes = 0;
        for (let i = 0; i < 20; i++) {
          await ctl.advance(3);
          await poller.tick();
        }
        await live.flush();
        out(
          `unchanged queue, 20 polls (1 simulated minute): ${messageBytes} bytes of messages ` +
            `(target 0), ${heartbeatBytes} bytes of engine.io heartbeats in the same wall time ` +
            `(heartbeats run on real time: a 1-byte ping per socket every 25 s ≈ ${Math.round((SOCKETS * 60) / 25)} bytes/min)`,
        );
      } finally {
        clients.postMessage({ type: 'close' });
        await next('closed').catch(() => undefined);
        await clients.terminate();
      }
    }
  } finally {
    await moduleApp.close();
    await sim.close();
  }
}

export async function runQueueBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wq-queue-bench-'));
  try {
    await reconcileBench(dir);
    await pollTickBench(dir, 2000);
    await fanOutBench(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
