import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class SpendRemovalUid1796120599893 implements MigrationInterface {
  name = 'SpendRemovalUid1796120599893';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_spend_requests_uid"`);
    await queryRunner.query(`DROP INDEX "idx_spend_requests_state"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_spend_requests" ("request_id" text PRIMARY KEY NOT NULL, "username" text NOT NULL, "uid" integer, "friendly_token" text, "tier" text NOT NULL, "z_cost" integer, "created_at" datetime NOT NULL, "refunded" boolean NOT NULL DEFAULT (0), "refunded_at" datetime, "state" text NOT NULL DEFAULT ('pending'), "client_key" text, "title" text, "media_type" text, "media_id" text, "duration_sec" integer, "refunded_z" integer, "refund_reason" text, "error" text, "updated_at" datetime, "removal_uid" integer, CONSTRAINT "UQ_73599fba6a17ff5d177d0a83cf4" UNIQUE ("client_key"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_spend_requests"("request_id", "username", "uid", "friendly_token", "tier", "z_cost", "created_at", "refunded", "refunded_at", "state", "client_key", "title", "media_type", "media_id", "duration_sec", "refunded_z", "refund_reason", "error", "updated_at") SELECT "request_id", "username", "uid", "friendly_token", "tier", "z_cost", "created_at", "refunded", "refunded_at", "state", "client_key", "title", "media_type", "media_id", "duration_sec", "refunded_z", "refund_reason", "error", "updated_at" FROM "spend_requests"`,
    );
    await queryRunner.query(`DROP TABLE "spend_requests"`);
    await queryRunner.query(`ALTER TABLE "temporary_spend_requests" RENAME TO "spend_requests"`);
    await queryRunner.query(`CREATE INDEX "idx_spend_requests_uid" ON "spend_requests" ("uid") `);
    await queryRunner.query(`CREATE INDEX "idx_spend_requests_state" ON "spend_requests" ("state") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_spend_requests_state"`);
    await queryRunner.query(`DROP INDEX "idx_spend_requests_uid"`);
    await queryRunner.query(`ALTER TABLE "spend_requests" RENAME TO "temporary_spend_requests"`);
    await queryRunner.query(
      `CREATE TABLE "spend_requests" ("request_id" text PRIMARY KEY NOT NULL, "username" text NOT NULL, "uid" integer, "friendly_token" text, "tier" text NOT NULL, "z_cost" integer, "created_at" datetime NOT NULL, "refunded" boolean NOT NULL DEFAULT (0), "refunded_at" datetime, "state" text NOT NULL DEFAULT ('pending'), "client_key" text, "title" text, "media_type" text, "media_id" text, "duration_sec" integer, "refunded_z" integer, "refund_reason" text, "error" text, "updated_at" datetime, CONSTRAINT "UQ_73599fba6a17ff5d177d0a83cf4" UNIQUE ("client_key"))`,
    );
    await queryRunner.query(
      `INSERT INTO "spend_requests"("request_id", "username", "uid", "friendly_token", "tier", "z_cost", "created_at", "refunded", "refunded_at", "state", "client_key", "title", "media_type", "media_id", "duration_sec", "refunded_z", "refund_reason", "error", "updated_at") SELECT "request_id", "username", "uid", "friendly_token", "tier", "z_cost", "created_at", "refunded", "refunded_at", "state", "client_key", "title", "media_type", "media_id", "duration_sec", "refunded_z", "refund_reason", "error", "updated_at" FROM "temporary_spend_requests"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_spend_requests"`);
    await queryRunner.query(`CREATE INDEX "idx_spend_requests_state" ON "spend_requests" ("state") `);
    await queryRunner.query(`CREATE INDEX "idx_spend_requests_uid" ON "spend_requests" ("uid") `);
  }
}
