import { rmSync } from 'node:fs';
import { psql, runPrefix, TEST_ON_POSTGRES } from './db';

/** Removes this run's template and test databases (see global-setup.ts). */
export default function globalTeardown(): void {
  if (TEST_ON_POSTGRES) {
    const prefix = runPrefix();
    const names = psql(`SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'`)
      .split('\n')
      .filter(Boolean);
    if (names.length > 0) psql(names.map((db) => `DROP DATABASE IF EXISTS "${db}" WITH (FORCE);`).join('\n'));
    return;
  }
  const template = process.env.WQ_TEST_TEMPLATE_DB;
  if (!template) return;
  for (const suffix of ['', '-wal', '-shm']) rmSync(template + suffix, { force: true });
}
