import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class DeviceKeys1796132798644 implements MigrationInterface {
  name = 'DeviceKeys1796132798644';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "device_keys" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" text NOT NULL, "name" text NOT NULL, "key_hash" text NOT NULL, "key_hint" text NOT NULL, "created_at" datetime NOT NULL, "last_used_at" datetime, "revoked_at" datetime, "revoked_by" text, CONSTRAINT "UQ_be4dfff996959cacdd7ee7918d3" UNIQUE ("key_hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_device_keys_username" ON "device_keys" ("username") `);
    await queryRunner.query(
      `CREATE TABLE "device_link_codes" ("code_hash" text PRIMARY KEY NOT NULL, "username" text NOT NULL, "created_at" datetime NOT NULL, "expires_at" datetime NOT NULL, "used_at" datetime)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "device_link_codes"`);
    await queryRunner.query(`DROP INDEX "idx_device_keys_username"`);
    await queryRunner.query(`DROP TABLE "device_keys"`);
  }
}
