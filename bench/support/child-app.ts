import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
    }),
  );
  return path;
}

/** `node` with these arguments on core 0 (`taskset`), with its output kept for a failure message. */
export function onCoreZero(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; output: string[] } {
  const output: string[] = [];
  const child = spawn('taskset', ['-c', '0', process.execPath, ...args], {
    cwd: PROJECT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return { child, output };
}
