import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The twin of CatalogSearchKey: `catalog.search_id` and its covering index. PostgreSQL's own
 * full-text table (`catalog_search`) stays keyed by token; the column keeps the schemas equal,
 * so a database copied either way keeps its keys.
 */
export class PostgresCatalogSearchKey1796300000001 implements MigrationInterface {
  name = 'PostgresCatalogSearchKey1796300000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "catalog" ADD "search_id" integer`);
    await queryRunner.query(
      `UPDATE "catalog" SET "search_id" = k.n FROM ` +
        `(SELECT "friendly_token", row_number() OVER (ORDER BY "friendly_token") AS n FROM "catalog") k ` +
        `WHERE k."friendly_token" = "catalog"."friendly_token"`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_search" ON "catalog" ("search_id", "hidden", "gone_at", "duration_sec", "sort_group", "title_sort", "added_at", "synced_at", "friendly_token") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_catalog_search"`);
    await queryRunner.query(`ALTER TABLE "catalog" DROP COLUMN "search_id"`);
  }
}
