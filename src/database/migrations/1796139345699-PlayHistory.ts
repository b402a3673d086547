import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class PlayHistory1796139345699 implements MigrationInterface {
  name = 'PlayHistory1796139345699';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "play_history" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "uid" integer NOT NULL, "media_type" text NOT NULL, "media_id" text NOT NULL, "title" text, "duration_sec" integer, "is_promo" boolean NOT NULL DEFAULT (0), "promo_type" text, "is_pay" boolean NOT NULL DEFAULT (0), "started_at" datetime NOT NULL, "inferred" boolean NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_play_history_media" ON "play_history" ("media_type", "media_id") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_play_history_started_at" ON "play_history" ("started_at") `);
    await queryRunner.query(
      `CREATE TABLE "promo_decisions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" datetime NOT NULL, "source" text NOT NULL, "slot" text NOT NULL, "promo_type" text NOT NULL, "pool_id" integer, "clip_key" text, "clip_title" text, "target_uid" integer NOT NULL, "uid" integer, "outcome" text NOT NULL, "error" text, "seed" integer, "draws" integer NOT NULL DEFAULT (0), "detail" text NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_promo_decisions_at" ON "promo_decisions" ("at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_promo_decisions_at"`);
    await queryRunner.query(`DROP TABLE "promo_decisions"`);
    await queryRunner.query(`DROP INDEX "idx_play_history_started_at"`);
    await queryRunner.query(`DROP INDEX "idx_play_history_media"`);
    await queryRunner.query(`DROP TABLE "play_history"`);
  }
}
