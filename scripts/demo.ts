/**
 * `npm run demo`: the product on its simulated world, in one command.
 *
 * Starts the simulator (a CyTube channel + economy + MediaCMS, real clock) and webqueue as two
 * child processes wired together on loopback, with a fresh config and database under .demo/,
 * a channel already playing, a few viewers (some come and go), one admin, and every PM (the
 * login codes) echoed here. Ctrl-C stops both.
 */
import ExcelJS from 'exceljs';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimControl } from '../sim/sim-control';
import { localDate, weekendSheetName } from '../src/jobs/fetchurls/weekend.rules';

const root = join(__dirname, '..', '..');
const PORT = Number(process.env.PORT ?? 2010);
const SIM_PORT = Number(process.env.SIM_PORT ?? 24444);
const SEED = Number(process.env.DEMO_SEED ?? 7);
const CATALOG_SIZE = Number(process.env.DEMO_CATALOG_SIZE ?? 300);
const demoDir = process.env.DEMO_DIR ?? join(root, '.demo');

const ADMIN = { name: 'DemoAdmin', rank: 3, balance: 100_000 };
const VIEWERS = [
  { name: 'alice', rank: 1, balance: 5_000 },
  { name: 'bob', rank: 2, balance: 20_000, lifetime_earned: 50_000 },
  { name: 'carol', rank: 1, balance: 600 },
];
/** Simulated viewers who come and go (and go AFK) on their own. */
const WANDERERS = ['dave', 'erin', 'frank'];

const children: ChildProcess[] = [];
const timers: NodeJS.Timeout[] = [];
let stopping = false;

function log(message: string): void {
  process.stdout.write(`[demo] ${message}\n`);
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer): string =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => `[${name}] ${line}\n`)
      .join('');
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping the demo`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url: string, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${what} did not come up at ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const t of timers) clearInterval(t);
  log('stopping webqueue and the simulator...');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  log('stopped.');
  process.exit(code);
}

function writeDemoConfig(simUrl: string): string {
  rmSync(demoDir, { recursive: true, force: true });
  mkdirSync(join(demoDir, 'images', 'placeholders'), { recursive: true });
  const config = {
    channel: 'DemoChannel',
    host: '127.0.0.1',
    port: PORT,
    secret_key: `demo-secret-${Date.now()}-not-for-production-use-0123456789`,
    api_gate_url: simUrl,
    api_gate_token: 'sim-token',
    mediacms_url: simUrl,
    mediacms_token: 'sim-mediacms-token',
    db_path: join(demoDir, 'webqueue.db'),
    image_dir: join(demoDir, 'images'),
    placeholder_dir: join(demoDir, 'images', 'placeholders'),
    state_poll_interval_sec: 2,
    catalog_sync_on_start: true,
    catalog_sync_interval_hours: 1,
    cookie_secure: 'never',
    presence_refund: {
      enabled: true,
      on_leave: true,
      on_afk: true,
      grace_seconds: 60,
      check_interval_seconds: 10,
    },
    log_level: 'warning',
    // the simulator's TMDb/OMDb stand-ins: posters, and the metadata jobs have something to find
    tmdb_api_url: `${simUrl}/tmdb/3`,
    tmdb_image_url: `${simUrl}/tmdb/t/p`,
    tmdb_api_key: 'sim-tmdb-key',
    omdb_api_url: `${simUrl}/omdb`,
    omdb_api_key: 'sim-omdb-key',
    fetchurls: {
      workbook_path: join(demoDir, 'weekend.xlsx'),
      download_hosts: [new URL(simUrl).host, 'youtube.com', 'youtu.be', 'tubitv.com'],
    },
  };
  const path = join(demoDir, 'config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/**
 * This weekend's programming workbook for the fetchurls job: a sheet named for the coming
 * weekend, catalog links and downloadable links from the simulator's video host.
 */
async function writeDemoWorkbook(sim: SimControl, simUrl: string): Promise<void> {
  const { items } = await sim.catalog(0, 60);
  const movies = items.filter((i) => i.state === 'public' && i.duration > 3600);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(weekendSheetName(localDate(Date.now(), 'UTC')));
  const link = (token: string): string => `${simUrl}/view?m=${token}`;
  const rows: string[][] = [
    ['Slot', 'Notes', '', '', 'Link', 'Resolved'],
    ['Friday Night Frights'],
    [movies[0]?.title ?? 'Feature', '', '', '', link(movies[0]?.friendly_token ?? '')],
    ['Drive-in short', 'download', '', '', `${simUrl}/videos/Drive-In-Short.mp4`],
    ['Saturday Morning Cartoons'],
    ['Cartoon block', 'download', '', '', `${simUrl}/videos/Saturday-Cartoon.mp4`],
    ['Saturday Night Double Feature'],
    [movies[1]?.title ?? 'Feature', '', '', '', link(movies[1]?.friendly_token ?? '')],
    [movies[2]?.title ?? 'Feature', '', '', '', link(movies[2]?.friendly_token ?? '')],
  ];
  rows.forEach((r) => sheet.addRow(r));
  book.addWorksheet('Template').addRow(['Copy this sheet for the next weekend']);
  await book.xlsx.writeFile(join(demoDir, 'weekend.xlsx'));
}

async function seedWorld(sim: SimControl): Promise<void> {
  for (const user of [ADMIN, ...VIEWERS]) await sim.addUser(user);
  const { items } = await sim.catalog(0, 40);
  // A channel already playing: a short loop of permanent items queued by the channel bot.
  const picks = items.filter((i) => i.duration > 60 && i.duration < 1800).slice(0, 6);
  for (const item of picks) {
    await sim.queueAsOther({ token: item.friendly_token, temp: false, queueby: 'ChannelBot' });
  }
}

function wanderers(sim: SimControl, seed: number): void {
  let state = seed;
  const rand = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const here = new Set<string>();
  const step = async (): Promise<void> => {
    const name = WANDERERS[Math.floor(rand() * WANDERERS.length)];
    if (!here.has(name)) {
      await sim.addUser({ name, rank: 1, balance: 2_000 });
      here.add(name);
      log(`${name} joined the channel`);
    } else if (rand() < 0.5) {
      await sim.removeUser(name);
      here.delete(name);
      log(`${name} left the channel`);
    } else {
      const afk = rand() < 0.5;
      await sim.updateUser(name, { afk });
      log(`${name} is ${afk ? 'AFK' : 'back'}`);
    }
  };
  timers.push(setInterval(() => void step().catch(() => undefined), 45_000));
}

/** Echo every PM sent from now on (the codes the demo already used for itself are not shown). */
async function echoPms(sim: SimControl): Promise<void> {
  let seen = (await sim.pms()).length;
  timers.push(
    setInterval(() => {
      sim
        .pms()
        .then((pms) => {
          for (const pm of pms.slice(seen)) {
            process.stdout.write(`\n  >>> PM to ${pm.to ?? '?'}: ${pm.message}\n\n`);
          }
          seen = pms.length;
        })
        .catch(() => undefined);
    }, 1000),
  );
}

/**
 * Show the admin features from the first minute: the demo logs in as the admin through the real
 * login flow (the code comes from the simulator's PM log) and, through the real admin API,
 * creates two promo pools, a reserved playlist and a timed event two hours from now.
 */
async function seedAdminData(sim: SimControl, appUrl: string): Promise<string[]> {
  // as a browser on the site would send it (the CSRF guard wants an Origin)
  const json = { 'content-type': 'application/json', origin: new URL(appUrl).origin };
  const before = (await sim.pms(ADMIN.name)).length;
  await fetch(`${appUrl}/auth/otp/request`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: ADMIN.name }),
  });
  let code: string | undefined;
  for (let i = 0; i < 40 && !code; i++) {
    await sim.flush();
    const pms = await sim.pms(ADMIN.name);
    code = pms.length > before ? /(\d{6})/.exec(pms[pms.length - 1].message)?.[1] : undefined;
    if (!code) await new Promise((r) => setTimeout(r, 250));
  }
  if (!code) throw new Error('no login code for the demo admin');
  const login = await fetch(`${appUrl}/auth/otp/verify`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: ADMIN.name, code }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const call = async <T>(method: string, path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${appUrl}${path}`, {
      method,
      headers: { ...json, cookie },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  const { items } = await sim.catalog(0, 300);
  const manifest = (token: string): string =>
    `http://127.0.0.1:${SIM_PORT}/api/v1/media/cytube/${token}.json?format=json`;
  const asItems = (list: typeof items) =>
    list.map((i) => ({
      media_type: 'cm',
      media_id: manifest(i.friendly_token),
      title: i.title,
      duration_sec: i.duration,
    }));
  const shorts = items.filter((i) => i.duration >= 15 && i.duration <= 120);
  const movies = items.filter((i) => i.duration >= 4000);
  const playlist = async (
    name: string,
    extra: Record<string, unknown>,
    list: typeof items,
  ): Promise<number> => {
    const { id } = await call<{ id: number }>('POST', '/admin/playlists', { name, ...extra });
    await call('PUT', `/admin/playlists/${id}/items`, { items: asItems(list) });
    return id;
  };
  const done: string[] = [];
  await playlist(
    'Channel Z idents',
    { description: 'Between shows', promo_type: 'channel_identity' },
    shorts.slice(0, 3),
  );
  await playlist("Viewer's Choice bumpers", { promo_type: 'viewers_choice' }, shorts.slice(3, 5));
  done.push('promo pools "Channel Z idents" and "Viewer\'s Choice bumpers"');
  const friday = await playlist('Friday Night Double Feature', { is_immutable: true }, movies.slice(0, 2));
  const fireAt = new Date(Date.now() + 2 * 3600_000).toISOString();
  await call('POST', '/admin/schedules', {
    playlist_id: friday,
    label: 'Friday Night Double Feature',
    fire_at: fireAt,
  });
  done.push(`reserved playlist "Friday Night Double Feature", scheduled for ${fireAt}`);
  return done;
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const simUrl = `http://127.0.0.1:${SIM_PORT}`;
  log(`starting the simulator on ${simUrl} (seed ${SEED}, ${CATALOG_SIZE} titles)...`);
  start('sim', [
    join(root, 'dist', 'sim', 'main.js'),
    '--port',
    String(SIM_PORT),
    '--seed',
    String(SEED),
    '--clock',
    'real',
    // today's date and the wall clock, so the dashboard's history and the economy agree
    '--start-time',
    new Date().toISOString(),
    '--catalog-size',
    String(CATALOG_SIZE),
  ]);
  await waitFor(`${simUrl}/sim/state`, 'the simulator');
  const sim = new SimControl(simUrl);
  await seedWorld(sim);

  const configPath = writeDemoConfig(simUrl);
  await writeDemoWorkbook(sim, simUrl);
  log(`starting webqueue on http://127.0.0.1:${PORT} (config ${configPath})...`);
  start('webqueue', [join(root, 'dist', 'src', 'main.js'), '--config', configPath], {
    WQ_LOG_FORMAT: 'text',
  });
  await waitFor(`http://127.0.0.1:${PORT}/health`, 'webqueue');
  let seeded: string[] = [];
  try {
    seeded = await seedAdminData(sim, `http://127.0.0.1:${PORT}`);
  } catch (err) {
    log(`could not seed the admin demo data: ${(err as Error).message}`);
  }
  await echoPms(sim);
  wanderers(sim, SEED);

  process.stdout.write(
    [
      '',
      '  ┌──────────────────────────────────────────────────────────────',
      `  │ webqueue demo is running: http://127.0.0.1:${PORT}`,
      '  │',
      `  │ Log in as a viewer: ${VIEWERS.map((v) => `${v.name} (${v.balance.toLocaleString('en-US')} Z)`).join(', ')}`,
      `  │ Log in as the admin: ${ADMIN.name}`,
      '  │ Login codes arrive as CyTube PMs: they are printed here as ">>> PM to <name>".',
      ...seeded.map((line) => `  │ Admin demo data: ${line}`),
      `  │ Simulator control API: ${simUrl}/sim/state  (${WANDERERS.join(', ')} come and go)`,
      '  │ Ctrl-C stops everything.',
      '  └──────────────────────────────────────────────────────────────',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});
