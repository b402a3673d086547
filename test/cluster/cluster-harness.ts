import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { signSession } from '../../src/auth/session-token';
import { startSimulator, type RunningSimulator } from '../../sim/server';
import { SimControl } from '../../sim/sim-control';
import { postgresUrl, psql, tempDir, TEST_POSTGRES_URL } from '../support/db';

/**
 * Two real webqueue processes (the built `dist/src/main.js`) on one PostgreSQL database and one
 * Redis, against the simulator on a real clock: what a deployment behind nginx runs.
 */
export const TEST_REDIS_URL = process.env.WQ_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
const SECRET = 'cluster-test-secret-key-that-is-long-enough-0123';
const PROJECT = join(__dirname, '..', '..');

export interface Instance {
  name: string;
  port: number;
  url: string;
  process: ChildProcess | null;
  output: string[];
}

export interface Cluster {
  sim: RunningSimulator;
  ctl: SimControl;
  db: Client;
  databaseUrl: string;
  instances: [Instance, Instance];
  cookie(username: string, rank?: number): string;
  start(instance: Instance): Promise<void>;
  kill9(instance: Instance): Promise<void>;
  /** The instance that says it leads (waits up to `ms` for one). */
  leader(ms?: number): Promise<Instance>;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function health(instance: Instance): Promise<{ leader: boolean; instance: string } | null> {
  try {
    const res = await fetch(`${instance.url}/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? ((await res.json()) as { leader: boolean; instance: string }) : null;
  } catch {
    return null;
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startCluster(config: Record<string, unknown> = {}): Promise<Cluster> {
  const sim = await startSimulator({
    port: 0,
    seed: 11,
    clock: 'real',
    catalogSize: 160,
    world: { economy: { queue_cooldown_minutes: 0, max_queues_per_day: 1000 } },
  });
  const ctl = new SimControl(sim.url);
  const database = `wq_cluster_${process.pid}_${Date.now() % 1_000_000}`;
  psql(`CREATE DATABASE "${database}";`);
  const databaseUrl = postgresUrl(database, TEST_POSTGRES_URL);
  const redis = new Redis(TEST_REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  const dir = tempDir('wq-cluster-');
  const instance = async (name: string): Promise<Instance> => {
    const port = await freePort();
    return { name, port, url: `http://127.0.0.1:${port}`, process: null, output: [] };
  };
  const instances: [Instance, Instance] = [await instance('a'), await instance('b')];
  const configFile = (instance: Instance): string => {
    const path = join(dir, `${instance.name}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        secret_key: SECRET,
        api_gate_url: sim.url,
        api_gate_token: sim.apiToken,
        mediacms_url: sim.url,
        mediacms_token: sim.mediacmsToken,
        database_url: databaseUrl,
        redis_url: TEST_REDIS_URL,
        instance_name: instance.name,
        host: '127.0.0.1',
        port: instance.port,
        prometheus_port: 0,
        image_dir: join(dir, `images-${instance.name}`),
        placeholder_dir: join(dir, `images-${instance.name}`, 'placeholders'),
        state_poll_interval_sec: 0.5,
        playlist_bulk_add_delay_sec: 0.1,
        catalog_sync_on_start: true,
        log_level: 'warn',
        ...config,
      }),
    );
    return path;
  };
  const db = new Client({ connectionString: databaseUrl });
  let dbConnected = false;

  const cluster: Cluster = {
    sim,
    ctl,
    db,
    databaseUrl,
    instances,
    cookie: (username, rank = 1) => `session=${signSession({ username, rank }, SECRET, Date.now(), 24)}`,
    async start(instance) {
      const child = spawn(
        process.execPath,
        [join(PROJECT, 'dist', 'src', 'main.js'), '--config', configFile(instance)],
        {
          cwd: PROJECT,
          env: { ...process.env, WQ_LOG_FORMAT: 'text', NODE_ENV: 'production' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      instance.process = child;
      child.stdout?.on('data', (d: Buffer) => instance.output.push(d.toString()));
      child.stderr?.on('data', (d: Buffer) => instance.output.push(d.toString()));
      await waitFor(`instance ${instance.name} to answer`, () => health(instance), 60_000);
      if (!dbConnected) {
        await db.connect();
        dbConnected = true;
      }
    },
    async kill9(instance) {
      const child = instance.process;
      if (!child) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      instance.process = null;
    },
    async leader(ms = 15_000) {
      return waitFor(
        'a leader',
        async () => {
          for (const instance of instances) {
            if (instance.process && (await health(instance))?.leader) return instance;
          }
          return null;
        },
        ms,
      );
    },
    async close() {
      for (const instance of instances) {
        if (instance.process) {
          const exited = new Promise((resolve) => instance.process?.once('exit', resolve));
          instance.process.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
          instance.process?.kill('SIGKILL');
        }
      }
      if (dbConnected) await db.end();
      await sim.close();
      psql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE);`);
    },
  };
  return cluster;
}
