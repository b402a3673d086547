import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { type DataSource } from 'typeorm';
import { openDatabase } from '../../../src/database/database.module';
import {
  MainConnectionReads,
  openReadConnection,
  ReadQueryError,
  type ReadConnection,
  SqliteWorkerReads,
} from '../../../src/database/read-connection';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { freshDatabase, TEST_ON_POSTGRES } from '../../support/db';
import { captureLogs } from '../../support/logs';

const quiet = (): void => undefined;

/** The worker behind a read connection (to end it as a crash would). */
function workerOf(reads: ReadConnection): Worker {
  return (reads as unknown as { worker: Worker }).worker;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`never happened: ${what}`);
}

/** Inserts `n` catalog rows on the main connection, one committed statement. */
async function insertRows(dataSource: DataSource, from: number, n: number): Promise<void> {
  const now = new Date();
  await dataSource.getRepository(CatalogItemEntity).insert(
    Array.from({ length: n }, (_, i) => ({
      friendly_token: `tok${String(from + i).padStart(6, '0')}`,
      title: `Title ${from + i}`,
      description: 'x'.repeat(200),
      duration_sec: 60,
      manifest_url: `https://media.example/api/v1/media/cytube/tok${from + i}.json`,
      thumbnail_url: null,
      added_at: now,
      updated_at: now,
      synced_at: now,
      hidden: false,
      sort_group: 2,
      title_sort: `title ${from + i}`,
    })),
  );
}

// The worker exists only for an SQLite file; the PostgreSQL run reads through its pool.
(TEST_ON_POSTGRES ? describe.skip : describe)(
  'the read connection on an SQLite file (skipped in the PostgreSQL run, which has no worker)',
  () => {
    let dataSource: DataSource;
    let path: string;
    let reads: ReadConnection;
    beforeEach(async () => {
      path = freshDatabase();
      dataSource = await openDatabase(path, quiet);
      reads = await openReadConnection(dataSource);
    });
    afterEach(async () => {
      await reads.close();
      await dataSource.destroy();
    });

    it('answers on a worker thread, with what the main connection committed, booleans bound as 1/0', async () => {
      expect(reads).toBeInstanceOf(SqliteWorkerReads);
      await insertRows(dataSource, 0, 5);
      const rows = await reads.rawMany<{ token: string }>(
        dataSource
          .getRepository(CatalogItemEntity)
          .createQueryBuilder('c')
          .select('c.friendly_token', 'token')
          .where('c.hidden = :hidden', { hidden: false })
          .orderBy('c.friendly_token', 'ASC'),
      );
      expect(rows.map((r) => r.token)).toEqual([
        'tok000000',
        'tok000001',
        'tok000002',
        'tok000003',
        'tok000004',
      ]);
      expect(await reads.query('SELECT ? AS yes, ? AS no', [true, false])).toEqual([{ yes: 1, no: 0 }]);
    });

    it("rejects a bad statement with SQLite's own message, and never writes", async () => {
      const fts = reads.query('SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH ?', ['"unterminated']);
      await expect(fts).rejects.toBeInstanceOf(ReadQueryError);
      await expect(fts).rejects.toThrow(/unterminated string|fts5/);
      await expect(
        reads.query("DELETE FROM catalog WHERE friendly_token = 'x' RETURNING friendly_token", []),
      ).rejects.toThrow(/readonly|query_only|attempt to write/i);
    });

    it('checkpoints the WAL into the database file itself: the main connection never does', async () => {
      expect(await dataSource.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0 }]);
      const before = statSync(path).size;
      // Well past SQLite's automatic checkpoint (1,000 pages), which is off on the main connection.
      for (let i = 0; i < 20; i++) await insertRows(dataSource, i * 500, 500);
      await until(
        () => statSync(path).size > before + 2_000_000,
        'the database file grew by the checkpointed pages',
      );
      const [{ n }] = await reads.query<{ n: number }>('SELECT COUNT(*) AS n FROM catalog', []);
      expect(n).toBe(10_000);
    });

    it('keeps the WAL to about one transaction past the mark for a writer that settles it in between', async () => {
      await reads.close();
      reads = await SqliteWorkerReads.start(dataSource, path, 1024 * 1024);
      const before = statSync(path).size;
      let largest = 0;
      for (let i = 0; i < 30; i++) {
        await insertRows(dataSource, i * 500, 500);
        largest = Math.max(largest, statSync(`${path}-wal`).size);
        await reads.settleWal();
      }
      // Over 10 MB checkpointed (the same loop without settling leaves a WAL of about 17 MB), through a
      // WAL that started over after each checkpoint instead of growing.
      expect(statSync(path).size - before).toBeGreaterThan(10 * 1024 * 1024);
      expect(largest).toBeLessThan(3 * 1024 * 1024);
      const [{ n }] = await reads.query<{ n: number }>('SELECT COUNT(*) AS n FROM catalog', []);
      expect(n).toBe(15_000);
    });

    it('moves reads and checkpoints back to the main connection when the worker dies, and says so', async () => {
      const logs = captureLogs();
      try {
        await insertRows(dataSource, 0, 3);
        await workerOf(reads).terminate();
        await until(
          () => logs.lines().some((l) => l.includes('reads moved to the main connection')),
          'the warning',
        );
        expect(await reads.query('SELECT COUNT(*) AS n FROM catalog', [])).toEqual([{ n: 3 }]);
        await until(async () => {
          const [row] = await dataSource.query<{ wal_autocheckpoint: number }[]>('PRAGMA wal_autocheckpoint');
          return row.wal_autocheckpoint === 1000;
        }, 'automatic checkpoints back on');
      } finally {
        logs.restore();
      }
      expect(logs.lines().filter((l) => /WARN/.test(l))).toEqual([
        expect.stringMatching(/reads moved to the main connection: the read worker exited with code 1/),
      ]);
    });

    it('answers every read asked before close, then the main connection answers', async () => {
      await insertRows(dataSource, 0, 2);
      const asked = Array.from({ length: 20 }, () => reads.query('SELECT COUNT(*) AS n FROM catalog', []));
      await reads.close();
      expect(await Promise.all(asked)).toEqual(Array.from({ length: 20 }, () => [{ n: 2 }]));
      expect(await reads.query('SELECT COUNT(*) AS n FROM catalog', [])).toEqual([{ n: 2 }]);
    });
  },
);

describe('the read connection elsewhere', () => {
  it('is the main connection for an in-memory SQLite database or PostgreSQL', async () => {
    const dataSource = await openDatabase(TEST_ON_POSTGRES ? freshDatabase() : ':memory:', quiet);
    try {
      const reads = await openReadConnection(dataSource);
      expect(reads).toBeInstanceOf(MainConnectionReads);
      expect(await reads.query('SELECT 1 AS one', [])).toEqual([{ one: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
