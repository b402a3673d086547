import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full-text index keyed by an integer: `catalog.search_id` (filled from the current rowids),
 * a covering index from it to every filter and sort key, and `catalog_fts` rebuilt with
 * `rowid = search_id` and no token column. A search then joins its matches to the catalog by
 * integer instead of reading each match's stored token and looking it up by text.
 */
export class CatalogSearchKey1796300000000 implements MigrationInterface {
  name = 'CatalogSearchKey1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "catalog" ADD COLUMN "search_id" integer`);
    await queryRunner.query(`UPDATE "catalog" SET "search_id" = rowid`);
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_search" ON "catalog" ("search_id", "hidden", "gone_at", "duration_sec", "sort_group", "title_sort", "added_at", "synced_at", "friendly_token") `,
    );
    await queryRunner.query(`DROP TABLE IF EXISTS "catalog_fts"`);
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "catalog_fts" USING fts5(` +
        `title, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
    );
    await queryRunner.query(
      `INSERT INTO "catalog_fts" (rowid, title, description) ` +
        `SELECT "search_id", "title", coalesce("description", '') FROM "catalog"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "catalog_fts"`);
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "catalog_fts" USING fts5(` +
        `friendly_token UNINDEXED, title, description, ` +
        `tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
    );
    await queryRunner.query(
      `INSERT INTO "catalog_fts" (friendly_token, title, description) ` +
        `SELECT "friendly_token", "title", coalesce("description", '') FROM "catalog"`,
    );
    await queryRunner.query(`DROP INDEX "idx_catalog_search"`);
    await queryRunner.query(`ALTER TABLE "catalog" DROP COLUMN "search_id"`);
  }
}
