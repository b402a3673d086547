import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CatalogFacetIndexes1795503505509 implements MigrationInterface {
  name = 'CatalogFacetIndexes1795503505509';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_categories_category" ON "catalog_categories" ("category_id", "friendly_token") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_tags_tag" ON "catalog_tags" ("tag_id", "friendly_token") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_catalog_tags_tag"`);
    await queryRunner.query(`DROP INDEX "idx_catalog_categories_category"`);
  }
}
