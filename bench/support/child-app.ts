import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningSimulator } from '../../sim/server';

/** The project root (benches run from dist/bench). */
export const PROJECT = join(__dirname, '..', '..', '..');

/**
 * A config file for webqueue as its own process against `sim`, listening on `port`, metrics on
 * its own port's `/metrics`, no timed catalog sync. Returns the file's path.
 */
export function writeChildConfig(options: {
  dir: string;
  sim: RunningSimulator;
  port: number;
  secret: string;
  dbPath: string;
  logLevel: string;
}): string {
  const { dir, sim } = options;
  const path = join(dir, 'config.json');
  writeFileSync(
    path,
    JSON.stringify({
      secret_key: options.secret,
      api_gate_url: sim.url,
      api_gate_token: sim.apiToken,
      mediacms_url: sim.url,
      mediacms_token: sim.mediacmsToken,
      db_path: options.dbPath,
      image_dir: join(dir, 'images'),
      placeholder_dir: join(dir, 'images', 'placeholders'),
      log_level: options.logLevel,
      catalog_sync_interval_hours: 0,
      port: options.port,
      host: '127.0.0.1',
      prometheus_port: 0,
      // BENCH_SLOW_QUERY_MS: the app logs every query slower than this (with SOAK_APP_LOG, a file).
      slow_query_ms: Number(process.env.BENCH_SLOW_QUERY_MS ?? 0),
    }),
  );
  return path;
}

/** package.json's start script: `[NAME=value ...] node [flags] dist/src/main.js`. */
function startScript(): { env: Record<string, string>; flags: string[] } {
  const pkg = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const match = /^((?:\w+=\S+\s+)*)node\s+(.*?)\s*dist\/src\/main\.js$/.exec(pkg.scripts.start);
  if (!match) {
    throw new Error(`package.json's start script is not "[NAME=value] node [flags] dist/src/main.js"`);
  }
  const env = Object.fromEntries(
    match[1]
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  return { env, flags: match[2].split(/\s+/).filter(Boolean) };
}

/**
 * The node flags `npm start` gives the app (package.json's start script), so a bench measures
 * the app as it is run. BENCH_NODE_ARGS (space-separated, may be empty) replaces them, to
 * measure other flags.
 */
export function startFlags(): string[] {
  const override = process.env.BENCH_NODE_ARGS;
  if (override !== undefined) return override.split(' ').filter(Boolean);
  return startScript().flags;
}

/**
 * The environment `npm start` sets for node (MALLOC_ARENA_MAX). Every process a bench starts on
 * core 0 gets it, the floors too; a variable of the bench's own environment wins, to measure
 * another value.
 */
export function startEnv(): Record<string, string> {
  return startScript().env;
}

/**
 * `node` with these arguments on core 0 (`taskset`), with its output kept for a failure message.
 * The bench's own process (its load, its viewers, the simulator) moves to the other cores the
 * first time, so what it does is never counted against the app's core.
 */
export function onCoreZero(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; output: string[] } {
  keepOffCoreZero();
  const output: string[] = [];
  const child = spawn('taskset', ['-c', '0', process.execPath, ...args], {
    cwd: PROJECT,
    env: { ...startEnv(), ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return { child, output };
}

let movedOffCoreZero = false;

/** This process and all its threads (worker threads started later inherit it) on cores 1…n. */
function keepOffCoreZero(): void {
  const cores = availableParallelism();
  if (movedOffCoreZero || cores < 2) return;
  execFileSync('taskset', ['-a', '-p', '-c', `1-${cores - 1}`, String(process.pid)], { stdio: 'ignore' });
  movedOffCoreZero = true;
}

/** CPU time (user + system, in clock ticks) the process has used so far, from /proc. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Waits until the process has been idle (under 5 % of a core) for a whole second, so start-up
 * work (the leader's repair of derived columns over a 100k catalog) is not measured as load.
 */
export async function quiet(child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const deadline = Date.now() + timeoutMs;
  let last = cpuTicks(pid);
  let idleSamples = 0;
  while (idleSamples < 4 && Date.now() < deadline) {
    await sleep(250);
    const now = cpuTicks(pid);
    // 100 ticks a second: 5 % of 250 ms is 1.25 ticks.
    idleSamples = now - last <= 1 ? idleSamples + 1 : 0;
    last = now;
  }
}

/** Waits until `url` answers below 500; fails with the child's output if it never does or died. */
export async function answering(url: string, child: ChildProcess, output: string[]): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(url).then(
      (r) => r.status < 500,
      () => false, // not listening yet
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} never answered:\n${output.join('')}`);
}

/** SIGTERM, and the exit awaited. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * An admin's "sync now" over HTTP, waited for until the newest sync log is no longer running.
 * `everyPoll` runs once a second while it waits (to sample the app). Returns how the run ended
 * and how long it took.
 */
export async function syncOverHttp(
  base: string,
  adminHeaders: Record<string, string>,
  everyPoll: () => void = () => undefined,
): Promise<{ status: string; seconds: number }> {
  const t0 = Date.now();
  await fetch(`${base}/admin/queue/sync-now`, { method: 'POST', headers: adminHeaders });
  let failedPolls = 0;
  for (;;) {
    await sleep(1000);
    everyPoll();
    let logs: { status: string }[];
    try {
      const res = await fetch(`${base}/admin/queue/sync-logs`, { headers: adminHeaders });
      logs = (await res.json()) as { status: string }[];
      failedPolls = 0;
    } catch (err) {
      // A kept-alive connection the server closed as this poll went out: ask again, a few times.
      if (++failedPolls > 5) throw err;
      continue;
    }
    if (logs[0] && logs[0].status !== 'running') {
      return { status: logs[0].status, seconds: Math.round((Date.now() - t0) / 1000) };
    }
  }
}
