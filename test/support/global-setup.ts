import 'reflect-metadata';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/database/database.module';

/**
 * Runs once per jest project: migrates an empty SQLite file into a template that each
 * test copies (test/support/db.ts), so every medium/e2e test starts from the real schema
 * produced by the real migrations, without paying for them each time.
 */
export const TEMPLATE_DB = join(__dirname, '..', '..', '.test-cache', 'template.db');

export default async function globalSetup(): Promise<void> {
  mkdirSync(join(TEMPLATE_DB, '..'), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(TEMPLATE_DB + suffix)) rmSync(TEMPLATE_DB + suffix);
  }
  const dataSource = await openDatabase(TEMPLATE_DB);
  // Fold the WAL into the main file so a plain copy is complete.
  await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
  await dataSource.destroy();
}
