import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `idx_catalog_visibility` also carries the length and sort keys, so a page filtered by category
 * or tag (found by token from the membership table) is filtered and sorted from the index alone.
 * The same SQL on both databases.
 */
export class CatalogVisibilitySortKeys1796300000002 implements MigrationInterface {
  name = 'CatalogVisibilitySortKeys1796300000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_catalog_visibility"`);
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_visibility" ON "catalog" ("friendly_token", "hidden", "gone_at", "duration_sec", "sort_group", "title_sort", "added_at", "synced_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_catalog_visibility"`);
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_visibility" ON "catalog" ("friendly_token", "hidden", "gone_at") `,
    );
  }
}
