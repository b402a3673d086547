import { Logger } from '@nestjs/common';
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Where the heavy read-only queries go: catalog counts, search pages and facets. On an SQLite
 * file that is a worker thread with its own connection (`SqliteWorkerReads`): better-sqlite3 runs
 * a query synchronously, so a 30 ms count on the main connection is 30 ms in which no request,
 * socket or timer moves. Everywhere else (PostgreSQL's pool, an in-memory database) it is the
 * main connection.
 *
 * A read on its own connection sees what was committed when it started, never a write still
 * inside an open transaction; the callers only read what a sync page or an admin action has
 * committed.
 */
export abstract class ReadConnection {
  /** Rows of one read-only statement, with `?` / `$n` parameters as the driver expects. */
  abstract query<T extends ObjectLiteral>(sql: string, parameters: readonly unknown[]): Promise<T[]>;

  /** The raw rows of a built query (what `getRawMany` would give). */
  rawMany<T extends ObjectLiteral>(qb: SelectQueryBuilder<ObjectLiteral>): Promise<T[]> {
    const [sql, parameters] = qb.getQueryAndParameters();
    return this.query<T>(sql, parameters);
  }

  async rawOne<T extends ObjectLiteral>(qb: SelectQueryBuilder<ObjectLiteral>): Promise<T | undefined> {
    return (await this.rawMany<T>(qb))[0];
  }

  /**
   * For a writer that writes a lot in a row (a sync's pages, a repair's slices), between two
   * transactions: once the SQLite WAL has grown past a few pages' worth, waits while the worker
   * copies it into the database file. With every frame copied, the next transaction starts the
   * WAL over from its beginning, so it stays small; a writer that never pauses leaves the
   * checkpoint behind forever, the WAL grows by gigabytes, and cutting it back to its size limit
   * later is a second-long stall on the main thread. Nothing to do elsewhere.
   */
  async settleWal(): Promise<void> {}

  /** Ends the worker, if there is one. */
  async close(): Promise<void> {}

  /** Nest calls this on shutdown. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

/** The main connection (PostgreSQL's pool never blocks the loop; `:memory:` has no second connection). */
export class MainConnectionReads extends ReadConnection {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  query<T extends ObjectLiteral>(sql: string, parameters: readonly unknown[]): Promise<T[]> {
    return this.dataSource.query<T[]>(sql, [...parameters]);
  }
}

/** How often the worker checkpoints the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 1000;
/** SQLite's own default, back on the main connection if the worker is gone. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** The WAL file is cut back to this after a checkpoint empties it (it only grows otherwise). */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
/**
 * A bulk writer waits for a checkpoint past this (settleWal): below the size limit by more than
 * one sync page writes (about 15–30 MB at 1,000 items), so the file never needs cutting back.
 */
const WAL_SETTLE_BYTES = 24 * 1024 * 1024;

/**
 * The worker, as source (a `.ts` file cannot be loaded as a worker under the test runner). It
 * opens the file with `query_only` set, answers `{id, sql, params}` with `{id, rows}` or
 * `{id, error}`, keeps its prepared statements, and checkpoints the WAL on a timer: PASSIVE
 * never waits for or blocks a writer or reader, and moves the page copy and both fsyncs (50–150 ms
 * on a VM disk) off the main thread.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('query_only = 1');
const statements = new Map();
function statement(sql) {
  let st = statements.get(sql);
  if (st === undefined) {
    if (statements.size >= 500) statements.delete(statements.keys().next().value);
    st = db.prepare(sql);
    statements.set(sql, st);
  }
  return st;
}
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ checkpointError: String(err && err.message || err) }); }
}, workerData.checkpointEveryMs);
parentPort.on('message', (message) => {
  if (message.close) {
    clearInterval(timer);
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, rows: statement(message.sql).all(...message.params) });
  } catch (err) {
    parentPort.postMessage({ id: message.id, error: { message: String(err && err.message || err), code: err && err.code } });
  }
});
parentPort.postMessage({ ready: true });
`;

interface Pending {
  sql: string;
  parameters: readonly unknown[];
  resolve: (rows: never[]) => void;
  reject: (err: Error) => void;
}

type WorkerMessage =
  | { ready: true }
  | { checkpointError: string }
  | { id: number; rows: never[] }
  | { id: number; error: { message: string; code?: string } };

/** A worker thread's error, with SQLite's code kept (callers tell an FTS syntax error by its message). */
export class ReadQueryError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ReadQueryError';
  }
}

/**
 * Reads on a worker thread with its own connection to the SQLite file, which also checkpoints
 * the WAL (the main connection's automatic checkpoints are off while it runs). If the worker
 * fails to start or dies, every read goes to the main connection and it checkpoints again, so
 * a broken worker costs speed, never an answer.
 */
export class SqliteWorkerReads extends ReadConnection {
  private readonly logger = new Logger('Database');
  private readonly fallback: MainConnectionReads;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private worker: Worker | null;
  private closing = false;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly path: string,
    worker: Worker,
    private readonly settleWalBytes: number,
  ) {
    super();
    this.fallback = new MainConnectionReads(dataSource);
    this.worker = worker;
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (err) => this.lose(`failed: ${err.message}`));
    worker.on('exit', (code) => this.lose(`exited with code ${code}`));
    // Only what keeps the process alive while a read is owed; close() ends it on shutdown.
    worker.unref();
  }

  /** Starts the worker on the SQLite file at `path` and waits until it has opened it. */
  static async start(
    dataSource: DataSource,
    path: string,
    settleWalBytes = WAL_SETTLE_BYTES,
  ): Promise<ReadConnection> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), path, checkpointEveryMs: CHECKPOINT_EVERY_MS },
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 },
    });
    const listeners: {
      message?: (m: WorkerMessage) => void;
      error?: (e: Error) => void;
      exit?: (c: number) => void;
    } = {};
    try {
      await new Promise<void>((resolve, reject) => {
        listeners.message = (message) => {
          if ('ready' in message) resolve();
        };
        listeners.error = reject;
        listeners.exit = (code) => reject(new Error(`the read worker exited with code ${code}`));
        worker.on('message', listeners.message).on('error', listeners.error).on('exit', listeners.exit);
      });
    } catch (err) {
      await worker.terminate();
      new Logger('Database').warn(
        `reads stay on the main connection: the read worker did not start (${(err as Error).message})`,
      );
      return new MainConnectionReads(dataSource);
    } finally {
      // Only our own listeners: Node keeps some of its own on a worker.
      if (listeners.message) worker.off('message', listeners.message);
      if (listeners.error) worker.off('error', listeners.error);
      if (listeners.exit) worker.off('exit', listeners.exit);
    }
    await dataSource.query('PRAGMA wal_autocheckpoint = 0');
    await dataSource.query(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    return new SqliteWorkerReads(dataSource, path, worker, settleWalBytes);
  }

  query<T extends ObjectLiteral>(sql: string, parameters: readonly unknown[]): Promise<T[]> {
    const worker = this.worker;
    if (worker === null) return this.fallback.query<T>(sql, parameters);
    const id = this.nextId++;
    // better-sqlite3 binds no booleans (TypeORM's own runner turns them into 1/0 the same way).
    const params = parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    return new Promise<T[]>((resolve, reject) => {
      // Held while a read is owed, so a script awaiting one does not exit under it.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { sql, parameters, resolve, reject });
      worker.postMessage({ id, sql, params });
    });
  }

  override async settleWal(): Promise<void> {
    if (this.worker === null || walBytes(this.path) < this.settleWalBytes) return;
    // A reader on an older snapshot can hold back the last frames: a few tries, never a wait.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [result] = await this.query<{ log: number; checkpointed: number }>(
        'PRAGMA wal_checkpoint(PASSIVE)',
        [],
      );
      if (!result || result.checkpointed >= result.log) return;
    }
  }

  override async close(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.closing = true;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ close: true });
    const timeout = setTimeout(() => void worker.terminate(), 2000);
    await exited;
    clearTimeout(timeout);
  }

  private onMessage(message: WorkerMessage): void {
    if ('checkpointError' in message) {
      this.logger.warn(`WAL checkpoint failed: ${message.checkpointError}`);
      return;
    }
    if (!('id' in message)) return;
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in message) waiting.reject(new ReadQueryError(message.error.message, message.error.code));
    else waiting.resolve(message.rows);
  }

  /**
   * The worker is gone: the reads it still owed, later reads and the checkpoints go to the main
   * connection.
   */
  private lose(why: string): void {
    if (this.worker === null) return;
    this.worker = null;
    const owed = [...this.pending.values()];
    this.pending.clear();
    for (const read of owed) {
      this.fallback
        .query(read.sql, read.parameters)
        .then(read.resolve as (rows: unknown[]) => void, read.reject);
    }
    if (this.closing) return;
    this.logger.warn(`reads moved to the main connection: the read worker ${why}`);
    void this.dataSource
      .query(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`)
      .catch((err: Error) => this.logger.warn(`could not turn checkpoints back on: ${err.message}`));
  }
}

/** The size of the WAL file beside the database at `path` (0 when there is none). */
function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

/** The read connection for this data source: a worker on an SQLite file, else the main connection. */
export async function openReadConnection(dataSource: DataSource): Promise<ReadConnection> {
  const path = dataSource.options.type === 'better-sqlite3' ? String(dataSource.options.database) : '';
  if (path === '' || path === ':memory:') return new MainConnectionReads(dataSource);
  return SqliteWorkerReads.start(dataSource, path);
}
