import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createDataSource, sqliteOptions } from '../../../src/database/data-source';
import { openDatabase } from '../../../src/database/database.module';
import { MIGRATIONS, POSTGRES_MIGRATIONS } from '../../../src/database/migrations';
import { CatalogSearchKey1796300000000 } from '../../../src/database/migrations/1796300000000-CatalogSearchKey';
import { CatalogSearchFlags1796300000003 } from '../../../src/database/migrations/1796300000003-CatalogSearchFlags';
import { freshDatabase, TEST_ON_POSTGRES } from '../../support/db';

const quiet = (): void => undefined;

// Each tier run covers its own database: this block on SQLite, the next on PostgreSQL.
(TEST_ON_POSTGRES ? describe.skip : describe)(
  'database and migrations on SQLite (skipped in the PostgreSQL run, which has its own block)',
  () => {
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
      expect(await dataSource.query<unknown[]>('SELECT name FROM migrations')).toHaveLength(
        MIGRATIONS.length,
      );
    });

    it('creates every table of the data model, the promo columns and the FTS5 index', async () => {
      dataSource = await openDatabase(freshDatabase(), quiet);
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

    it('upgrades a catalog indexed the old way: every item keeps its words, keyed by its own search_id', async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'wq-mig-')), 'old.db');
      const before = new DataSource({
        ...sqliteOptions(path),
        migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(CatalogSearchKey1796300000000)),
      });
      await before.initialize();
      await before.runMigrations();
      for (const [token, title] of [
        ['tokA', 'Harbour Lights'],
        ['tokB', 'Night Train'],
      ]) {
        await before.query(
          `INSERT INTO catalog (friendly_token, title, manifest_url) VALUES (?, ?, 'https://cms/' || ?)`,
          [token, title, token],
        );
        await before.query(`INSERT INTO catalog_fts (friendly_token, title, description) VALUES (?, ?, '')`, [
          token,
          title,
        ]);
      }
      await before.destroy();

      dataSource = await openDatabase(path, quiet);
      const found = await dataSource.query<{ friendly_token: string }[]>(
        `SELECT c.friendly_token FROM catalog_fts s JOIN catalog c ON c.search_id = s.rowid ` +
          `WHERE catalog_fts MATCH 'train'`,
      );
      expect(found).toEqual([{ friendly_token: 'tokB' }]);
      const keys = await dataSource.query<{ search_id: number }[]>('SELECT search_id FROM catalog');
      expect(new Set(keys.map((k) => k.search_id)).size).toBe(2);
    });

    it('upgrades the search index with the flag words of hidden and gone rows, kept true by a trigger', async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'wq-mig-')), 'flags.db');
      const before = new DataSource({
        ...sqliteOptions(path),
        migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(CatalogSearchFlags1796300000003)),
      });
      await before.initialize();
      await before.runMigrations();
      for (const [id, token, hidden, gone] of [
        [1, 'tokA', 0, null],
        [2, 'tokB', 1, null],
        [3, 'tokC', 0, '2026-01-01 00:00:00.000'],
      ] as const) {
        await before.query(
          `INSERT INTO catalog (friendly_token, title, manifest_url, hidden, gone_at, search_id) ` +
            `VALUES (?, 'Night Train', 'https://cms/' || ?, ?, ?, ?)`,
          [token, token, hidden, gone, id],
        );
        await before.query(
          `INSERT INTO catalog_fts (rowid, title, description) VALUES (?, 'Night Train', '')`,
          [id],
        );
      }
      await before.destroy();

      dataSource = await openDatabase(path, quiet);
      const flags = (): Promise<{ rowid: number; flags: string }[]> =>
        dataSource!.query('SELECT rowid, flags FROM catalog_fts ORDER BY rowid');
      expect(await flags()).toEqual([
        { rowid: 1, flags: '' },
        { rowid: 2, flags: 'wqhidden' },
        { rowid: 3, flags: 'wqgone' },
      ]);
      await dataSource.query(
        `UPDATE catalog SET hidden = 1, gone_at = '2026-02-01 00:00:00.000' WHERE search_id = 1`,
      );
      await dataSource.query('UPDATE catalog SET hidden = 0 WHERE search_id = 2');
      await dataSource.query('UPDATE catalog SET gone_at = NULL WHERE search_id = 3');
      expect(await flags()).toEqual([
        { rowid: 1, flags: 'wqhidden wqgone' },
        { rowid: 2, flags: '' },
        { rowid: 3, flags: '' },
      ]);
      const found = await dataSource.query<unknown[]>(
        `SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH '{title description} : (train) NOT flags : (wqgone OR wqhidden)'`,
      );
      expect(found).toEqual([{ rowid: 2 }, { rowid: 3 }]);
    });

    it('has no drift between the entities and the migrations', async () => {
      dataSource = await openDatabase(freshDatabase(), quiet);
      // What `migration:generate` would write: it must be nothing.
      const sql = await dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    });

    it('turns on WAL, foreign keys and a busy timeout', async () => {
      dataSource = await openDatabase(freshDatabase(), quiet);
      expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await dataSource.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      expect(await dataSource.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
    });

    it('enforces foreign keys: deleting a playlist cascades to its items and nulls schedules', async () => {
      dataSource = await openDatabase(freshDatabase(), quiet);
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
      dataSource = createDataSource(freshDatabase());
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
  },
);

(TEST_ON_POSTGRES ? describe : describe.skip)(
  'database and migrations on PostgreSQL (skipped in the SQLite run, which has its own block)',
  () => {
    let dataSource: DataSource | undefined;
    afterEach(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
      dataSource = undefined;
    });

    it('migrates, and a second start changes nothing', async () => {
      dataSource = await openDatabase(freshDatabase(), quiet);
      expect(await dataSource.runMigrations()).toEqual([]);
      const applied = await dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
      expect(applied.map((m) => m.name)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.name));
    });

    it('has no drift between the entities and the PostgreSQL migrations', async () => {
      dataSource = await openDatabase(freshDatabase(), quiet);
      const sql = await dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    });

    it('creates the same tables as SQLite, with native timestamps and the full-text index', async () => {
      dataSource = await openDatabase(freshDatabase(), quiet);
      const tables = (
        await dataSource.query<{ table_name: string }[]>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
        )
      ).map((r) => r.table_name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'catalog',
          'catalog_search',
          'queue_shadow',
          'spend_requests',
          'play_history',
        ]),
      );
      const [otp] = await dataSource.query<{ data_type: string }[]>(
        `SELECT data_type FROM information_schema.columns WHERE table_name = 'otps' AND column_name = 'expires_at'`,
      );
      expect(otp.data_type).toBe('timestamp with time zone');
      const indexes = (
        await dataSource.query<{ indexdef: string }[]>(
          `SELECT indexdef FROM pg_indexes WHERE tablename = 'catalog_search'`,
        )
      ).map((r) => r.indexdef);
      expect(indexes.some((d) => /USING gin \(document\)/.test(d))).toBe(true);
      expect(indexes.some((d) => /gin_trgm_ops/.test(d))).toBe(true);
    });

    it('stores a Date and gives back the same instant', async () => {
      dataSource = await openDatabase(freshDatabase(), quiet);
      const repo = dataSource.getRepository('otps');
      const at = new Date('2026-03-01T12:00:00.123Z');
      await repo.insert({ username: 'a', code_hash: 'h', created_at: at, expires_at: at, used: false });
      const row = (await repo.findOneByOrFail({ username: 'a' })) as { expires_at: Date };
      expect(row.expires_at.toISOString()).toBe(at.toISOString());
    });

    it('refuses a database it cannot open with one sentence naming it, password hidden', async () => {
      const url = new URL(freshDatabase());
      url.password = 'not-the-password';
      await expect(openDatabase(url.toString(), quiet)).rejects.toThrow(
        new RegExp(
          `^cannot open the database postgres://${url.username}@${url.host}${url.pathname}: .*password`,
        ),
      );
    });
  },
);

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
