import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templateDbPath } from './global-setup';

/**
 * Which database the medium and e2e tiers run on: SQLite files (the default) or PostgreSQL when
 * `WQ_TEST_DATABASE=postgres` (`npm run test:postgres`; the server named by WQ_TEST_POSTGRES_URL).
 */
export const TEST_ON_POSTGRES = process.env.WQ_TEST_DATABASE === 'postgres';
export const TEST_POSTGRES_URL =
  process.env.WQ_TEST_POSTGRES_URL ?? 'postgres://webqueue:webqueue@127.0.0.1:5432/webqueue';

/** A database URL on the test server with another database name. */
export function postgresUrl(database: string, base = TEST_POSTGRES_URL): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Run SQL on the test server's maintenance database with psql (synchronous, for test set-up). */
export function psql(sql: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  return execFileSync(
    'psql',
    ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', url.hostname, '-p', url.port || '5432'],
    {
      input: sql,
      encoding: 'utf8',
      env: {
        ...process.env,
        PGUSER: decodeURIComponent(url.username),
        PGPASSWORD: decodeURIComponent(url.password),
        PGDATABASE: url.pathname.slice(1) || 'postgres',
      },
    },
  );
}

/** This test run's databases start with this (one run, one prefix; cleaned up at the end). */
export function runPrefix(): string {
  return `wq_t_${process.env.WQ_TEST_RUN_ID ?? process.pid}_`;
}

let created = 0;

/**
 * A fresh, fully migrated database for one test: a copy of the run's template. A SQLite file
 * path, or a PostgreSQL URL (CREATE DATABASE … TEMPLATE). The databases of earlier test files of
 * this run are dropped first: the files run one after another, so theirs are closed.
 */
export function freshDatabase(): string {
  if (!TEST_ON_POSTGRES) {
    const dir = mkdtempSync(join(tmpdir(), 'wq-test-'));
    const path = join(dir, 'webqueue.db');
    copyFileSync(templateDbPath(), path);
    return path;
  }
  const file = createHash('sha1')
    .update(expect.getState().testPath ?? '')
    .digest('hex')
    .slice(0, 8);
  const prefix = runPrefix();
  const name = `${prefix}${file}_${++created}_${Date.now() % 1_000_000}`;
  const stale = psql(
    `SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%' AND datname NOT LIKE '${prefix}${file}\\_%' AND datname <> '${templateDbPath()}'`,
  )
    .split('\n')
    .filter(Boolean);
  psql(
    [
      ...stale.map((db) => `DROP DATABASE IF EXISTS "${db}" WITH (FORCE);`),
      `CREATE DATABASE "${name}" TEMPLATE "${templateDbPath()}";`,
    ].join('\n'),
  );
  return postgresUrl(name);
}

/** Config keys naming a fresh database (SQLite `db_path`, or `database_url` on PostgreSQL). */
export function freshDatabaseConfig(): { db_path: string; database_url: string } {
  const location = freshDatabase();
  return TEST_ON_POSTGRES
    ? { db_path: join(tempDir('wq-unused-'), 'unused.db'), database_url: location }
    : { db_path: location, database_url: '' };
}

/** A fresh empty folder (image_dir and the like). */
export function tempDir(prefix = 'wq-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
