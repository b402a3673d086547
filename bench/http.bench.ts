/**
 * HTTP benchmark (printed, never asserted): browse and search pages at 100k items as a viewer's
 * browser asks for them, the app as its own process pinned to one core (`taskset -c 0`), the
 * load generator (autocannon, 50 keep-alive connections) and the simulator on the other core.
 * Each figure is printed next to its goal and to Node's own ceiling on the same core: a plain
 * `node:http` server answering a prepared body of the same size as the browse page.
 * Options (environment): BENCH_HTTP_ITEMS (default 100000), BENCH_HTTP_SECONDS (default 10),
 * BENCH_HTTP_CPU_PROFILE (a folder: the app writes a V8 CPU profile there when it stops),
 * BENCH_HTTP_ONLY (only the rows whose name contains it, with the ceiling; for profiling one),
 * BENCH_HTTP_VIEWERS (distinct viewer sessions the page rows rotate through, default 1000).
 */
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { signSession } from '../src/auth/session-token';
import { generateCatalog } from '../sim/world/catalog-generator';
import { startSimulator } from '../sim/server';
import { bulkLoad, context } from './catalog.bench';
import {
  answering,
  cpuTicks,
  onCoreZero,
  PROJECT,
  quiet,
  startFlags,
  stop,
  writeChildConfig,
} from './support/child-app';
import { freePort } from './support/free-port';

const ITEMS = Number(process.env.BENCH_HTTP_ITEMS ?? 100_000);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const SECRET = 'bench-secret-key-that-is-long-enough-0123456789';
const BROWSE_GOAL = 1500;
const PROFILE_DIR = process.env.BENCH_HTTP_CPU_PROFILE;
const ONLY = process.env.BENCH_HTTP_ONLY;
const VIEWERS = Number(process.env.BENCH_HTTP_VIEWERS ?? 1000);

/** The row of the stack's floor: NestJS on Express answering the same body (support/bare-nest). */
const FLOOR_ROW = 'NestJS floor (one route, same body)';

const out = (line: string): boolean => process.stdout.write(`${line}\n`);

interface Row {
  what: string;
  reqPerSec: number;
  /** The server's CPU time per answer (ms): steady where req/s swings with a noisy machine. */
  cpuMs: number;
  p50: number;
  p99: number;
  bytes: number;
  failed: number;
}

/** One request of a row: its path and this viewer's headers. */
interface Ask {
  path: string;
  headers: Record<string, string>;
}

async function load(
  what: string,
  url: string,
  asks: Ask[] | (() => Ask),
  server: ChildProcess,
): Promise<Row | null> {
  if (ONLY && !what.includes(ONLY) && !what.startsWith('node:http') && what !== FLOOR_ROW) return null;
  // A list is cycled by every connection; a function is asked before every send.
  const requests = Array.isArray(asks)
    ? asks.map((ask) => ({ method: 'GET', path: ask.path, headers: ask.headers }))
    : [{ method: 'GET', path: '/', setupRequest: () => ({ method: 'GET', ...asks() }) }];
  const ticks0 = cpuTicks(server.pid as number);
  const result = await autocannon({ url, connections: 50, duration: SECONDS, requests });
  // 100 clock ticks a second.
  const cpuMs = ((cpuTicks(server.pid as number) - ticks0) * 10) / Math.max(1, result.requests.total);
  return {
    what,
    reqPerSec: result.requests.average,
    cpuMs,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytes: result.throughput.average / Math.max(1, result.requests.average),
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

export async function runHttpBench(): Promise<void> {
  const ctx = await context('http://127.0.0.1:9', 'x');
  const now = new Date();
  await bulkLoad(ctx, generateCatalog(42, ITEMS, now.getTime()), now);
  const dbPath = join(ctx.dir, 'bench.db');
  await ctx.app.close();

  const sim = await startSimulator({ port: 0, seed: 3, clock: 'real', catalogSize: 50 });
  const port = await freePort();
  const configPath = writeChildConfig({
    dir: ctx.dir,
    sim,
    port,
    secret: SECRET,
    dbPath,
    logLevel: 'error',
  });

  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const app = onCoreZero([
    ...startFlags(),
    ...profile,
    join(PROJECT, 'dist', 'src', 'main.js'),
    '--config',
    configPath,
  ]);
  const rows: (Row | null)[] = [];
  let pageBytes: number;
  try {
    const base = `http://127.0.0.1:${port}`;
    await answering(`${base}/health`, app.child, app.output);
    await quiet(app.child);
    // Many viewers, as a channel has: each has its own session, and its own name in the navbar.
    const viewers = Array.from({ length: VIEWERS }, (_, i) => ({
      cookie: `session=${signSession({ username: `Viewer${i}`, rank: 1 }, SECRET, Date.now(), 24)}`,
    }));
    const html = (i: number): Record<string, string> => ({ ...viewers[i % VIEWERS], accept: 'text/html' });
    const json = (i: number): Record<string, string> => ({
      ...viewers[i % VIEWERS],
      accept: 'application/json',
    });
    const firstPages = (headers: (i: number) => Record<string, string>): Ask[] =>
      Array.from({ length: VIEWERS }, (_, i) => ({
        path: `/catalog/browse?page=${(i % 5) + 1}`,
        headers: headers(i),
      }));
    // Warm what a browser would find warm (templates, facets, counts, the first pages).
    for (const ask of firstPages(html).slice(0, 5)) {
      await fetch(`${base}${ask.path}`, { headers: ask.headers });
    }
    pageBytes = (await (await fetch(`${base}/catalog/browse?page=1`, { headers: html(0) })).arrayBuffer())
      .byteLength;
    rows.push(
      await load(
        'GET /health (liveness: one database round trip)',
        base,
        [{ path: '/health', headers: {} }],
        app.child,
      ),
    );
    rows.push(
      await load(`browse page (HTML, pages 1–5, ${VIEWERS} viewers)`, base, firstPages(html), app.child),
    );
    // Every answer a page nobody asked for yet: the cost of a miss (data, model, template).
    let deeper = 5;
    let asker = 0;
    rows.push(
      await load(
        'browse page, each a new page (HTML)',
        base,
        () => ({ path: `/catalog/browse?page=${(deeper++ % 4000) + 6}`, headers: html(asker++) }),
        app.child,
      ),
    );
    rows.push(await load(`browse JSON (pages 1–5, ${VIEWERS} viewers)`, base, firstPages(json), app.child));
    const queries = ['midnight', 'harb', 'robot', 'the', 'crimson castle'];
    rows.push(
      await load(
        'search page (HTML, 5 queries)',
        base,
        Array.from({ length: VIEWERS }, (_, i) => ({
          path: `/catalog/search?q=${encodeURIComponent(queries[i % queries.length])}`,
          headers: html(i),
        })),
        app.child,
      ),
    );
  } finally {
    await stop(app.child);
    await sim.close();
    rmSync(ctx.dir, { recursive: true, force: true });
  }

  // The stack's floor on the same core: NestJS on Express, one route, the same body.
  const floorPort = await freePort();
  const floor = onCoreZero([
    join(PROJECT, 'dist', 'bench', 'support', 'bare-nest.js'),
    String(floorPort),
    String(pageBytes),
  ]);
  try {
    const base = `http://127.0.0.1:${floorPort}`;
    await answering(`${base}/page`, floor.child, floor.output);
    rows.push(await load(FLOOR_ROW, base, [{ path: '/page', headers: {} }], floor.child));
  } finally {
    await stop(floor.child);
  }

  // Node's ceiling on the same core: a prepared body of the browse page's size.
  const ceilingPort = await freePort();
  const ceiling = onCoreZero([
    '-e',
    `const body = Buffer.alloc(${pageBytes}, 'x');` +
      `require('node:http').createServer((req, res) => { res.setHeader('content-type', 'text/html'); res.end(body); })` +
      `.listen(${ceilingPort}, '127.0.0.1');`,
  ]);
  try {
    const base = `http://127.0.0.1:${ceilingPort}`;
    await answering(base, ceiling.child, ceiling.output);
    rows.push(
      await load(
        `node:http ceiling (${pageBytes} B body)`,
        base,
        [{ path: '/', headers: {} }],
        ceiling.child,
      ),
    );
  } finally {
    await stop(ceiling.child);
  }

  const measured = rows.filter((row): row is Row => row !== null);
  const ceilingRate = measured[measured.length - 1].reqPerSec;
  const floorRow = measured.find((row) => row.what === FLOOR_ROW) as Row;
  out(`${ITEMS} catalog items; app on one core; ${SECONDS} s per row, 50 connections`);
  out(
    `  ${'what'.padEnd(44)}   req/s   p50 ms   p99 ms   bytes/answer   failed   of ceiling   CPU ms/answer   × floor CPU`,
  );
  for (const row of measured) {
    out(
      `  ${row.what.padEnd(44)} ${Math.round(row.reqPerSec).toString().padStart(7)}   ${String(row.p50).padStart(6)}   ` +
        `${String(row.p99).padStart(6)}   ${Math.round(row.bytes).toString().padStart(12)}   ${String(row.failed).padStart(6)}   ` +
        `${((row.reqPerSec / ceilingRate) * 100).toFixed(0).padStart(9)} %   ${row.cpuMs.toFixed(3).padStart(13)}   ` +
        `${(row.cpuMs / floorRow.cpuMs).toFixed(1).padStart(10)}×`,
    );
  }
  const browse = measured.find((row) => row.what.startsWith('browse page (HTML'));
  if (browse) {
    const ratio = browse.cpuMs / floorRow.cpuMs;
    out(
      `  browse page: ${Math.round(browse.reqPerSec)} req/s against a goal of ≥ ${BROWSE_GOAL} ` +
        `(${browse.reqPerSec >= BROWSE_GOAL ? 'met' : 'not met'}); ${ratio.toFixed(1)}× the NestJS floor's CPU per answer ` +
        `(${ratio <= 2 ? 'within' : 'not within'} 2×)`,
    );
  }
}
