import { Global, Module, type DynamicModule, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClusterModule } from '../cluster/cluster.module';
import { withoutPassword } from '../common/url';
import { AppConfig } from '../config/app-config';
import {
  createDataSource,
  databaseKind,
  databaseLocation,
  type DatabaseLocation,
  type DatabaseWatch,
  isPostgres,
} from './data-source';
import { openReadConnection, ReadConnection } from './read-connection';

/**
 * Opens the database (SQLite file or PostgreSQL) and runs pending migrations before anything else starts
 * (connect → migrate → ...). Feature modules inject DataSource and
 * build their own repositories from it.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      // The cluster primitives (leader, shared locks) live in the database; every app needs both.
      imports: [ClusterModule],
      providers: [
        {
          provide: DataSource,
          inject: [AppConfig],
          useFactory: async (config: AppConfig) =>
            openDatabase(databaseLocation(config), undefined, { slowQueryMs: config.slow_query_ms }),
        },
        {
          // The heavy catalog reads, off the event loop on an SQLite file (read-connection.ts).
          provide: ReadConnection,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => openReadConnection(dataSource),
        },
      ],
      exports: [DataSource, ReadConnection],
    };
  }
}

/** Open the database and apply pending migrations; `log` hears which ones (tests pass a no-op). */
export async function openDatabase(
  location: DatabaseLocation,
  log: (message: string) => void = (message) => new Logger('Database').log(message),
  watch: DatabaseWatch = {},
): Promise<DataSource> {
  const dataSource = createDataSource(location, watch);
  try {
    await dataSource.initialize();
  } catch (err) {
    throw new DatabaseUnavailableError(location, err);
  }
  const applied = await withMigrationLock(dataSource, () =>
    dataSource.runMigrations({ transaction: 'each' }),
  );
  if (applied.length > 0) {
    log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
  }
  return dataSource;
}

/** The start cannot go on: says which database (password hidden) and why, in one line. */
export class DatabaseUnavailableError extends Error {
  constructor(location: DatabaseLocation, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot open the database ${describeLocation(location)}: ${reason || 'no answer'}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/** `postgres://webqueue:secret@db:5432/wq` → `postgres://webqueue@db:5432/wq`; a path stays a path. */
export function describeLocation(location: DatabaseLocation): string {
  if (databaseKind(location) !== 'postgres') return location;
  return withoutPassword(location) ?? 'postgres://(unreadable URL)';
}

/** Instances that start together take turns to migrate (PostgreSQL advisory lock; SQLite has one writer). */
const MIGRATION_LOCK_KEY = 0x77710001;

async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (!isPostgres(dataSource)) return work();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
