import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Derived browse columns on `catalog` (hidden, sort_group, title_sort) and one index per sort.
 * Generated, then changed from TypeORM's table rebuild to ADD COLUMN: with foreign keys on,
 * the rebuild's DROP TABLE would cascade-delete every category/tag membership. The backfill
 * repeats sortGroup/titleSortKey (catalog.rules) in SQL; `hidden` is recomputed at start-up
 * and after each sync by CatalogSyncRepository.refreshHidden.
 */
export class CatalogBrowseKeys1795504363727 implements MigrationInterface {
  name = 'CatalogBrowseKeys1795504363727';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "catalog" ADD COLUMN "hidden" boolean NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "catalog" ADD COLUMN "sort_group" integer NOT NULL DEFAULT (3)`);
    await queryRunner.query(`ALTER TABLE "catalog" ADD COLUMN "title_sort" text NOT NULL DEFAULT ('')`);
    await queryRunner.query(
      `UPDATE "catalog" SET "title_sort" = lower("title"), "sort_group" = ` +
        `(CASE WHEN "cover_art_source" IN ('tmdb', 'omdb') THEN 0 ELSE 2 END) + ` +
        `(CASE WHEN lower(substr("title", 1, 1)) BETWEEN 'a' AND 'z' THEN 0 ELSE 1 END)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_visibility" ON "catalog" ("friendly_token", "hidden", "gone_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_browse_added" ON "catalog" ("added_at", "synced_at", "friendly_token", "hidden", "gone_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_browse_title" ON "catalog" ("title_sort", "friendly_token", "hidden", "gone_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_browse_default" ON "catalog" ("sort_group", "title_sort", "friendly_token", "hidden", "gone_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_catalog_browse_default"`);
    await queryRunner.query(`DROP INDEX "idx_catalog_browse_title"`);
    await queryRunner.query(`DROP INDEX "idx_catalog_browse_added"`);
    await queryRunner.query(`DROP INDEX "idx_catalog_visibility"`);
    await queryRunner.query(`ALTER TABLE "catalog" DROP COLUMN "title_sort"`);
    await queryRunner.query(`ALTER TABLE "catalog" DROP COLUMN "sort_group"`);
    await queryRunner.query(`ALTER TABLE "catalog" DROP COLUMN "hidden"`);
  }
}
