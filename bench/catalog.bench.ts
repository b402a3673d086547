/**
 * Catalog benchmark (printed, never asserted): sync throughput from the simulator, and search
 * and browse latency p50/p95 at 1k, 10k and 100k items. A search miss is printed next to its
 * floor: FTS5 counting the same query's matches and ranking the best 24, on the same read
 * connection. The 100k catalog is written straight through the sync repository (no HTTP);
 * `BENCH_CATALOG_100K_ONLY=1` runs that case alone.
 */
import 'reflect-metadata';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { CatalogModule } from '../src/catalog/catalog.module';
import { rowFromMedia } from '../src/catalog/catalog.rules';
import { CatalogService } from '../src/catalog/catalog.service';
import { CatalogSyncRepository, type Memberships } from '../src/catalog/catalog-sync.repository';
import { toFtsQuery } from '../src/catalog/search/search-query';
import { CatalogSearch } from '../src/catalog/search/catalog-search.port';
import type { SqliteFtsSearch } from '../src/catalog/search/sqlite-fts.search';
import { CommonModule } from '../src/common/common.module';
import { parseConfig } from '../src/config/config.loader';
import { ConfigModule } from '../src/config/config.module';
import { DatabaseModule } from '../src/database/database.module';
import { KrytenModule } from '../src/kryten/kryten.module';
import { PlaylistMembershipsModule } from '../src/playlists/playlist-memberships';
import { AuthModule } from '../src/auth/auth.module';
import { manifestUrl } from '../src/kryten/mediacms.client';
import { type CatalogItem, generateCatalog } from '../sim/world/catalog-generator';
import { startSimulator } from '../sim/server';
import { LOOP_SAMPLING_MS, loopHeldMs } from './support/loop-held';

const SEARCHES = [
  'midnight',
  'harb',
  'crimson castle',
  'robot',
  'the',
  'restored print',
  'sam',
  'zzzz',
  'amélie',
  '"(',
];
const RUNS = 60;

export interface Ctx {
  app: INestApplicationContext;
  catalog: CatalogService;
  fts: SqliteFtsSearch;
  dir: string;
}

export async function context(mediacmsUrl: string, token: string): Promise<Ctx> {
  const dir = mkdtempSync(join(tmpdir(), 'wq-bench-'));
  const { config } = parseConfig({
    secret_key: 'bench-secret-key-that-is-long-enough-0123456789',
    api_gate_url: 'http://127.0.0.1:9',
    api_gate_token: 'x',
    mediacms_url: mediacmsUrl,
    mediacms_token: token,
    db_path: join(dir, 'bench.db'),
    image_dir: join(dir, 'images'),
    log_level: 'error',
  });
  const app = await NestFactory.createApplicationContext(
    {
      module: class BenchModule {},
      imports: [
        ConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        CommonModule,
        PlaylistMembershipsModule,
        DatabaseModule.forRoot(),
        KrytenModule,
        AuthModule,
        CatalogModule,
      ],
    },
    { logger: ['error'] },
  );
  return {
    app,
    catalog: app.get(CatalogService),
    fts: app.get<CatalogSearch, SqliteFtsSearch>(CatalogSearch),
    dir,
  };
}

function pct(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Timing {
  p50: number;
  p95: number;
}

async function timeIt(fn: (i: number) => Promise<unknown>): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return { p50: pct(samples, 50), p95: pct(samples, 95) };
}

const shown = (t: Timing): string => `p50 ${t.p50.toFixed(2)} ms  p95 ${t.p95.toFixed(2)} ms`;

async function latencies(label: string, ctx: Ctx): Promise<void> {
  const q = (i: number): string => SEARCHES[i % SEARCHES.length];
  const base = { sort: 'default' as const, showHidden: false };
  const line = (name: string, value: Timing, after = ''): void => {
    process.stdout.write(`  ${label.padEnd(5)} ${name.padEnd(38)} ${shown(value)}${after}\n`);
  };
  // A miss each time: the kept pages and search results are dropped before every run.
  const uncached =
    (fn: (i: number) => Promise<unknown>) =>
    (i: number): Promise<unknown> => {
      ctx.catalog.forgetPages();
      return fn(i);
    };
  // The floor of a search miss: what FTS5 itself must do for a counted, ranked page of the same
  // query (count the matches, bm25 over them keeping the best 24), on the same read connection.
  const floor = await timeIt((i) => ctx.fts.searchFloor(toFtsQuery(q(i))?.match ?? '"x"', 24));
  const versus = (t: Timing): string =>
    `  (${(t.p50 / floor.p50).toFixed(1)}× / ${(t.p95 / floor.p95).toFixed(1)}× the floor; goal p95 < 5 ms or < 2× the floor)`;
  const search = await timeIt(uncached((i) => ctx.catalog.search(q(i), { ...base, page: 1 })));
  line('search (service, page 1)', search, versus(search));
  const filtered = await timeIt(
    uncached((i) => ctx.catalog.search(q(i), { ...base, page: 1, sort: 'title_asc', category: 'movies' })),
  );
  line('search + category + title sort', filtered, versus(filtered));
  line('floor: FTS5 count + bm25 top 24', floor);
  line(
    'search, kept (a query asked before)',
    await timeIt((i) => ctx.catalog.search(q(i), { ...base, page: 1 })),
  );
  line(
    'browse default (page 1..5)',
    await timeIt(uncached((i) => ctx.catalog.browse({ ...base, page: 1 + (i % 5) }))),
  );
  line(
    'browse newest + tag',
    await timeIt(
      uncached((i) => ctx.catalog.browse({ ...base, page: 1 + (i % 3), sort: 'newest', tag: 'classic' })),
    ),
  );
  line(
    'browse, kept (pages 1..5 again)',
    await timeIt((i) => ctx.catalog.browse({ ...base, page: 1 + (i % 5) })),
  );
  line(
    'facets (cache dropped each run)',
    await timeIt(() => {
      ctx.catalog.invalidate();
      return ctx.catalog.facets(false);
    }),
  );
  line('facets (cached, as between sync runs)', await timeIt(() => ctx.catalog.facets(false)));
  line(
    'browse page (browse + facets, cached)',
    await timeIt(async (i) => {
      await Promise.all([ctx.catalog.browse({ ...base, page: 1 + (i % 5) }), ctx.catalog.facets(false)]);
    }),
  );
}

async function syncCase(size: number): Promise<void> {
  const sim = await startSimulator({ seed: 42, catalogSize: size });
  const ctx = await context(sim.url, sim.mediacmsToken);
  const lag = monitorEventLoopDelay({ resolution: LOOP_SAMPLING_MS });
  lag.enable();
  const t0 = performance.now();
  const summary = await ctx.catalog.runSync('bench');
  const secs = (performance.now() - t0) / 1000;
  lag.disable();
  process.stdout.write(
    `\n[${size} items] sync: ${summary.status}, ${summary.seen} items in ${secs.toFixed(2)} s = ` +
      `${Math.round(summary.seen / secs)} items/s (${summary.facets_pages} media_facets pages, ${summary.detail_calls} detail calls); ` +
      `event loop held at most ${loopHeldMs(lag.max / 1e6).toFixed(1)} ms, ` +
      `p99 ${loopHeldMs(lag.percentile(99) / 1e6).toFixed(1)} ms ` +
      `(simulator in the same process)\n`,
  );
  await latencies(size >= 10_000 ? '10k' : '1k', ctx);
  await ctx.app.close();
  await sim.close();
  rmSync(ctx.dir, { recursive: true, force: true });
}

/** Write `items` into the catalog through the sync repository, 1,000 per page (no HTTP). */
export async function bulkLoad(ctx: Ctx, items: readonly CatalogItem[], now: Date): Promise<void> {
  const writes = ctx.app.get(CatalogSyncRepository);
  await writes.loadNameMaps();
  for (let i = 0; i < items.length; i += 1000) {
    const page = items.slice(i, i + 1000);
    const rows = page.flatMap(
      (m) => rowFromMedia(m, (t) => manifestUrl('https://media.example', t), now) ?? [],
    );
    const memberships = new Map<string, Memberships>(
      page.map((m) => [m.friendly_token, { categories: m.categories, tags: m.tags }]),
    );
    await writes.applyPage(rows, memberships, now);
  }
}

async function bulkCase(size: number): Promise<void> {
  const ctx = await context('http://127.0.0.1:9', 'x');
  const writes = ctx.app.get(CatalogSyncRepository);
  const now = new Date();
  const items = generateCatalog(42, size, now.getTime());
  const t0 = performance.now();
  await bulkLoad(ctx, items, now);
  const secs = (performance.now() - t0) / 1000;
  // The end of a complete run: mark what vanished upstream gone, repair the derived columns, and
  // (in the background) warm the facets. Measured: the longest the event loop was held. The run
  // gathers the tokens it saw as it goes, so that set is built before the clock starts.
  const seen = new Set(items.slice(0, size - 100).map((m) => m.friendly_token));
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const at = performance.now();
    longest = Math.max(longest, at - last);
    last = at;
  }, 5);
  const e0 = performance.now();
  await writes.markGone(seen, now);
  await writes.finishRun();
  await ctx.catalog.facets(false);
  const endMs = performance.now() - e0;
  clearInterval(ticker);
  process.stdout.write(
    `\n[${size} items] bulk insert through the sync repository: ${secs.toFixed(1)} s (${Math.round(size / secs)} items/s)\n` +
      `end of the sync run (gone marks, derived columns, facets): ${endMs.toFixed(0)} ms, the event loop ` +
      `held at most ${longest.toFixed(0)} ms at a time (goal < 50 ms)\n` +
      `RSS after the 100k load and the end of the run: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB ` +
      `(goal < 200 MB; this process also holds the generated catalog it loaded)\n`,
  );
  await latencies('100k', ctx);
  await ctx.app.close();
  rmSync(ctx.dir, { recursive: true, force: true });
}

export async function runCatalogBench(): Promise<void> {
  Logger.overrideLogger(['error']);
  if (process.env.BENCH_CATALOG_100K_ONLY !== '1') {
    await syncCase(1_000);
    await syncCase(10_000);
  }
  await bulkCase(100_000);
}
