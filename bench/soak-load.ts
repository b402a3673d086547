/**
 * `npm run soak:load`: the load soak (printed figures, not a timed test). webqueue runs as its
 * own process on one core (`taskset -c 0`) against the simulator on a real clock, and for
 * SOAK_MINUTES (default 30) it gets at once:
 *   - a catalog of SOAK_ITEMS (default 100,000) synced over HTTP at the start and again every
 *     SOAK_SYNC_EVERY_MIN (default 10) minutes;
 *   - SOAK_SOCKETS (default 5,000) Socket.IO viewers, connected the whole time;
 *   - browse and search pages from 8 browsers that ask again as soon as they are answered (or,
 *     with SOAK_PAGES_PER_SEC, at that steady rate);
 *   - a purchase every SOAK_PURCHASE_EVERY_SEC (default 5) seconds, of short titles, with a
 *     moderator's skip whenever the playlist is past SOAK_QUEUE_ITEMS (see there).
 * Every minute it prints the app's RSS and how long its event loop was held (max and p99 over
 * that minute, from its own Prometheus metrics, less their 10 ms sampling interval), the time
 * its garbage collector took, how many of its pauses were longer than 10 ms and the longest one
 * (the floor under that minute's longest hold), its CPU (percent of its one core), pages
 * answered, purchases, live messages received and sockets connected; the first five purchases
 * refused are printed with their answers. At the end: RSS growth from the first full minute to
 * the last, the longest hold and the longest collection pause. It exits 1 when a page or
 * purchase failed with a 5xx or a socket was lost.
 * SOAK_APP_LOG (a file) gets everything the app prints, e.g. with BENCH_NODE_ARGS="... --trace-gc"
 * to see which collections the event-loop delays line up with.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'socket.io-client';
import { HIDDEN_CATEGORIES, HIDDEN_TAGS } from '../sim/world/catalog-generator';
import { startSimulator } from '../sim/server';
import { SimControl } from '../sim/sim-control';
import { signSession } from '../src/auth/session-token';
import {
  cpuTicks,
  onCoreZero,
  PROJECT,
  startFlags,
  syncOverHttp,
  writeChildConfig,
} from './support/child-app';
import { freePort } from './support/free-port';
import { loopHeldMs } from './support/loop-held';
import { connectViewers } from './support/viewers';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SOCKETS = Number(process.env.SOAK_SOCKETS ?? 5000);
const ITEMS = Number(process.env.SOAK_ITEMS ?? 100_000);
const PURCHASE_EVERY_SEC = Number(process.env.SOAK_PURCHASE_EVERY_SEC ?? 5);
const SYNC_EVERY_MIN = Number(process.env.SOAK_SYNC_EVERY_MIN ?? 10);
/**
 * SOAK_QUEUE_ITEMS (default 100): a purchase every 5 s of titles up to 5 minutes long adds about
 * 30 minutes of queue a minute, so past this many items a moderator skips what is playing
 * before the next purchase. The queue stays at the size the fan-out bench measures; without it
 * it reached 360 items in 30 minutes, and every poll, change and page grew with it.
 */
const QUEUE_ITEMS = Number(process.env.SOAK_QUEUE_ITEMS ?? 100);
const BROWSERS = 8;
/**
 * SOAK_PAGES_PER_SEC: browse and search pages asked at this steady rate, whatever the answers
 * (at most 64 in flight), instead of by 8 browsers that ask again as soon as they are answered.
 * Below the app's capacity the event-loop delay then shows its stalls rather than its queue.
 */
const PAGES_PER_SEC = Number(process.env.SOAK_PAGES_PER_SEC ?? 0);
const MAX_PAGES_IN_FLIGHT = 64;
const BUYERS = 40;
const SECRET = 'soak-secret-0123456789-0123456789-0123456789';
const APP_LOG = process.env.SOAK_APP_LOG;
const SEARCHES = ['midnight', 'harb', 'robot', 'the', 'crimson castle', 'sam'];

const log = (line: string): boolean => process.stdout.write(`${line}\n`);

function cookie(username: string, rank = 1): string {
  return `session=${signSession({ username, rank }, SECRET, Date.now(), 48)}`;
}

/** Resident memory of a process in MB (Linux). */
function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

async function appMetrics(base: string): Promise<AppMetrics> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const metric = (name: string): number => {
    const match = new RegExp(`^webqueue_${name} (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) : NaN;
  };
  /** A labelled series summed over every kind of collection (minor, major, incremental, weakcb). */
  const gcSeries = (suffix: string, label = ''): number => {
    const pattern = new RegExp(
      `^webqueue_nodejs_gc_duration_seconds_${suffix}\\{[^}]*${label}[^}]*\\} (\\S+)$`,
      'gm',
    );
    return [...text.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  };
  return {
    max: loopHeldMs(metric('nodejs_eventloop_lag_max_seconds') * 1000),
    p99: loopHeldMs(metric('nodejs_eventloop_lag_p99_seconds') * 1000),
    heapMb: Math.round(metric('nodejs_heap_size_used_bytes') / 1048576),
    gcMs: gcSeries('sum') * 1000,
    gcPausesOver10Ms: gcSeries('count') - gcSeries('bucket', 'le="0.01"'),
    longestGcMs: metric('gc_pause_longest_seconds') * 1000,
  };
}

/**
 * The app's own figures: how long its event loop was held (`loopHeldMs`) since the last scrape
 * (prom-client resets it per scrape), heap in use, and its garbage collector's totals since
 * start (time, and pauses longer than 10 ms), to tell a collection from the app's own work when
 * the loop was held.
 */
interface AppMetrics {
  max: number;
  p99: number;
  heapMb: number;
  gcMs: number;
  gcPausesOver10Ms: number;
  /** The longest single collection pause since the last scrape: the floor under `max`. */
  longestGcMs: number;
}

interface Counters {
  pages: number;
  pageErrors: number;
  purchases: Map<number, number>;
  liveMessages: number;
}

export async function runLoadSoak(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'wq-soak-load-'));
  const sim = await startSimulator({
    port: 0,
    seed: 42,
    clock: 'real',
    catalogSize: ITEMS,
    world: { economy: { queue_cooldown_minutes: 0, max_queues_per_day: 100_000 } },
  });
  const ctl = new SimControl(sim.url);
  await ctl.addUser({ name: 'soakadmin', rank: 3 });
  const buyers = Array.from({ length: BUYERS }, (_, i) => `soakbuyer${i}`);
  for (const name of buyers) await ctl.addUser({ name, balance: 10_000_000 });
  const port = await freePort();
  const configPath = writeChildConfig({
    dir,
    sim,
    port,
    secret: SECRET,
    dbPath: join(dir, 'webqueue.db'),
    logLevel: 'warn',
  });

  const { child: app, output } = onCoreZero(
    [...startFlags(), join(PROJECT, 'dist', 'src', 'main.js'), '--config', configPath],
    { WQ_LOG_FORMAT: 'text' },
  );
  if (APP_LOG) {
    const file = createWriteStream(APP_LOG);
    app.stdout?.pipe(file);
    app.stderr?.pipe(file);
  }
  const base = `http://127.0.0.1:${port}`;
  const sockets: Socket[] = [];
  const counters: Counters = { pages: 0, pageErrors: 0, purchases: new Map(), liveMessages: 0 };
  let running = true;
  let skips = 0;
  let failed = false;
  try {
    for (let i = 0; ; i++) {
      if (i > 300) throw new Error(`webqueue never answered:\n${output.join('')}`);
      const ok = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(200);
    }
    const admin = { cookie: cookie('soakadmin', 3), origin: base, 'content-type': 'application/json' };
    const sync = async (): Promise<string> => {
      const run = await syncOverHttp(base, admin);
      return `${run.status} in ${run.seconds} s`;
    };
    log(
      `[setup] first sync of ${ITEMS} items: ${await sync()}; app RSS ${rssMb(app.pid as number)} MB, ` +
        `heap ${(await appMetrics(base)).heapMb} MB`,
    );

    // The shortest titles, each bought once (a title already on the playlist is refused), so
    // what is bought also finishes playing and the queue moves.
    const shortest: string[] = [];
    for (let offset = 0; offset < ITEMS; offset += 1000) {
      const page = (await ctl.catalog(offset, 1000)).items;
      for (const item of page) {
        const payable =
          item.duration > 0 &&
          item.duration <= 300 &&
          item.state === 'public' &&
          item.encoding_status === 'success' &&
          !item.categories.some((c) => HIDDEN_CATEGORIES.includes(c)) &&
          !item.tags.some((t) => HIDDEN_TAGS.includes(t));
        if (payable) shortest.push(item.friendly_token);
      }
    }
    const firstPlays = (await ctl.catalog(0, 50)).items.filter((i) => i.duration > 600);
    await ctl.queueAsOther({ token: firstPlays[0].friendly_token, queueby: 'SomeoneElse' });

    const viewerCookie = cookie('soakviewer');
    sockets.push(
      ...(await connectViewers(base, viewerCookie, SOCKETS, {
        reconnection: true,
        onSocket: (socket) => {
          socket.on('queue_state', () => counters.liveMessages++);
          socket.on('queue_diff', () => counters.liveMessages++);
        },
      })),
    );
    log(`[setup] ${sockets.length} sockets connected; app RSS ${rssMb(app.pid as number)} MB`);

    const browser = async (n: number): Promise<void> => {
      for (let i = 0; running; i++) await askPage(i, n);
    };
    /** One page of the browse/search mix, counted. */
    const askPage = async (i: number, n: number): Promise<void> => {
      const headers = { cookie: cookie(`soakbrowser${n}`), accept: 'text/html' };
      const path =
        i % 3 === 2
          ? `/catalog/search?q=${encodeURIComponent(SEARCHES[(i + n) % SEARCHES.length])}`
          : `/catalog/browse?page=${1 + ((i + n) % 20)}`;
      const res = await fetch(`${base}${path}`, { headers }).catch(() => null);
      await res?.arrayBuffer();
      if (!res || res.status >= 500) counters.pageErrors++;
      else counters.pages++;
    };
    const steadyBrowsing = async (): Promise<void> => {
      const inFlight = new Set<Promise<void>>();
      const started = Date.now();
      for (let i = 0; running; i++) {
        await sleep(Math.max(0, started + (i * 1000) / PAGES_PER_SEC - Date.now()));
        if (inFlight.size >= MAX_PAGES_IN_FLIGHT) await Promise.race(inFlight);
        const page = askPage(i, i % BROWSERS).finally(() => inFlight.delete(page));
        inFlight.add(page);
      }
      await Promise.all(inFlight);
    };
    const browsing =
      PAGES_PER_SEC > 0 ? [steadyBrowsing()] : Array.from({ length: BROWSERS }, (_, n) => browser(n));
    let refusalsShown = 0;
    const buying = (async () => {
      for (let i = 0; running; i++) {
        const started = Date.now();
        while (sim.world.channel.items.length > QUEUE_ITEMS) {
          skips++;
          sim.world.channel.playNext();
        }
        const res = await fetch(`${base}/queue/add`, {
          method: 'POST',
          headers: { cookie: cookie(buyers[i % BUYERS]), origin: base, 'content-type': 'application/json' },
          body: JSON.stringify({ friendly_token: shortest[i % shortest.length], client_key: `soak-${i}` }),
        }).catch(() => null);
        const answer = (await res?.text()) ?? '';
        const status = res?.status ?? 0;
        counters.purchases.set(status, (counters.purchases.get(status) ?? 0) + 1);
        // the first few refusals in words, so a soak says why a purchase did not go through
        if (status !== 200 && refusalsShown++ < 5) log(`[purchase] ${status}: ${answer.slice(0, 300)}`);
        await sleep(Math.max(0, PURCHASE_EVERY_SEC * 1000 - (Date.now() - started)));
      }
    })();

    let lastGc = await appMetrics(base); // also starts the first minute's window
    const rss: number[] = [];
    let worstDelay = 0;
    let worstGcPause = 0;
    let lastPages = 0;
    let lastTicks = cpuTicks(app.pid as number);
    let nextSyncAt = SYNC_EVERY_MIN;
    let syncing: Promise<string> | null = null;
    log(
      'minute   RSS MB   heap MB   held max ms   held p99 ms   GC ms   GCs > 10 ms   longest GC ms   app CPU %   pages/s   purchases (by status)        live msgs   sockets',
    );
    for (let minute = 1; minute <= MINUTES; minute++) {
      if (minute === nextSyncAt && !syncing) {
        syncing = sync().then((result) => {
          log(`[sync] ${result}`);
          syncing = null;
          return result;
        });
        nextSyncAt += SYNC_EVERY_MIN;
      }
      await sleep(60_000);
      if (app.exitCode !== null || app.signalCode !== null) throw new Error('the app is gone');
      const delay = await appMetrics(base);
      const mb = rssMb(app.pid as number);
      // Clock ticks are hundredths of a second: over 60 s, ticks / 60 is the percent of a core.
      const ticks = cpuTicks(app.pid as number);
      const cpuPercent = (ticks - lastTicks) / 60;
      lastTicks = ticks;
      rss.push(mb);
      worstDelay = Math.max(worstDelay, delay.max);
      worstGcPause = Math.max(worstGcPause, delay.longestGcMs);
      const connected = sockets.filter((s) => s.connected).length;
      log(
        `${String(minute).padStart(6)}   ${String(mb).padStart(6)}   ${String(delay.heapMb).padStart(7)}   ${delay.max.toFixed(0).padStart(11)}   ` +
          `${delay.p99.toFixed(0).padStart(11)}   ${(delay.gcMs - lastGc.gcMs).toFixed(0).padStart(5)}   ` +
          `${String(delay.gcPausesOver10Ms - lastGc.gcPausesOver10Ms).padStart(11)}   ${delay.longestGcMs.toFixed(0).padStart(13)}   ${cpuPercent.toFixed(0).padStart(9)}   ${((counters.pages - lastPages) / 60).toFixed(0).padStart(7)}   ` +
          `${JSON.stringify(Object.fromEntries(counters.purchases)).padEnd(28)} ${String(counters.liveMessages).padStart(9)}   ${connected}`,
      );
      lastPages = counters.pages;
      lastGc = delay;
      if (connected < sockets.length) failed = true;
    }
    running = false;
    await Promise.all([...browsing, buying]);
    if (syncing) await syncing; // it logs its own line
    const growth = rss.length > 1 ? rss[rss.length - 1] - rss[0] : 0;
    const fivexx = [...counters.purchases.entries()].filter(([s]) => s >= 500 || s === 0).length;
    log(
      `\nRSS ${rss[0]} → ${rss[rss.length - 1]} MB over ${MINUTES} min (growth ${growth} MB; goal < 200 MB, no growth); ` +
        `event loop held at most ${worstDelay.toFixed(0)} ms at a time (goal < 50 ms), its longest collection pause ${worstGcPause.toFixed(0)} ms; page failures ${counters.pageErrors}; ` +
        `purchases ${JSON.stringify(Object.fromEntries(counters.purchases))}; moderator skips ${skips} (queue kept to ${QUEUE_ITEMS} items)`,
    );
    if (counters.pageErrors > 0 || fivexx > 0) failed = true;
    return failed ? 1 : 0;
  } catch (err) {
    log(
      `\nthe soak stopped: ${(err as Error).message}; the app's last lines:\n${output.join('').split('\n').slice(-40).join('\n')}`,
    );
    log(`app ${app.exitCode === null ? 'still running' : `exited with ${app.exitCode ?? app.signalCode}`}`);
    throw err;
  } finally {
    running = false;
    for (const s of sockets) s.disconnect();
    app.kill('SIGTERM');
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runLoadSoak().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `load soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
