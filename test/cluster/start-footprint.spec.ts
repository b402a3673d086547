import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@sim/server';
import { freePort, waitFor } from './cluster-harness';

/**
 * The built app as `npm start` runs it, on SQLite alone: the libraries only a job or the
 * scale-out mode uses are not loaded at start-up (they cost about 15 MB of heap between them).
 * In this tier because it needs the built `dist/src/main.js`, as the two-instance tests do.
 */
const PROJECT = join(__dirname, '..', '..');
const ON_DEMAND = ['exceljs', '@azure/msal-node', 'pg', 'ioredis', '@socket.io/redis-adapter'];

// Preloaded into the app: on SIGUSR2 it writes the packages it has loaded, one a line.
const REPORTER = `
process.on('SIGUSR2', () => {
  const names = new Set();
  for (const file of Object.keys(require.cache)) {
    // The innermost package: a library may have its own copy of another under it.
    const match = /^((?:@[^/]+\\/)?[^/]+)\\//.exec(file.split('/node_modules/').slice(1).pop() ?? '');
    if (match) names.add(match[1]);
  }
  require('node:fs').writeFileSync(process.env.WQ_TEST_LOADED_FILE, [...names].join('\\n'));
});
`;

describe('the built app on SQLite', () => {
  let dir: string;
  let sim: RunningSimulator;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wq-footprint-'));
    sim = await startSimulator({ port: 0, seed: 7, clock: 'real', catalogSize: 20 });
  });

  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts without the libraries of the workbook job, SharePoint sign-in, PostgreSQL and Redis', async () => {
    const port = await freePort();
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        secret_key: 'footprint-secret-0123456789-0123456789',
        api_gate_url: sim.url,
        api_gate_token: sim.apiToken,
        mediacms_url: sim.url,
        mediacms_token: sim.mediacmsToken,
        db_path: join(dir, 'webqueue.db'),
        image_dir: join(dir, 'images'),
        placeholder_dir: join(dir, 'images', 'placeholders'),
        host: '127.0.0.1',
        port,
        prometheus_port: 0,
        catalog_sync_interval_hours: 0,
        log_level: 'error',
      }),
    );
    const reporter = join(dir, 'reporter.js');
    writeFileSync(reporter, REPORTER);
    const loadedFile = join(dir, 'loaded.txt');
    const output: string[] = [];
    const child = spawn(
      process.execPath,
      ['-r', reporter, join(PROJECT, 'dist', 'src', 'main.js'), '--config', config],
      {
        cwd: PROJECT,
        env: { ...process.env, NODE_ENV: 'production', WQ_TEST_LOADED_FILE: loadedFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    try {
      await waitFor('the app to answer', async () => {
        if (child.exitCode !== null) throw new Error(`the app exited; its output:\n${output.join('')}`);
        return fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        );
      });
      child.kill('SIGUSR2');
      const loaded = await waitFor('the list of loaded packages', async () => {
        const names = (await readFile(loadedFile, { encoding: 'utf8', flag: 'a+' }))
          .split('\n')
          .filter(Boolean);
        return names.length > 0 && names;
      });
      // The libraries it does need are there, so the list is the app's own.
      expect(loaded).toEqual(expect.arrayContaining(['better-sqlite3', 'typeorm', 'socket.io', 'undici']));
      expect(loaded.filter((name) => ON_DEMAND.includes(name))).toEqual([]);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
