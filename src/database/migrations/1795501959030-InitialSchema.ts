import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class InitialSchema1795501959030 implements MigrationInterface {
  name = 'InitialSchema1795501959030';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "otps" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" text NOT NULL, "code_hash" text NOT NULL, "created_at" datetime NOT NULL, "expires_at" datetime NOT NULL, "used" boolean NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_otps_username" ON "otps" ("username") `);
    await queryRunner.query(
      `CREATE TABLE "revoked_sessions" ("jti" text PRIMARY KEY NOT NULL, "expires_at" datetime NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "catalog" ("friendly_token" text PRIMARY KEY NOT NULL, "title" text NOT NULL, "description" text, "duration_sec" integer, "manifest_url" text NOT NULL, "thumbnail_url" text, "cover_art_path" text, "cover_art_source" text, "added_at" datetime, "updated_at" datetime, "synced_at" datetime, "gone_at" datetime)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_catalog_manifest_url" ON "catalog" ("manifest_url") `);
    await queryRunner.query(
      `CREATE TABLE "categories" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" text NOT NULL, "slug" text NOT NULL, CONSTRAINT "UQ_8b0be371d28245da6e4f4b61878" UNIQUE ("name"), CONSTRAINT "UQ_420d9f679d41281f282f5bc7d09" UNIQUE ("slug"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "catalog_categories" ("friendly_token" text NOT NULL, "category_id" integer NOT NULL, PRIMARY KEY ("friendly_token", "category_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "tags" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" text NOT NULL, CONSTRAINT "UQ_d90243459a697eadb8ad56e9092" UNIQUE ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "catalog_tags" ("friendly_token" text NOT NULL, "tag_id" integer NOT NULL, PRIMARY KEY ("friendly_token", "tag_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sync_log" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "started_at" datetime NOT NULL, "ended_at" datetime, "items_seen" integer NOT NULL DEFAULT (0), "items_new" integer NOT NULL DEFAULT (0), "items_updated" integer NOT NULL DEFAULT (0), "items_gone" integer NOT NULL DEFAULT (0), "errors" integer NOT NULL DEFAULT (0), "status" text NOT NULL DEFAULT ('running'), "message" text)`,
    );
    await queryRunner.query(
      `CREATE TABLE "spend_requests" ("request_id" text PRIMARY KEY NOT NULL, "username" text NOT NULL, "uid" integer, "friendly_token" text, "tier" text NOT NULL, "z_cost" integer, "created_at" datetime NOT NULL, "refunded" boolean NOT NULL DEFAULT (0), "refunded_at" datetime, "state" text NOT NULL DEFAULT ('pending'), "client_key" text, "title" text, "media_type" text, "media_id" text, "duration_sec" integer, "refunded_z" integer, "refund_reason" text, "error" text, "updated_at" datetime, CONSTRAINT "UQ_73599fba6a17ff5d177d0a83cf4" UNIQUE ("client_key"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_spend_requests_state" ON "spend_requests" ("state") `);
    await queryRunner.query(`CREATE INDEX "idx_spend_requests_uid" ON "spend_requests" ("uid") `);
    await queryRunner.query(
      `CREATE TABLE "job_runs" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "job_name" text NOT NULL, "started_at" datetime NOT NULL, "ended_at" datetime, "status" text NOT NULL DEFAULT ('running'), "detail" text, "triggered_by" text, "params" text)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_job_runs_name_started" ON "job_runs" ("job_name", "started_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "saved_playlists" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" text NOT NULL, "description" text, "is_immutable" boolean NOT NULL DEFAULT (0), "created_by" text NOT NULL, "created_at" datetime NOT NULL, "updated_at" datetime, "promo_type" text)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_saved_playlists_promo" ON "saved_playlists" ("promo_type") `);
    await queryRunner.query(
      `CREATE TABLE "saved_playlist_items" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "playlist_id" integer NOT NULL, "position" integer NOT NULL, "media_type" text NOT NULL, "media_id" text NOT NULL, "title" text, "duration_sec" integer, CONSTRAINT "uq_saved_playlist_items_position" UNIQUE ("playlist_id", "position"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "queue_history" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" text NOT NULL, "friendly_token" text, "title" text, "tier" text NOT NULL, "z_cost" integer NOT NULL DEFAULT (0), "queued_at" datetime NOT NULL, "status" text NOT NULL DEFAULT ('queued'), "request_id" text, "uid" integer, "refund_reason" text, "updated_at" datetime)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_queue_history_request_id" ON "queue_history" ("request_id") `);
    await queryRunner.query(`CREATE INDEX "idx_queue_history_username" ON "queue_history" ("username") `);
    await queryRunner.query(
      `CREATE TABLE "queue_shadow" ("uid" integer PRIMARY KEY NOT NULL, "position" integer NOT NULL, "title" text, "friendly_token" text, "media_type" text NOT NULL, "media_id" text NOT NULL, "duration_sec" integer, "is_pay" boolean NOT NULL DEFAULT (0), "paid_by" text, "tier" text, "z_cost" integer, "schedule_id" integer, "estimated_start_at" datetime, "added_at" datetime, "is_promo" boolean NOT NULL DEFAULT (0), "promo_type" text, "lead_in_for_uid" integer, "request_id" text)`,
    );
    await queryRunner.query(
      `CREATE TABLE "active_schedule" ("id" integer PRIMARY KEY NOT NULL, "schedule_id" integer, "playlist_id" integer, "is_immutable" boolean NOT NULL DEFAULT (0), "started_at" datetime, "estimated_end_at" datetime, "last_item_uid" integer, "lock_disabled" boolean NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(
      `CREATE TABLE "playlist_schedules" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "playlist_id" integer, "label" text NOT NULL, "fire_at" datetime NOT NULL, "is_recurring" boolean NOT NULL DEFAULT (0), "rrule" text, "immutability_expires_at" datetime, "pre_fire_lock_minutes" integer NOT NULL DEFAULT (15), "fired_at" datetime, "is_active" boolean NOT NULL DEFAULT (1), "created_by" text, "created_at" datetime NOT NULL, "lock_disabled" boolean NOT NULL DEFAULT (0), "fallback_playlist_id" integer)`,
    );
    await queryRunner.query(
      `CREATE TABLE "app_settings" ("key" text PRIMARY KEY NOT NULL, "value" text NOT NULL, "updated_at" datetime)`,
    );
    await queryRunner.query(
      `CREATE TABLE "temporary_catalog_categories" ("friendly_token" text NOT NULL, "category_id" integer NOT NULL, CONSTRAINT "FK_b1470a1e016edf9514c3e8faafd" FOREIGN KEY ("friendly_token") REFERENCES "catalog" ("friendly_token") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_0224f2730c9d97bc9886f4d093b" FOREIGN KEY ("category_id") REFERENCES "categories" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("friendly_token", "category_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_catalog_categories"("friendly_token", "category_id") SELECT "friendly_token", "category_id" FROM "catalog_categories"`,
    );
    await queryRunner.query(`DROP TABLE "catalog_categories"`);
    await queryRunner.query(`ALTER TABLE "temporary_catalog_categories" RENAME TO "catalog_categories"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_catalog_tags" ("friendly_token" text NOT NULL, "tag_id" integer NOT NULL, CONSTRAINT "FK_46c3958caee6ac228aa254153e5" FOREIGN KEY ("friendly_token") REFERENCES "catalog" ("friendly_token") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_7d4e398915e5195d9c958588975" FOREIGN KEY ("tag_id") REFERENCES "tags" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("friendly_token", "tag_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_catalog_tags"("friendly_token", "tag_id") SELECT "friendly_token", "tag_id" FROM "catalog_tags"`,
    );
    await queryRunner.query(`DROP TABLE "catalog_tags"`);
    await queryRunner.query(`ALTER TABLE "temporary_catalog_tags" RENAME TO "catalog_tags"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_saved_playlist_items" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "playlist_id" integer NOT NULL, "position" integer NOT NULL, "media_type" text NOT NULL, "media_id" text NOT NULL, "title" text, "duration_sec" integer, CONSTRAINT "uq_saved_playlist_items_position" UNIQUE ("playlist_id", "position"), CONSTRAINT "FK_0b2fb899a037368453bdc9934bf" FOREIGN KEY ("playlist_id") REFERENCES "saved_playlists" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_saved_playlist_items"("id", "playlist_id", "position", "media_type", "media_id", "title", "duration_sec") SELECT "id", "playlist_id", "position", "media_type", "media_id", "title", "duration_sec" FROM "saved_playlist_items"`,
    );
    await queryRunner.query(`DROP TABLE "saved_playlist_items"`);
    await queryRunner.query(`ALTER TABLE "temporary_saved_playlist_items" RENAME TO "saved_playlist_items"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_playlist_schedules" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "playlist_id" integer, "label" text NOT NULL, "fire_at" datetime NOT NULL, "is_recurring" boolean NOT NULL DEFAULT (0), "rrule" text, "immutability_expires_at" datetime, "pre_fire_lock_minutes" integer NOT NULL DEFAULT (15), "fired_at" datetime, "is_active" boolean NOT NULL DEFAULT (1), "created_by" text, "created_at" datetime NOT NULL, "lock_disabled" boolean NOT NULL DEFAULT (0), "fallback_playlist_id" integer, CONSTRAINT "FK_0a040d254b27bf8cf7868ea8281" FOREIGN KEY ("playlist_id") REFERENCES "saved_playlists" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "FK_5cb71edc2cc1f6b31066ceec957" FOREIGN KEY ("fallback_playlist_id") REFERENCES "saved_playlists" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_playlist_schedules"("id", "playlist_id", "label", "fire_at", "is_recurring", "rrule", "immutability_expires_at", "pre_fire_lock_minutes", "fired_at", "is_active", "created_by", "created_at", "lock_disabled", "fallback_playlist_id") SELECT "id", "playlist_id", "label", "fire_at", "is_recurring", "rrule", "immutability_expires_at", "pre_fire_lock_minutes", "fired_at", "is_active", "created_by", "created_at", "lock_disabled", "fallback_playlist_id" FROM "playlist_schedules"`,
    );
    await queryRunner.query(`DROP TABLE "playlist_schedules"`);
    await queryRunner.query(`ALTER TABLE "temporary_playlist_schedules" RENAME TO "playlist_schedules"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "playlist_schedules" RENAME TO "temporary_playlist_schedules"`);
    await queryRunner.query(
      `CREATE TABLE "playlist_schedules" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "playlist_id" integer, "label" text NOT NULL, "fire_at" datetime NOT NULL, "is_recurring" boolean NOT NULL DEFAULT (0), "rrule" text, "immutability_expires_at" datetime, "pre_fire_lock_minutes" integer NOT NULL DEFAULT (15), "fired_at" datetime, "is_active" boolean NOT NULL DEFAULT (1), "created_by" text, "created_at" datetime NOT NULL, "lock_disabled" boolean NOT NULL DEFAULT (0), "fallback_playlist_id" integer)`,
    );
    await queryRunner.query(
      `INSERT INTO "playlist_schedules"("id", "playlist_id", "label", "fire_at", "is_recurring", "rrule", "immutability_expires_at", "pre_fire_lock_minutes", "fired_at", "is_active", "created_by", "created_at", "lock_disabled", "fallback_playlist_id") SELECT "id", "playlist_id", "label", "fire_at", "is_recurring", "rrule", "immutability_expires_at", "pre_fire_lock_minutes", "fired_at", "is_active", "created_by", "created_at", "lock_disabled", "fallback_playlist_id" FROM "temporary_playlist_schedules"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_playlist_schedules"`);
    await queryRunner.query(`ALTER TABLE "saved_playlist_items" RENAME TO "temporary_saved_playlist_items"`);
    await queryRunner.query(
      `CREATE TABLE "saved_playlist_items" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "playlist_id" integer NOT NULL, "position" integer NOT NULL, "media_type" text NOT NULL, "media_id" text NOT NULL, "title" text, "duration_sec" integer, CONSTRAINT "uq_saved_playlist_items_position" UNIQUE ("playlist_id", "position"))`,
    );
    await queryRunner.query(
      `INSERT INTO "saved_playlist_items"("id", "playlist_id", "position", "media_type", "media_id", "title", "duration_sec") SELECT "id", "playlist_id", "position", "media_type", "media_id", "title", "duration_sec" FROM "temporary_saved_playlist_items"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_saved_playlist_items"`);
    await queryRunner.query(`ALTER TABLE "catalog_tags" RENAME TO "temporary_catalog_tags"`);
    await queryRunner.query(
      `CREATE TABLE "catalog_tags" ("friendly_token" text NOT NULL, "tag_id" integer NOT NULL, PRIMARY KEY ("friendly_token", "tag_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "catalog_tags"("friendly_token", "tag_id") SELECT "friendly_token", "tag_id" FROM "temporary_catalog_tags"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_catalog_tags"`);
    await queryRunner.query(`ALTER TABLE "catalog_categories" RENAME TO "temporary_catalog_categories"`);
    await queryRunner.query(
      `CREATE TABLE "catalog_categories" ("friendly_token" text NOT NULL, "category_id" integer NOT NULL, PRIMARY KEY ("friendly_token", "category_id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "catalog_categories"("friendly_token", "category_id") SELECT "friendly_token", "category_id" FROM "temporary_catalog_categories"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_catalog_categories"`);
    await queryRunner.query(`DROP TABLE "app_settings"`);
    await queryRunner.query(`DROP TABLE "playlist_schedules"`);
    await queryRunner.query(`DROP TABLE "active_schedule"`);
    await queryRunner.query(`DROP TABLE "queue_shadow"`);
    await queryRunner.query(`DROP INDEX "idx_queue_history_username"`);
    await queryRunner.query(`DROP INDEX "idx_queue_history_request_id"`);
    await queryRunner.query(`DROP TABLE "queue_history"`);
    await queryRunner.query(`DROP TABLE "saved_playlist_items"`);
    await queryRunner.query(`DROP INDEX "idx_saved_playlists_promo"`);
    await queryRunner.query(`DROP TABLE "saved_playlists"`);
    await queryRunner.query(`DROP INDEX "idx_job_runs_name_started"`);
    await queryRunner.query(`DROP TABLE "job_runs"`);
    await queryRunner.query(`DROP INDEX "idx_spend_requests_uid"`);
    await queryRunner.query(`DROP INDEX "idx_spend_requests_state"`);
    await queryRunner.query(`DROP TABLE "spend_requests"`);
    await queryRunner.query(`DROP TABLE "sync_log"`);
    await queryRunner.query(`DROP TABLE "catalog_tags"`);
    await queryRunner.query(`DROP TABLE "tags"`);
    await queryRunner.query(`DROP TABLE "catalog_categories"`);
    await queryRunner.query(`DROP TABLE "categories"`);
    await queryRunner.query(`DROP INDEX "idx_catalog_manifest_url"`);
    await queryRunner.query(`DROP TABLE "catalog"`);
    await queryRunner.query(`DROP TABLE "revoked_sessions"`);
    await queryRunner.query(`DROP INDEX "idx_otps_username"`);
    await queryRunner.query(`DROP TABLE "otps"`);
  }
}
