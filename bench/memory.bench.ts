/**
 * Memory benchmark (printed, never asserted): webqueue's resident memory as its own process on
 * one core, as an operator would start it (`npm start`'s node flags), at three moments:
 *   1. started, with an empty catalog;
 *   2. after a sync of BENCH_MEMORY_ITEMS (default 100,000) titles over HTTP from the simulator,
 *      once the process is idle again;
 *   3. with BENCH_MEMORY_SOCKETS (default 5,000) Socket.IO viewers connected.
 * Each figure splits RSS into anonymous memory (the JavaScript heap, SQLite's page cache,
 * buffers) and file-backed pages (the node binary and its libraries, shared with other
 * processes), beside the heap V8 reports. The floors on the same machine, with the same node
 * flags: a bare `node` process, and a bare Socket.IO server holding the same number of sockets
 * (the library's own cost per socket).
 * BENCH_NODE_ARGS (space-separated) replaces the app's node flags, to measure others; the app
 * gets `npm start`'s MALLOC_ARENA_MAX unless the bench's own environment sets another.
 * BENCH_MEMORY_SNAPSHOT_DIR (a folder): the app writes a heap snapshot there with the sockets
 * connected, to see what the heap holds.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { signSession } from '../src/auth/session-token';
import { startSimulator } from '../sim/server';
import { SimControl } from '../sim/sim-control';
import {
  answering,
  onCoreZero,
  PROJECT,
  quiet,
  startEnv,
  startFlags,
  stop,
  syncOverHttp,
  writeChildConfig,
} from './support/child-app';
import { freePort } from './support/free-port';

const ITEMS = Number(process.env.BENCH_MEMORY_ITEMS ?? 100_000);
const SOCKETS = Number(process.env.BENCH_MEMORY_SOCKETS ?? 5000);
const NODE_ARGS = startFlags();
const SECRET = 'bench-memory-secret-0123456789-0123456789';
const GOAL_MB = 200;
const SNAPSHOT_DIR = process.env.BENCH_MEMORY_SNAPSHOT_DIR;

const out = (line: string): boolean => process.stdout.write(`${line}\n`);

interface Resident {
  rss: number;
  anon: number;
  file: number;
}

/** A process's resident memory (MB) from /proc: all of it, anonymous, file-backed. */
function resident(pid: number): Resident {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  const mb = (n: number): number => Math.round(n / 1024);
  return { rss: mb(kb('VmRSS')), anon: mb(kb('RssAnon')), file: mb(kb('RssFile') + kb('RssShmem')) };
}

interface Heap {
  used: number;
  total: number;
  external: number;
}

/** The app's JavaScript heap (MB) from its own Prometheus metrics. */
async function heapOf(base: string): Promise<Heap> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const mb = (name: string): number =>
    Math.round(Number(new RegExp(`^webqueue_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20);
  return {
    used: mb('nodejs_heap_size_used_bytes'),
    total: mb('nodejs_heap_size_total_bytes'),
    external: mb('nodejs_external_memory_bytes'),
  };
}

/** Viewers in a worker thread (their memory is not this process's business, but keeps it apart). */
async function viewersIn(url: string, cookie: string, count: number): Promise<Worker> {
  const worker = new Worker(join(__dirname, 'support', 'fanout-clients.js'), {
    workerData: { url, cookie, count },
  });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { type: string; error?: string }) => {
      if (m.type === 'connected') resolve();
      if (m.type === 'failed') reject(new Error(m.error));
    });
    worker.once('error', reject);
  });
  return worker;
}

async function closeViewers(worker: Worker): Promise<void> {
  const closed = new Promise<void>((resolve) =>
    worker.on('message', (m: { type: string }) => m.type === 'closed' && resolve()),
  );
  worker.postMessage({ type: 'close' });
  await closed;
  await worker.terminate();
}

/** Settles: waits until the process is idle, then a few seconds for V8's memory reducer. */
async function settled(child: ChildProcess): Promise<void> {
  await quiet(child);
  await sleep(10_000);
}

const row = (what: string, r: Resident, heap?: Heap): string =>
  `  ${what.padEnd(44)} ${String(r.rss).padStart(6)}   ${String(r.anon).padStart(6)}   ${String(r.file).padStart(6)}   ` +
  (heap
    ? `${String(heap.used).padStart(4)} / ${String(heap.total).padStart(4)} / ${String(heap.external).padStart(3)}`
    : '');

export async function runMemoryBench(): Promise<void> {
  const lines: string[] = [];
  // RSS (MB) for the closing lines.
  const mb = { socketsOwn: 0, started: 0, synced: 0, withSockets: 0 };
  // Floor 1: node itself.
  const bare = onCoreZero([...NODE_ARGS, '-e', 'setInterval(() => {}, 1000)']);
  await sleep(1500);
  lines.push(row('bare node process', resident(bare.child.pid as number)));
  await stop(bare.child);

  // Floor 2: a bare Socket.IO server (the same library and transport) with SOCKETS sockets.
  const ioPort = await freePort();
  const io = onCoreZero([
    ...NODE_ARGS,
    '-e',
    `const { Server } = require('socket.io');` +
      `const server = require('node:http').createServer((req, res) => res.end('ok'));` +
      `new Server(server, { path: '/socket.io', transports: ['websocket'] })` +
      `.on('connection', (s) => s.emit('queue_state', { items: [] }));` +
      `server.listen(${ioPort}, '127.0.0.1');`,
  ]);
  try {
    await answering(`http://127.0.0.1:${ioPort}/`, io.child, io.output);
    await settled(io.child);
    const before = resident(io.child.pid as number);
    lines.push(row('bare Socket.IO server, no sockets', before));
    const viewers = await viewersIn(`http://127.0.0.1:${ioPort}`, 'x=1', SOCKETS);
    await settled(io.child);
    const after = resident(io.child.pid as number);
    mb.socketsOwn = after.rss - before.rss;
    lines.push(
      row(`bare Socket.IO server, ${SOCKETS} sockets`, after) +
        `  ${(((after.rss - before.rss) * 1024) / SOCKETS).toFixed(1)} kB a socket`,
    );
    await closeViewers(viewers);
  } finally {
    await stop(io.child);
  }

  // webqueue as `npm start` runs it.
  const dir = mkdtempSync(join(tmpdir(), 'wq-bench-memory-'));
  const sim = await startSimulator({ port: 0, seed: 42, clock: 'real', catalogSize: ITEMS });
  const ctl = new SimControl(sim.url);
  await ctl.addUser({ name: 'benchadmin', rank: 3 });
  const port = await freePort();
  const configPath = writeChildConfig({
    dir,
    sim,
    port,
    secret: SECRET,
    dbPath: join(dir, 'webqueue.db'),
    logLevel: 'error',
  });
  const snapshot = SNAPSHOT_DIR ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${SNAPSHOT_DIR}`] : [];
  const app = onCoreZero([
    ...NODE_ARGS,
    ...snapshot,
    join(PROJECT, 'dist', 'src', 'main.js'),
    '--config',
    configPath,
  ]);
  const base = `http://127.0.0.1:${port}`;
  const pid = app.child.pid as number;
  try {
    await answering(`${base}/health`, app.child, app.output);
    await settled(app.child);
    const started = resident(pid);
    mb.started = started.rss;
    lines.push(row('webqueue started, empty catalog', started, await heapOf(base)));

    const admin = {
      cookie: `session=${signSession({ username: 'benchadmin', rank: 3 }, SECRET, Date.now(), 24)}`,
      origin: base,
      'content-type': 'application/json',
    };
    let peak = 0;
    const run = await syncOverHttp(base, admin, () => {
      peak = Math.max(peak, resident(pid).rss);
    });
    if (run.status !== 'completed') throw new Error(`the sync ended ${run.status}`);
    const syncSecs = run.seconds;
    // A viewer's first pages, so the caches a running channel has are in the figure.
    const viewer = {
      cookie: `session=${signSession({ username: 'benchviewer', rank: 1 }, SECRET, Date.now(), 24)}`,
    };
    for (let page = 1; page <= 20; page++) {
      await (
        await fetch(`${base}/catalog/browse?page=${page}`, { headers: { ...viewer, accept: 'text/html' } })
      ).text();
    }
    for (const q of ['midnight', 'harb', 'the', 'robot']) {
      await (
        await fetch(`${base}/catalog/search?q=${q}`, { headers: { ...viewer, accept: 'text/html' } })
      ).text();
    }
    await settled(app.child);
    const synced = resident(pid);
    mb.synced = synced.rss;
    lines.push(
      row(`after a ${ITEMS} sync (${syncSecs} s) and 24 pages`, synced, await heapOf(base)) +
        `  peak during the sync ${peak} MB`,
    );

    const viewers = await viewersIn(base, viewer.cookie, SOCKETS);
    await settled(app.child);
    const withSockets = resident(pid);
    mb.withSockets = withSockets.rss;
    lines.push(row(`with ${SOCKETS} sockets connected`, withSockets, await heapOf(base)));
    if (SNAPSHOT_DIR) {
      app.child.kill('SIGUSR2');
      await settled(app.child);
    }
    await closeViewers(viewers);
  } catch (err) {
    const ended = app.child.exitCode ?? app.child.signalCode;
    out(`the app ${ended === null ? 'is still running' : `ended (${ended})`}; its last lines:`);
    out(app.output.join('').split('\n').slice(-30).join('\n'));
    throw err;
  } finally {
    await stop(app.child);
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }

  out(`node flags of the app: ${NODE_ARGS.join(' ') || '(none)'}`);
  out(
    `malloc arenas: MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? startEnv().MALLOC_ARENA_MAX ?? '(glibc default)'}`,
  );
  out(
    '  what                                            RSS MB   anon     file   heap used / total / external MB',
  );
  for (const line of lines) out(line);
  const floorMb = mb.started + mb.socketsOwn;
  out(`  goal: RSS < ${GOAL_MB} MB after a 100k sync and with 5,000 sockets`);
  out(`  after the sync: ${mb.synced} MB, ${mb.synced < GOAL_MB ? 'within' : 'over'} the goal`);
  out(
    `  with ${SOCKETS} sockets: ${mb.withSockets} MB. Its floor is the app as it starts (${mb.started} MB) plus what ` +
      `${SOCKETS} sockets cost a bare Socket.IO server (${mb.socketsOwn} MB): ${floorMb} MB, so ${(mb.withSockets / floorMb).toFixed(2)}× the floor`,
  );
}
