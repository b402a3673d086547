import { DataSource, type DataSourceOptions } from 'typeorm';
import { ALL_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The SQLite connection settings, in one place:
 *  - WAL journal: readers never block the writer (the poller reads while a purchase writes).
 *  - foreign_keys=ON: SQLite ignores FK clauses unless asked (TypeORM turns it on too).
 *  - busy timeout 5 s: a second connection (the CLI, a backup) waits instead of failing.
 *  - synchronous=NORMAL: safe with WAL, far fewer fsyncs.
 */
export function sqliteOptions(dbPath: string): DataSourceOptions {
  return {
    type: 'better-sqlite3',
    database: dbPath,
    entities: ALL_ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    enableWAL: true,
    timeout: 5000,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
    },
  };
}

export function createDataSource(dbPath: string): DataSource {
  return new DataSource(sqliteOptions(dbPath));
}
