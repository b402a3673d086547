import { createHash } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * A lock that holds across instances: one holder at a time of each name, whichever instance it
 * runs in. Callers serialise inside their own process first (the queue mutex does), so a waiter
 * here is at most one per instance.
 */
export abstract class SharedLock {
  abstract runExclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Take `name` until `release` is called, or null when somebody holds it (long work: jobs). */
  abstract tryHold(name: string): Promise<{ release: () => Promise<void> } | null>;

  /** Run `work` only if nobody holds `name`; null when somebody does. */
  async tryExclusive<T>(name: string, work: () => Promise<T>): Promise<{ value: T } | null> {
    const hold = await this.tryHold(name);
    if (!hold) return null;
    try {
      return { value: await work() };
    } finally {
      await hold.release();
    }
  }
}

/** SQLite: one process, so the in-process locks already are the whole story. */
export class SoloLock extends SharedLock {
  private readonly held = new Set<string>();

  runExclusive<T>(_name: string, work: () => Promise<T>): Promise<T> {
    return work();
  }

  tryHold(name: string): Promise<{ release: () => Promise<void> } | null> {
    if (this.held.has(name)) return Promise.resolve(null);
    this.held.add(name);
    return Promise.resolve({ release: () => Promise.resolve(void this.held.delete(name)) });
  }
}

/** A lock name as a 64-bit advisory lock key (two int4 halves, as PostgreSQL takes them). */
export function advisoryKey(name: string): [number, number] {
  const digest = createHash('sha256').update(`webqueue:${name}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

/**
 * PostgreSQL session advisory locks on a pooled connection held for the work. A holder that
 * dies loses its connection, and with it the lock.
 */
export class PostgresLock extends SharedLock {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async runExclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    const [a, b] = advisoryKey(name);
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock($1, $2)', [a, b]);
      try {
        return await work();
      } finally {
        await unlock(runner, a, b);
      }
    } finally {
      if (!runner.isReleased) await runner.release();
    }
  }

  async tryHold(name: string): Promise<{ release: () => Promise<void> } | null> {
    const [a, b] = advisoryKey(name);
    const runner = this.dataSource.createQueryRunner();
    const rows = (await runner.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [a, b])) as {
      ok: boolean;
    }[];
    if (!rows[0]?.ok) {
      await runner.release();
      return null;
    }
    return {
      release: async () => {
        try {
          await unlock(runner, a, b);
        } finally {
          if (!runner.isReleased) await runner.release();
        }
      },
    };
  }
}

/**
 * Give the lock back. A connection already gone (the database closing at shutdown) has freed its
 * locks with it, so there is nothing left to undo.
 */
async function unlock(runner: QueryRunner, a: number, b: number): Promise<void> {
  if (runner.isReleased) return;
  await runner.query('SELECT pg_advisory_unlock($1, $2)', [a, b]);
}
