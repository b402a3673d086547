/**
 * `npm run soak`: the reliability suite (printed figures, not a timed test).
 *
 * 1. Purchases: 10 viewers make ≥ 200 purchases against webqueue as a real child process, with
 *    20 % faults on every api-gate route (late spends and lost replies included), while the app
 *    is killed with SIGKILL at random moments (so at random saga points) and restarted. Then the
 *    faults stop, the uncertain-spend horizon passes, the app restarts (its start-up reconcile
 *    runs) and the books are checked against the simulated economy and playlist.
 * 2. Fuzz: ≥ 10,000 malformed requests over every route, as anonymous, viewer and admin.
 *
 * It prints purchases, Z spent / delivered / refunded / lost, orphans, unsettled rows and 5xx
 * counts; the money figures must be 0 where it says so, and it exits 1 when one is not.
 * Options (environment): SOAK_PURCHASES (default 200), SOAK_FUZZ (default 10000), SOAK_SEED.
 */
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../sim/server';
import { SimControl } from '../sim/sim-control';
import type { FaultRule } from '../sim/world/faults';
import { signSession } from '../src/auth/session-token';
import { fuzzRoutes, rng } from './soak-fuzz';
import { freePort } from './support/free-port';

const root = join(__dirname, '..', '..');
const dir = join(root, '.soak');
const PURCHASES = Number(process.env.SOAK_PURCHASES ?? 200);
const FUZZ = Number(process.env.SOAK_FUZZ ?? 10_000);
const SEED = Number(process.env.SOAK_SEED ?? 11);
const USERS = Array.from({ length: 10 }, (_, i) => `soaker${i}`);
const SECRET = 'soak-secret-0123456789-0123456789-0123456789';
const HORIZON_MIN = 1;

/** 20 % of the requests on every api-gate route meet a fault, of the kinds the real one has. */
const FAULTS: FaultRule[] = [
  { method: 'POST', path: '/api/v1/economy/queue-spend', status: 500, applies: 'later', rate: 0.1 },
  { method: 'POST', path: '/api/v1/economy/queue-spend', status: 500, applies: 'before', rate: 0.06 },
  { method: 'POST', path: '/api/v1/economy/queue-spend', status: 500, rate: 0.05 },
  { method: 'POST', path: '/api/v1/economy/queue-refund', status: 500, rate: 0.2 },
  { method: 'POST', path: '/api/v1/economy/queue-preview', status: 500, rate: 0.2 },
  { method: 'GET', path: '/api/v1/economy/', status: 500, rate: 0.2 },
  {
    method: 'POST',
    path: '/api/v1/playlist/add',
    status: 500,
    body: { detail: 'Failed to add video' },
    rate: 0.1,
  },
  { method: 'POST', path: '/api/v1/playlist/add', status: 504, rate: 0.1 },
  { method: 'PUT', path: '/api/v1/playlist/*/move', swallow: true, rate: 0.1 },
  { method: 'PUT', path: '/api/v1/playlist/*/move', status: 500, rate: 0.1 },
  { method: 'DELETE', path: '/api/v1/playlist/*', swallow: true, rate: 0.1 },
  { method: 'DELETE', path: '/api/v1/playlist/*', status: 500, rate: 0.1 },
  { method: 'GET', path: '/api/v1/state/', status: 500, rate: 0.2 },
  { method: 'POST', path: '/api/v1/chat/', status: 500, rate: 0.2 },
];

interface Tally {
  attempts: number;
  byOutcome: Map<string, number>;
  kills: number;
  killedAt: Map<string, number>;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function writeConfig(simUrl: string, port: number): string {
  const config = {
    channel: 'SoakChannel',
    host: '127.0.0.1',
    port,
    secret_key: SECRET,
    api_gate_url: simUrl,
    api_gate_token: 'sim-token',
    mediacms_url: simUrl,
    mediacms_token: 'sim-mediacms-token',
    db_path: join(dir, 'webqueue.db'),
    image_dir: join(dir, 'images'),
    placeholder_dir: join(dir, 'images', 'placeholders'),
    state_poll_interval_sec: 1,
    catalog_sync_on_start: true,
    catalog_sync_interval_hours: 0,
    cookie_secure: 'never',
    uncertain_spend_horizon_minutes: HORIZON_MIN,
    presence_refund: { enabled: false },
    promos: { enabled: false },
    log_level: 'error',
  };
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

class AppProcess {
  private child: ChildProcess | null = null;
  private up: Promise<void> = Promise.resolve();
  /** Lets the viewers waiting on `whenUp` go once the next start has finished. */
  private released: (() => void) | null = null;
  errors = 0;

  /** Resolves once the app answers (viewers don't hammer a server that is down). */
  whenUp(): Promise<void> {
    return this.up;
  }

  constructor(
    private readonly configPath: string,
    readonly url: string,
  ) {}

  start(): Promise<void> {
    const booting = this.boot();
    const release = this.released;
    this.released = null;
    this.up = booting;
    if (release) void booting.then(release);
    return booting;
  }

  private async boot(): Promise<void> {
    const child = spawn(
      process.execPath,
      [join(root, 'dist', 'src', 'main.js'), '--config', this.configPath],
      {
        cwd: root,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      this.errors += chunk
        .toString()
        .split('\n')
        .filter((l) => l.trim() !== '').length;
    });
    this.child = child;
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(`${this.url}/health`)).ok) return;
      } catch {
        // not up yet
      }
      if (child.exitCode !== null) throw new Error(`webqueue exited with ${child.exitCode} at start`);
      if (Date.now() > until) throw new Error('webqueue did not come up');
      await sleep(100);
    }
  }

  kill9(): Promise<void> {
    return this.stop('SIGKILL');
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = null;
    let release!: () => void;
    this.up = new Promise((resolve) => (release = resolve));
    this.released = release;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function cookie(username: string, rank = 1): string {
  return `session=${signSession({ username, rank }, SECRET, Date.now(), 24)}`;
}

async function purchases(
  sim: RunningSimulator,
  app: AppProcess,
  tally: Tally,
  random: () => number,
): Promise<void> {
  const tokens = sim.world.mediacms
    .all()
    .filter(
      (i) => i.duration > 30 && i.duration < 7200 && i.state === 'public' && i.encoding_status === 'success',
    )
    .map((i) => i.friendly_token);
  let next = 0;
  let stopKiller = false;
  const killer = (async () => {
    while (!stopKiller) {
      await sleep(4000 + random() * 6000);
      if (stopKiller) break;
      await app.kill9();
      tally.kills++;
      for (const row of openRows()) tally.killedAt.set(row.state, (tally.killedAt.get(row.state) ?? 0) + 1);
      await sleep(300);
      await app.start();
    }
  })();
  const origin = new URL(app.url).origin;
  await Promise.all(
    USERS.map(async (user) => {
      while (next < PURCHASES) {
        await app.whenUp();
        next++;
        tally.attempts++;
        const token = tokens[Math.floor(random() * tokens.length)];
        const path = random() < 0.2 ? '/queue/playnext' : '/queue/add';
        let outcome: string;
        try {
          const res = await fetch(`${app.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin, cookie: cookie(user) },
            body: JSON.stringify({ friendly_token: token, client_key: `${user}-${next}-${SEED}` }),
          });
          const body = (await res.json().catch(() => ({}))) as { code?: string };
          outcome = res.status === 200 ? '200 queued' : `${res.status} ${body.code ?? ''}`.trim();
        } catch {
          outcome = 'no answer (app down)';
        }
        tally.byOutcome.set(outcome, (tally.byOutcome.get(outcome) ?? 0) + 1);
      }
    }),
  );
  stopKiller = true;
  await killer;
}

interface JournalRow {
  request_id: string;
  username: string;
  state: string;
  z_cost: number | null;
  uid: number | null;
  removal_uid: number | null;
}

function journal(): JournalRow[] {
  const db = new Database(join(dir, 'webqueue.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT request_id, username, state, z_cost, uid, removal_uid FROM spend_requests')
      .all() as JournalRow[];
  } finally {
    db.close();
  }
}

/** The start-up catalog sync has finished once (the purchases need the catalog). */
async function catalogSynced(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const db = new Database(join(dir, 'webqueue.db'), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT COUNT(*) AS n FROM sync_log WHERE ended_at IS NOT NULL').get() as {
        n: number;
      };
      if (row.n > 0) return;
    } finally {
      db.close();
    }
    await sleep(100);
  }
  throw new Error('the catalog sync did not finish');
}

function openRows(): JournalRow[] {
  return journal().filter(
    (r) =>
      ['pending', 'uncertain', 'spent', 'added', 'positioned'].includes(r.state) || r.removal_uid !== null,
  );
}

function books(sim: RunningSimulator): Record<string, number> {
  const rows = journal();
  let spent = 0;
  let refunded = 0;
  for (const user of USERS) {
    for (const tx of sim.world.economy.listTransactions(user, 100_000, 0).transactions as {
      amount: number;
      trigger_id: string | null;
    }[]) {
      if (tx.trigger_id?.startsWith('spend.queue.')) spent -= tx.amount;
      if (tx.trigger_id?.startsWith('refund.queue.')) refunded += tx.amount;
    }
  }
  const recorded = rows.filter((r) => r.state === 'recorded');
  const delivered = recorded.reduce((a, r) => a + (r.z_cost ?? 0), 0);
  const claimed = new Set(recorded.map((r) => r.uid));
  const bot = sim.world.options.botName;
  const orphans = sim.world.channel.items.filter((i) => i.queueby === bot && !claimed.has(i.uid)).length;
  return {
    spent,
    delivered,
    refunded,
    lost: spent - refunded - delivered,
    orphans,
    unsettled: openRows().length,
  };
}

async function main(): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'images', 'placeholders'), { recursive: true });
  const sim = await startSimulator({
    port: 0,
    seed: SEED,
    clock: 'real',
    catalogSize: 400,
    commandDelayMs: 50,
    world: { economy: { queue_cooldown_minutes: 0, max_queues_per_day: 100_000 } },
  });
  const random = rng(SEED);
  const ctl = new SimControl(sim.url);
  for (const user of USERS) await ctl.addUser({ name: user, rank: 1, balance: 10_000_000 });
  await ctl.addUser({ name: 'SoakAdmin', rank: 3 });
  // a channel already playing long permanent items, queued by someone else
  const long = sim.world.mediacms.all().filter((i) => i.duration > 3000);
  for (const item of long.slice(0, 3)) {
    await ctl.queueAsOther({ token: item.friendly_token, temp: false, queueby: 'SoakChannel' });
  }
  const port = await freePort();
  const app = new AppProcess(writeConfig(sim.url, port), `http://127.0.0.1:${port}`);
  const started = Date.now();
  try {
    await app.start();
    await catalogSynced();
    log(`soak: webqueue pid up at ${app.url}, simulator at ${sim.url}, seed ${SEED}`);

    const tally: Tally = { attempts: 0, byOutcome: new Map(), kills: 0, killedAt: new Map() };
    sim.world.faults.set(FAULTS);
    await purchases(sim, app, tally, random);
    sim.world.faults.clear();
    log(
      `\n== purchases: ${tally.attempts} by ${USERS.length} viewers, 20 % faults, ${tally.kills} kill -9s ==`,
    );
    for (const [outcome, n] of [...tally.byOutcome].sort((a, b) => b[1] - a[1])) log(`  ${outcome}: ${n}`);
    log(
      `  unfinished sagas seen right after the kills, by state: ${
        [...tally.killedAt].map(([s, n]) => `${s} ${n}`).join(', ') || 'none'
      }`,
    );

    // Let the uncertain-spend horizon pass, then restart: the start-up reconcile settles it all.
    log(`\n  waiting ${HORIZON_MIN} min for the uncertain-spend horizon…`);
    await sleep(HORIZON_MIN * 60_000 + 5000);
    for (let round = 0; round < 3 && openRows().length > 0; round++) {
      await app.stop();
      await app.start();
      await sleep(1500); // fire-and-forget deletes land
    }
    const figures = books(sim);
    log('\n== money ==');
    log(`  Z spent ${figures.spent} · delivered ${figures.delivered} · refunded ${figures.refunded}`);
    log(`  Z lost: ${figures.lost} (must be 0)`);
    log(`  orphans (free items we added and never refunded or recorded): ${figures.orphans} (must be 0)`);
    log(`  unsettled after the horizon: ${figures.unsettled} (must be 0)`);
    const internal = [...tally.byOutcome].filter(([o]) => o.startsWith('500')).reduce((a, [, n]) => a + n, 0);
    log(`  500s on purchases: ${internal} (must be 0; 503s are upstream outages said in words)`);
    log(`  error log lines from webqueue: ${app.errors}`);
    await app.stop();

    log(`\n== fuzz: ${FUZZ} malformed requests over every route ==`);
    const fuzz = await fuzzRoutes({ simUrl: sim.url, dir, secret: SECRET, count: FUZZ, seed: SEED });
    log(`  routes: ${fuzz.routes} · requests: ${fuzz.requests}`);
    for (const [status, n] of [...fuzz.byStatus].sort((a, b) => a[0] - b[0])) log(`  HTTP ${status}: ${n}`);
    log(`  5xx: ${fuzz.fiveHundreds} (must be 0)`);
    for (const example of fuzz.examples) log(`    ${example}`);
    log(`\nsoak finished in ${Math.round((Date.now() - started) / 1000)} s`);
    const bad = figures.lost !== 0 || figures.orphans !== 0 || figures.unsettled !== 0 || internal !== 0;
    process.exitCode = bad || fuzz.fiveHundreds !== 0 ? 1 : 0;
  } finally {
    await app.stop();
    await sim.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
