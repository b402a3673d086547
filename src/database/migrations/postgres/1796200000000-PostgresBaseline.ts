import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole schema on PostgreSQL, equal to the SQLite chain up to PlayHistory: generated from the
 * entities by TypeORM's schema builder, then the full-text half added by hand.
 *
 * POSTGRES SEARCH ADAPTER (schema half; the query half is src/catalog/search/). `catalog_search`
 * is not an entity (the schema builder would drop indexes it does not know): one row per catalog
 * item with its weighted `tsvector` (title A, description B; the `simple` configuration, so no
 * language's stemming surprises a title search) under a GIN index, and the lower-cased title under
 * a trigram GIN index (`pg_trgm`) for typos. The catalog repository keeps it, as it keeps FTS5.
 */
export class PostgresBaseline1796200000000 implements MigrationInterface {
  name = 'PostgresBaseline1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "otps" ("id" SERIAL NOT NULL, "username" text NOT NULL, "code_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_91fef5ed60605b854a2115d2410" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_otps_username" ON "otps"  ("username") `);
    await queryRunner.query(
      `CREATE TABLE "revoked_sessions" ("jti" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1c7027756a60b01d0669c1a1db6" PRIMARY KEY ("jti"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "catalog" ("friendly_token" text NOT NULL, "title" text NOT NULL, "description" text, "duration_sec" integer, "manifest_url" text NOT NULL, "thumbnail_url" text, "cover_art_path" text, "cover_art_source" text, "added_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE, "synced_at" TIMESTAMP WITH TIME ZONE, "gone_at" TIMESTAMP WITH TIME ZONE, "hidden" boolean NOT NULL DEFAULT false, "sort_group" integer NOT NULL DEFAULT '3', "title_sort" text NOT NULL DEFAULT '', CONSTRAINT "PK_86d16213075a62be99edf83ba18" PRIMARY KEY ("friendly_token"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_catalog_manifest_url" ON "catalog"  ("manifest_url") `);
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_visibility" ON "catalog"  ("friendly_token", "hidden", "gone_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_browse_added" ON "catalog"  ("added_at", "synced_at", "friendly_token", "hidden", "gone_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_browse_title" ON "catalog"  ("title_sort", "friendly_token", "hidden", "gone_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_browse_default" ON "catalog"  ("sort_group", "title_sort", "friendly_token", "hidden", "gone_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "categories" ("id" SERIAL NOT NULL, "name" text NOT NULL, "slug" text NOT NULL, CONSTRAINT "UQ_8b0be371d28245da6e4f4b61878" UNIQUE ("name"), CONSTRAINT "UQ_420d9f679d41281f282f5bc7d09" UNIQUE ("slug"), CONSTRAINT "PK_24dbc6126a28ff948da33e97d3b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "catalog_categories" ("friendly_token" text NOT NULL, "category_id" integer NOT NULL, CONSTRAINT "PK_7cbcba01799e49b31bf2bb3df85" PRIMARY KEY ("friendly_token", "category_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_categories_category" ON "catalog_categories"  ("category_id", "friendly_token") `,
    );
    await queryRunner.query(
      `CREATE TABLE "tags" ("id" SERIAL NOT NULL, "name" text NOT NULL, CONSTRAINT "UQ_d90243459a697eadb8ad56e9092" UNIQUE ("name"), CONSTRAINT "PK_e7dc17249a1148a1970748eda99" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "catalog_tags" ("friendly_token" text NOT NULL, "tag_id" integer NOT NULL, CONSTRAINT "PK_c3caac9a792aa196c4706f4cbd9" PRIMARY KEY ("friendly_token", "tag_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_tags_tag" ON "catalog_tags"  ("tag_id", "friendly_token") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sync_log" ("id" SERIAL NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "items_seen" integer NOT NULL DEFAULT '0', "items_new" integer NOT NULL DEFAULT '0', "items_updated" integer NOT NULL DEFAULT '0', "items_gone" integer NOT NULL DEFAULT '0', "errors" integer NOT NULL DEFAULT '0', "status" text NOT NULL DEFAULT 'running', "message" text, CONSTRAINT "PK_5a1c2f181ab99c0757868c7d0fc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "device_keys" ("id" SERIAL NOT NULL, "username" text NOT NULL, "name" text NOT NULL, "key_hash" text NOT NULL, "key_hint" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" text, CONSTRAINT "UQ_be4dfff996959cacdd7ee7918d3" UNIQUE ("key_hash"), CONSTRAINT "PK_7fbd52a229f3150677b6b908c3f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_device_keys_username" ON "device_keys"  ("username") `);
    await queryRunner.query(
      `CREATE TABLE "device_link_codes" ("code_hash" text NOT NULL, "username" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_bba3b07873adbbfaf82689dcca4" PRIMARY KEY ("code_hash"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "spend_requests" ("request_id" text NOT NULL, "username" text NOT NULL, "uid" integer, "friendly_token" text, "tier" text NOT NULL, "z_cost" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "refunded" boolean NOT NULL DEFAULT false, "refunded_at" TIMESTAMP WITH TIME ZONE, "state" text NOT NULL DEFAULT 'pending', "client_key" text, "title" text, "media_type" text, "media_id" text, "duration_sec" integer, "refunded_z" integer, "refund_reason" text, "error" text, "updated_at" TIMESTAMP WITH TIME ZONE, "removal_uid" integer, CONSTRAINT "UQ_73599fba6a17ff5d177d0a83cf4" UNIQUE ("client_key"), CONSTRAINT "PK_bb23cd094a37160e73ac3a342fe" PRIMARY KEY ("request_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_spend_requests_state" ON "spend_requests"  ("state") `);
    await queryRunner.query(`CREATE INDEX "idx_spend_requests_uid" ON "spend_requests"  ("uid") `);
    await queryRunner.query(
      `CREATE TABLE "play_history" ("id" SERIAL NOT NULL, "uid" integer NOT NULL, "media_type" text NOT NULL, "media_id" text NOT NULL, "title" text, "duration_sec" integer, "is_promo" boolean NOT NULL DEFAULT false, "promo_type" text, "is_pay" boolean NOT NULL DEFAULT false, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "inferred" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_54d2c87cce416cde980569353cc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_play_history_media" ON "play_history"  ("media_type", "media_id") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_play_history_started_at" ON "play_history"  ("started_at") `);
    await queryRunner.query(
      `CREATE TABLE "job_runs" ("id" SERIAL NOT NULL, "job_name" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "status" text NOT NULL DEFAULT 'running', "detail" text, "triggered_by" text, "params" text, CONSTRAINT "PK_4d0012c04fcfc287550b76be7e9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_job_runs_name_started" ON "job_runs"  ("job_name", "started_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "saved_playlists" ("id" SERIAL NOT NULL, "name" text NOT NULL, "description" text, "is_immutable" boolean NOT NULL DEFAULT false, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE, "promo_type" text, CONSTRAINT "PK_94cdcec3b3910aebd101ea14bfc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_saved_playlists_promo" ON "saved_playlists"  ("promo_type") `);
    await queryRunner.query(
      `CREATE TABLE "saved_playlist_items" ("id" SERIAL NOT NULL, "playlist_id" integer NOT NULL, "position" integer NOT NULL, "media_type" text NOT NULL, "media_id" text NOT NULL, "title" text, "duration_sec" integer, CONSTRAINT "uq_saved_playlist_items_position" UNIQUE ("playlist_id", "position"), CONSTRAINT "PK_c4f38170720ebf1fdccf9d3e255" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "queue_history" ("id" SERIAL NOT NULL, "username" text NOT NULL, "friendly_token" text, "title" text, "tier" text NOT NULL, "z_cost" integer NOT NULL DEFAULT '0', "queued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'queued', "request_id" text, "uid" integer, "refund_reason" text, "updated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_08decdcbae9b4f86e27d4166851" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_queue_history_request_id" ON "queue_history"  ("request_id") `,
    );
    await queryRunner.query(`CREATE INDEX "idx_queue_history_username" ON "queue_history"  ("username") `);
    await queryRunner.query(
      `CREATE TABLE "promo_decisions" ("id" SERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "source" text NOT NULL, "slot" text NOT NULL, "promo_type" text NOT NULL, "pool_id" integer, "clip_key" text, "clip_title" text, "target_uid" integer NOT NULL, "uid" integer, "outcome" text NOT NULL, "error" text, "seed" integer, "draws" integer NOT NULL DEFAULT '0', "detail" text NOT NULL, CONSTRAINT "PK_77c450dc1303bb5d48350f9e1cf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_promo_decisions_at" ON "promo_decisions"  ("at") `);
    await queryRunner.query(
      `CREATE TABLE "queue_shadow" ("uid" integer NOT NULL, "position" integer NOT NULL, "title" text, "friendly_token" text, "media_type" text NOT NULL, "media_id" text NOT NULL, "duration_sec" integer, "is_pay" boolean NOT NULL DEFAULT false, "paid_by" text, "tier" text, "z_cost" integer, "schedule_id" integer, "estimated_start_at" TIMESTAMP WITH TIME ZONE, "added_at" TIMESTAMP WITH TIME ZONE, "is_promo" boolean NOT NULL DEFAULT false, "promo_type" text, "lead_in_for_uid" integer, "request_id" text, CONSTRAINT "PK_f4c13ada15d7056642733d98973" PRIMARY KEY ("uid"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "active_schedule" ("id" integer NOT NULL, "schedule_id" integer, "playlist_id" integer, "is_immutable" boolean NOT NULL DEFAULT false, "started_at" TIMESTAMP WITH TIME ZONE, "estimated_end_at" TIMESTAMP WITH TIME ZONE, "last_item_uid" integer, "lock_disabled" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_7df64ace2031d7a2678a9a676b0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "playlist_schedules" ("id" SERIAL NOT NULL, "playlist_id" integer, "label" text NOT NULL, "fire_at" TIMESTAMP WITH TIME ZONE NOT NULL, "is_recurring" boolean NOT NULL DEFAULT false, "rrule" text, "immutability_expires_at" TIMESTAMP WITH TIME ZONE, "pre_fire_lock_minutes" integer NOT NULL DEFAULT '15', "fired_at" TIMESTAMP WITH TIME ZONE, "is_active" boolean NOT NULL DEFAULT true, "created_by" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "lock_disabled" boolean NOT NULL DEFAULT false, "fallback_playlist_id" integer, CONSTRAINT "PK_e8882a9faa11f3849cff896b8ae" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "app_settings" ("key" text NOT NULL, "value" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_975c2db59c65c05fd9c6b63a2ab" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "catalog_categories" ADD CONSTRAINT "FK_b1470a1e016edf9514c3e8faafd" FOREIGN KEY ("friendly_token") REFERENCES "catalog"("friendly_token") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "catalog_categories" ADD CONSTRAINT "FK_0224f2730c9d97bc9886f4d093b" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "catalog_tags" ADD CONSTRAINT "FK_46c3958caee6ac228aa254153e5" FOREIGN KEY ("friendly_token") REFERENCES "catalog"("friendly_token") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "catalog_tags" ADD CONSTRAINT "FK_7d4e398915e5195d9c958588975" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "saved_playlist_items" ADD CONSTRAINT "FK_0b2fb899a037368453bdc9934bf" FOREIGN KEY ("playlist_id") REFERENCES "saved_playlists"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "playlist_schedules" ADD CONSTRAINT "FK_0a040d254b27bf8cf7868ea8281" FOREIGN KEY ("playlist_id") REFERENCES "saved_playlists"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "playlist_schedules" ADD CONSTRAINT "FK_5cb71edc2cc1f6b31066ceec957" FOREIGN KEY ("fallback_playlist_id") REFERENCES "saved_playlists"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE TABLE "catalog_search" ("friendly_token" text PRIMARY KEY, "document" tsvector NOT NULL, "title" text NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_search_document" ON "catalog_search" USING GIN ("document")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_catalog_search_title_trgm" ON "catalog_search" USING GIN ("title" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "catalog_search"`);
    await queryRunner.query(
      `ALTER TABLE "playlist_schedules" DROP CONSTRAINT "FK_5cb71edc2cc1f6b31066ceec957"`,
    );
    await queryRunner.query(
      `ALTER TABLE "playlist_schedules" DROP CONSTRAINT "FK_0a040d254b27bf8cf7868ea8281"`,
    );
    await queryRunner.query(
      `ALTER TABLE "saved_playlist_items" DROP CONSTRAINT "FK_0b2fb899a037368453bdc9934bf"`,
    );
    await queryRunner.query(`ALTER TABLE "catalog_tags" DROP CONSTRAINT "FK_7d4e398915e5195d9c958588975"`);
    await queryRunner.query(`ALTER TABLE "catalog_tags" DROP CONSTRAINT "FK_46c3958caee6ac228aa254153e5"`);
    await queryRunner.query(
      `ALTER TABLE "catalog_categories" DROP CONSTRAINT "FK_0224f2730c9d97bc9886f4d093b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "catalog_categories" DROP CONSTRAINT "FK_b1470a1e016edf9514c3e8faafd"`,
    );
    await queryRunner.query(`DROP TABLE "app_settings"`);
    await queryRunner.query(`DROP TABLE "playlist_schedules"`);
    await queryRunner.query(`DROP TABLE "active_schedule"`);
    await queryRunner.query(`DROP TABLE "queue_shadow"`);
    await queryRunner.query(`DROP INDEX "public"."idx_promo_decisions_at"`);
    await queryRunner.query(`DROP TABLE "promo_decisions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_queue_history_username"`);
    await queryRunner.query(`DROP INDEX "public"."idx_queue_history_request_id"`);
    await queryRunner.query(`DROP TABLE "queue_history"`);
    await queryRunner.query(`DROP TABLE "saved_playlist_items"`);
    await queryRunner.query(`DROP INDEX "public"."idx_saved_playlists_promo"`);
    await queryRunner.query(`DROP TABLE "saved_playlists"`);
    await queryRunner.query(`DROP INDEX "public"."idx_job_runs_name_started"`);
    await queryRunner.query(`DROP TABLE "job_runs"`);
    await queryRunner.query(`DROP INDEX "public"."idx_play_history_started_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_play_history_media"`);
    await queryRunner.query(`DROP TABLE "play_history"`);
    await queryRunner.query(`DROP INDEX "public"."idx_spend_requests_uid"`);
    await queryRunner.query(`DROP INDEX "public"."idx_spend_requests_state"`);
    await queryRunner.query(`DROP TABLE "spend_requests"`);
    await queryRunner.query(`DROP TABLE "device_link_codes"`);
    await queryRunner.query(`DROP INDEX "public"."idx_device_keys_username"`);
    await queryRunner.query(`DROP TABLE "device_keys"`);
    await queryRunner.query(`DROP TABLE "sync_log"`);
    await queryRunner.query(`DROP INDEX "public"."idx_catalog_tags_tag"`);
    await queryRunner.query(`DROP TABLE "catalog_tags"`);
    await queryRunner.query(`DROP TABLE "tags"`);
    await queryRunner.query(`DROP INDEX "public"."idx_catalog_categories_category"`);
    await queryRunner.query(`DROP TABLE "catalog_categories"`);
    await queryRunner.query(`DROP TABLE "categories"`);
    await queryRunner.query(`DROP INDEX "public"."idx_catalog_browse_default"`);
    await queryRunner.query(`DROP INDEX "public"."idx_catalog_browse_title"`);
    await queryRunner.query(`DROP INDEX "public"."idx_catalog_browse_added"`);
    await queryRunner.query(`DROP INDEX "public"."idx_catalog_visibility"`);
    await queryRunner.query(`DROP INDEX "public"."idx_catalog_manifest_url"`);
    await queryRunner.query(`DROP TABLE "catalog"`);
    await queryRunner.query(`DROP TABLE "revoked_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_otps_username"`);
    await queryRunner.query(`DROP TABLE "otps"`);
  }
}
