import 'reflect-metadata';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/database/database.module';
import { postgresUrl, psql, runPrefix, TEST_ON_POSTGRES } from './db';

/**
 * Runs once per jest project: migrates an empty database into a template that each test copies
 * (test/support/db.ts), so every medium/e2e test starts from the real schema produced by the real
 * migrations, without paying for them each time. On SQLite the template is a file; on PostgreSQL
 * it is a database (`CREATE DATABASE … TEMPLATE` copies it).
 */
const CACHE_DIR = join(__dirname, '..', '..', '.test-cache');

/** This run's template: a file path on SQLite, a database name on PostgreSQL. */
export function templateDbPath(): string {
  return process.env.WQ_TEST_TEMPLATE_DB ?? join(CACHE_DIR, 'template.db');
}

export default async function globalSetup(): Promise<void> {
  // Workers start after globalSetup and inherit the environment.
  process.env.WQ_TEST_RUN_ID = String(process.pid);
  if (TEST_ON_POSTGRES) {
    const template = `${runPrefix()}template`;
    process.env.WQ_TEST_TEMPLATE_DB = template;
    psql(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE);\nCREATE DATABASE "${template}";`);
    const dataSource = await openDatabase(postgresUrl(template), () => undefined);
    await dataSource.destroy();
    return;
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const template = join(CACHE_DIR, `template-${process.pid}.db`);
  process.env.WQ_TEST_TEMPLATE_DB = template;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(template + suffix)) rmSync(template + suffix);
  }
  const dataSource = await openDatabase(template, () => undefined);
  // Fold the WAL into the main file so a plain copy is complete.
  await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
  await dataSource.destroy();
}
