import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The flag words of a catalog row aliased `row` (kept here as the schema had it then). */
const FLAGS = (row: string): string =>
  `trim(CASE WHEN ${row}."hidden" THEN 'wqhidden' ELSE '' END || ` +
  `CASE WHEN ${row}."gone_at" IS NOT NULL THEN ' wqgone' ELSE '' END)`;

/**
 * SQLite only. `catalog_fts` gains a third column, `flags`, holding the words `wqhidden` and
 * `wqgone` for a row that is hidden or gone, and a trigger keeps it true whenever `hidden` or
 * `gone_at` changes. A search then counts its visible matches inside FTS5 (`... NOT flags:...`,
 * two posting lists merged) instead of joining every match to the catalog, which was most of a
 * common query's time. PostgreSQL's search is a different index and needs no twin.
 */
export class CatalogSearchFlags1796300000003 implements MigrationInterface {
  name = 'CatalogSearchFlags1796300000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "catalog_fts"`);
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "catalog_fts" USING fts5(` +
        `title, description, flags, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
    );
    await queryRunner.query(
      `INSERT INTO "catalog_fts" (rowid, title, description, flags) ` +
        `SELECT "search_id", "title", coalesce("description", ''), ${FLAGS('c')} FROM "catalog" "c" ` +
        `WHERE "search_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "catalog_fts_flags" AFTER UPDATE OF "hidden", "gone_at" ON "catalog" ` +
        `WHEN new."search_id" IS NOT NULL AND (old."hidden" IS NOT new."hidden" ` +
        `OR (old."gone_at" IS NULL) IS NOT (new."gone_at" IS NULL)) ` +
        `BEGIN UPDATE "catalog_fts" SET flags = ${FLAGS('new')} WHERE rowid = new."search_id"; END`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS "catalog_fts_flags"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "catalog_fts"`);
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "catalog_fts" USING fts5(` +
        `title, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
    );
    await queryRunner.query(
      `INSERT INTO "catalog_fts" (rowid, title, description) ` +
        `SELECT "search_id", "title", coalesce("description", '') FROM "catalog" WHERE "search_id" IS NOT NULL`,
    );
  }
}
