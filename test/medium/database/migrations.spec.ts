import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/database/data-source';
import { openDatabase } from '../../../src/database/database.module';
import { MIGRATIONS } from '../../../src/database/migrations';
import { freshDbPath } from '../../support/db';

const quiet = (): void => undefined;

describe('database and migrations', () => {
  let dataSource: DataSource | undefined;
  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    dataSource = undefined;
  });

  it('migrates an empty database, creating its folder, and a second start changes nothing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wq-mig-')), 'nested', 'folder', 'webqueue.db');
    dataSource = await openDatabase(path, quiet);
    const tablesAfterFirst = await tableNames(dataSource);
    const appliedFirst = await dataSource.query<unknown[]>('SELECT name FROM migrations');
    expect(appliedFirst).toHaveLength(MIGRATIONS.length);
    await dataSource.destroy();

    dataSource = await openDatabase(path, quiet);
    expect(await dataSource.runMigrations()).toEqual([]);
    expect(await tableNames(dataSource)).toEqual(tablesAfterFirst);
    expect(await dataSource.query<unknown[]>('SELECT name FROM migrations')).toHaveLength(MIGRATIONS.length);
  });

  it('creates every table of the data model, the promo columns and the FTS5 index', async () => {
    dataSource = await openDatabase(freshDbPath(), quiet);
    const tables = await tableNames(dataSource);
    for (const table of [
      'catalog',
      'catalog_fts',
      'categories',
      'catalog_categories',
      'tags',
      'catalog_tags',
      'sync_log',
      'otps',
      'queue_shadow',
      'saved_playlists',
      'saved_playlist_items',
      'playlist_schedules',
      'active_schedule',
      'spend_requests',
      'queue_history',
      'job_runs',
    ]) {
      expect(tables).toContain(table);
    }
    const shadowColumns = await columnNames(dataSource, 'queue_shadow');
    expect(shadowColumns).toEqual(expect.arrayContaining(['is_promo', 'promo_type', 'lead_in_for_uid']));
    expect(await columnNames(dataSource, 'saved_playlists')).toContain('promo_type');
    expect(await columnNames(dataSource, 'playlist_schedules')).toEqual(
      expect.arrayContaining(['lock_disabled', 'fallback_playlist_id']),
    );
    expect(await columnNames(dataSource, 'active_schedule')).toEqual(
      expect.arrayContaining(['last_item_uid', 'lock_disabled']),
    );
    expect(await columnNames(dataSource, 'job_runs')).toContain('params');
  });

  it('has no drift between the entities and the migrations', async () => {
    dataSource = await openDatabase(freshDbPath(), quiet);
    // What `migration:generate` would write: it must be nothing.
    const sql = await dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('turns on WAL, foreign keys and a busy timeout', async () => {
    dataSource = await openDatabase(freshDbPath(), quiet);
    expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await dataSource.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    expect(await dataSource.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
  });

  it('enforces foreign keys: deleting a playlist cascades to its items and nulls schedules', async () => {
    dataSource = await openDatabase(freshDbPath(), quiet);
    await dataSource.query(
      `INSERT INTO saved_playlists (id, name, created_by, created_at) VALUES (1, 'P', 'admin', '2026-01-01 00:00:00.000')`,
    );
    await dataSource.query(
      `INSERT INTO saved_playlist_items (playlist_id, position, media_type, media_id) VALUES (1, 0, 'yt', 'abc')`,
    );
    await dataSource.query(
      `INSERT INTO playlist_schedules (playlist_id, label, fire_at, created_at) VALUES (1, 'L', '2026-01-02 00:00:00.000', '2026-01-01 00:00:00.000')`,
    );
    await dataSource.query('DELETE FROM saved_playlists WHERE id = 1');
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM saved_playlist_items')).toEqual([{ n: 0 }]);
    expect(await dataSource.query('SELECT playlist_id FROM playlist_schedules')).toEqual([
      { playlist_id: null },
    ]);
  });

  it('compares timestamps as times, not as text', async () => {
    dataSource = createDataSource(freshDbPath());
    await dataSource.initialize();
    const repo = dataSource.getRepository('otps');
    const now = new Date('2026-03-01T12:00:00Z');
    await repo.insert({
      username: 'a',
      code_hash: 'h',
      created_at: now,
      expires_at: new Date(now.getTime() + 5 * 60_000),
      used: false,
    });
    const count = async (at: Date): Promise<number> =>
      repo.createQueryBuilder('o').where('o.expires_at > :at', { at }).getCount();
    expect(await count(new Date(now.getTime() + 4 * 60_000 + 59_000))).toBe(1);
    expect(await count(new Date(now.getTime() + 5 * 60_000 + 1))).toBe(0);
  });
});

async function tableNames(ds: DataSource): Promise<string[]> {
  const rows = await ds.query<{ name: string }[]>(
    `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
  );
  return rows.map((r) => r.name);
}

async function columnNames(ds: DataSource, table: string): Promise<string[]> {
  const rows = await ds.query<{ name: string }[]>(`PRAGMA table_info("${table}")`);
  return rows.map((r) => r.name);
}
