import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions, type Logger as TypeOrmLogger } from 'typeorm';
import { type DatabaseKind, useTimestampType } from './columns';
import { ALL_ENTITIES } from './entities';
import { MIGRATIONS, POSTGRES_MIGRATIONS } from './migrations';

/**
 * Where the data lives: a SQLite file path (the embedded default) or a `postgres://` URL.
 * One string, so every caller (app, tests, CLI, bench) names a database the same way.
 */
export type DatabaseLocation = string;

export function databaseKind(location: DatabaseLocation): DatabaseKind {
  return /^postgres(ql)?:\/\//i.test(location) ? 'postgres' : 'sqlite';
}

/** The database this config names: `database_url` when set, else the SQLite file `db_path`. */
export function databaseLocation(config: { database_url: string; db_path: string }): DatabaseLocation {
  return config.database_url !== '' ? config.database_url : config.db_path;
}

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

/**
 * PostgreSQL: a pool per instance. Timestamps are `timestamptz` and the session runs in UTC, so
 * a Date goes in and comes out as the same instant. A connect that cannot finish in 10 s fails
 * the start instead of hanging it.
 */
export function postgresOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ALL_ENTITIES,
    migrations: POSTGRES_MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    poolSize: 10,
    connectTimeoutMS: 10_000,
    extra: {
      // UTC sessions; the typo search's word-similarity bar (pg_trgm reads it when it loads).
      options: '-c timezone=UTC -c pg_trgm.word_similarity_threshold=0.35',
      application_name: 'webqueue',
    },
  };
}

/** How a data source watches itself: `slowQueryMs` > 0 logs every query slower than that. */
export interface DatabaseWatch {
  slowQueryMs?: number;
  /** Where the warnings go (default: the Nest logger, context "Database"). */
  warn?: (line: string) => void;
}

export function createDataSource(location: DatabaseLocation, watch: DatabaseWatch = {}): DataSource {
  const kind = databaseKind(location);
  useTimestampType(kind);
  const options = kind === 'postgres' ? postgresOptions(location) : sqliteOptions(location);
  const slowQueryMs = watch.slowQueryMs ?? 0;
  if (slowQueryMs <= 0) return new DataSource(options);
  return new DataSource({
    ...options,
    maxQueryExecutionTime: slowQueryMs,
    logger: new SlowQueryLogger(watch.warn),
  });
}

/** The longest SQL (and parameter list) a slow-query warning prints. */
const SLOW_QUERY_TEXT_LIMIT = 600;

/**
 * TypeORM's logger, reduced to the one thing we ask of it: a warning per slow query, with its
 * time, SQL and parameters, one line each. Everything else TypeORM could log stays off.
 */
export class SlowQueryLogger implements TypeOrmLogger {
  constructor(private readonly warn: (line: string) => void = (line) => new Logger('Database').warn(line)) {}

  logQuerySlow(time: number, query: string, parameters?: unknown[]): void {
    const sql = clip(query.replace(/\s+/g, ' ').trim(), SLOW_QUERY_TEXT_LIMIT);
    const params = parameters && parameters.length > 0 ? ` -- ${clip(JSON.stringify(parameters), 200)}` : '';
    this.warn(`slow query (${time} ms): ${sql}${params}`);
  }

  logQuery(): void {}
  logQueryError(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} chars)`;
}

export function isPostgres(dataSource: DataSource): boolean {
  return dataSource.options.type === 'postgres';
}
