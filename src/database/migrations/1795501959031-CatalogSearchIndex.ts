import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLITE-ONLY SEARCH ADAPTER (schema half; the query half is src/catalog/search/).
 * An FTS5 index over catalog title and description, kept by the catalog repository.
 * It stores its own copy of the text (no external content), keyed by friendly_token,
 * so it does not depend on SQLite rowids. On another database this migration does nothing
 * and search uses that database's own adapter.
 */
export class CatalogSearchIndex1795501959031 implements MigrationInterface {
  name = 'CatalogSearchIndex1795501959031';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (!isSqlite(queryRunner)) return;
    await queryRunner.query(
      `CREATE VIRTUAL TABLE IF NOT EXISTS "catalog_fts" USING fts5(` +
        `friendly_token UNINDEXED, title, description, ` +
        `tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (!isSqlite(queryRunner)) return;
    await queryRunner.query(`DROP TABLE IF EXISTS "catalog_fts"`);
  }
}

function isSqlite(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'better-sqlite3';
}
