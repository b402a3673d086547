import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { PostgresTextSearch } from '../../../src/catalog/search/postgres-text.search';
import { CatalogRepository } from '../../../src/catalog/catalog.repository';
import { copyToPostgres } from '../../../src/database/copy-to-postgres';
import { openDatabase } from '../../../src/database/database.module';
import { MainConnectionReads } from '../../../src/database/read-connection';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import { SavedPlaylistItemEntity } from '../../../src/playlists/entities/saved-playlist-item.entity';
import { SpendRequestEntity } from '../../../src/economy/entities/spend-request.entity';
import { freshDatabase, tempDir, TEST_ON_POSTGRES } from '../../support/db';

const quiet = (): void => undefined;

// Needs a PostgreSQL server: it runs in the PostgreSQL tier (npm run test:postgres), which CI runs.
(TEST_ON_POSTGRES ? describe : describe.skip)(
  'moving a SQLite database to PostgreSQL (db:copy; PostgreSQL tier only)',
  () => {
    const open: DataSource[] = [];
    afterEach(async () => {
      for (const ds of open.splice(0)) if (ds.isInitialized) await ds.destroy();
    });

    it('copies every table parents first, continues the ids, builds search, and verifies the counts', async () => {
      const sqlite = await openDatabase(join(tempDir('wq-copy-'), 'old.db'), quiet);
      open.push(sqlite);
      const at = new Date('2026-11-30T20:00:00.250Z');
      await sqlite.getRepository(CatalogItemEntity).insert(
        ['Night of the Lepus', 'Learning C++', 'The Matrix'].map((title, i) => ({
          friendly_token: `tok${i}`,
          title,
          description: null,
          duration_sec: 600,
          manifest_url: `https://media.example/${i}.json`,
          thumbnail_url: null,
          cover_art_path: null,
          cover_art_source: null,
          added_at: at,
          updated_at: at,
          synced_at: at,
          gone_at: null,
          title_sort: title.toLowerCase(),
        })),
      );
      const playlist = await sqlite
        .getRepository(SavedPlaylistEntity)
        .save({ name: 'Friday', created_by: 'boss', created_at: at, is_immutable: true, promo_type: null });
      await sqlite.getRepository(SavedPlaylistItemEntity).insert({
        playlist_id: playlist.id,
        position: 0,
        media_type: 'cm',
        media_id: 'https://media.example/0.json',
        title: 'Night of the Lepus',
        duration_sec: 600,
      });
      await sqlite.getRepository(SpendRequestEntity).insert({
        request_id: 'r1',
        username: 'viewer',
        tier: 'standard',
        z_cost: 250,
        created_at: at,
        state: 'recorded',
        uid: 7,
      });

      const pg = await openDatabase(freshDatabase(), quiet);
      open.push(pg);
      const lines: string[] = [];
      const report = await copyToPostgres(sqlite, pg, (l) => lines.push(l));
      expect(report.ok).toBe(true);
      expect(report.tables.find((t) => t.table === 'catalog')).toEqual({
        table: 'catalog',
        source: 3,
        copied: 3,
      });
      expect(lines).toContain('search index: 3 of 3 catalog item(s)');
      const spend = await pg.getRepository(SpendRequestEntity).findOneByOrFail({ request_id: 'r1' });
      expect(spend.created_at.toISOString()).toBe(at.toISOString());
      // a new playlist gets the next id, not a copied one's
      const next = await pg.getRepository(SavedPlaylistEntity).save({
        name: 'Saturday',
        created_by: 'boss',
        created_at: at,
        is_immutable: false,
        promo_type: null,
      });
      expect(next.id).toBe(playlist.id + 1);
      const search = new PostgresTextSearch(pg, new CatalogRepository(pg, new MainConnectionReads(pg)));
      const found = await search.search(
        { match: '"lepus"*', terms: ['lepus'], literals: [] },
        { visibility: { hiddenCategories: [], hiddenTags: [], excluded: new Set() } },
        'default',
        0,
        10,
      );
      expect(found.hits.map((h) => h.item.title)).toEqual(['Night of the Lepus']);
      // a typo that matches no word falls back to trigram similarity of the title's words
      const typo = await search.search(
        { match: '"metrix"*', terms: ['metrix'], literals: [] },
        { visibility: { hiddenCategories: [], hiddenTags: [], excluded: new Set() } },
        'default',
        0,
        10,
      );
      expect(typo.hits.map((h) => h.item.title)).toEqual(['The Matrix']);

      // A second copy into the same database is refused: nothing is merged or doubled.
      await expect(copyToPostgres(sqlite, pg)).rejects.toThrow(/not empty/);
    });
  },
);
