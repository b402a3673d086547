import 'reflect-metadata';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/database/database.module';

/**
 * Runs once per jest project: migrates an empty SQLite file into a template that each
 * test copies (test/support/db.ts), so every medium/e2e test starts from the real schema
 * produced by the real migrations, without paying for them each time.
 */
const CACHE_DIR = join(__dirname, '..', '..', '.test-cache');

/** This run's template (one per jest process, so concurrent runs never share one). */
export function templateDbPath(): string {
  return process.env.WQ_TEST_TEMPLATE_DB ?? join(CACHE_DIR, 'template.db');
}

export default async function globalSetup(): Promise<void> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const template = join(CACHE_DIR, `template-${process.pid}.db`);
  // Workers start after globalSetup and inherit the environment.
  process.env.WQ_TEST_TEMPLATE_DB = template;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(template + suffix)) rmSync(template + suffix);
  }
  const dataSource = await openDatabase(template, () => undefined);
  // Fold the WAL into the main file so a plain copy is complete.
  await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
  await dataSource.destroy();
}
