import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { QueueShadowEntity } from './entities/queue-shadow.entity';
import type { ShadowItem } from './queue-shadow.types';

/** Rows per statement, well under SQLite's bound-parameter limit (17 columns a row). */
const CHUNK = 400;
/** Position updates bind three parameters a row. */
const POSITION_CHUNK = 2000;

/** The persisted columns of a shadow item (everything but CyTube's temp/queueby and the ETAs). */
export function toRow(item: ShadowItem): QueueShadowEntity {
  const row = new QueueShadowEntity();
  row.uid = item.uid;
  row.position = item.position;
  row.title = item.title;
  row.friendly_token = item.friendly_token;
  row.media_type = item.media_type;
  row.media_id = item.media_id;
  row.duration_sec = item.duration_sec;
  row.is_pay = item.is_pay;
  row.paid_by = item.paid_by;
  row.tier = item.tier;
  row.z_cost = item.z_cost;
  row.schedule_id = item.schedule_id;
  row.estimated_start_at = null;
  row.added_at = item.added_at;
  row.is_promo = item.is_promo;
  row.promo_type = item.promo_type;
  row.lead_in_for_uid = item.lead_in_for_uid;
  row.request_id = item.request_id;
  return row;
}

/**
 * A comparable fingerprint of the persisted columns except `position` (tracked on its own so a
 * shift of every position is one cheap batch update), to write only rows that changed.
 */
export function rowFingerprint(item: ShadowItem): string {
  return JSON.stringify([
    item.title,
    item.friendly_token,
    item.media_type,
    item.media_id,
    item.duration_sec,
    item.is_pay,
    item.paid_by,
    item.tier,
    item.z_cost,
    item.schedule_id,
    item.added_at ? item.added_at.getTime() : null,
    item.is_promo,
    item.promo_type,
    item.lead_in_for_uid,
    item.request_id,
  ]);
}

function fromRow(row: QueueShadowEntity): ShadowItem {
  return {
    uid: row.uid,
    position: row.position,
    title: row.title,
    friendly_token: row.friendly_token,
    media_type: row.media_type,
    media_id: row.media_id,
    duration_sec: row.duration_sec,
    // Not persisted: the first poll (seconds after start-up) refreshes them.
    temp: true,
    queueby: null,
    is_pay: Boolean(row.is_pay),
    paid_by: row.paid_by,
    tier: row.tier,
    z_cost: row.z_cost,
    schedule_id: row.schedule_id,
    is_promo: Boolean(row.is_promo),
    promo_type: row.promo_type,
    lead_in_for_uid: row.lead_in_for_uid,
    request_id: row.request_id,
    added_at: row.added_at,
  };
}

/** `queue_shadow` (and the one `active_schedule` flag the shadow lifts). */
@Injectable()
export class QueueShadowRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every row in play order (warm start). */
  async loadAll(): Promise<ShadowItem[]> {
    const rows = await this.dataSource.getRepository(QueueShadowEntity).find({ order: { position: 'ASC' } });
    return rows.map(fromRow);
  }

  /**
   * In one transaction: deletes, upserts (replacing any row with the same uid) and position-only
   * updates (one `CASE` statement per chunk).
   */
  async write(
    upserts: readonly ShadowItem[],
    deletes: readonly number[],
    positions: readonly { uid: number; position: number }[] = [],
  ): Promise<void> {
    if (upserts.length === 0 && deletes.length === 0 && positions.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      for (let i = 0; i < deletes.length; i += CHUNK) {
        await manager.delete(QueueShadowEntity, { uid: In(deletes.slice(i, i + CHUNK)) });
      }
      for (let i = 0; i < upserts.length; i += CHUNK) {
        await manager.upsert(QueueShadowEntity, upserts.slice(i, i + CHUNK).map(toRow), ['uid']);
      }
      for (let i = 0; i < positions.length; i += POSITION_CHUNK) {
        const chunk = positions.slice(i, i + POSITION_CHUNK);
        const params: Record<string, number> = {};
        const cases = chunk.map((p, k) => {
          params[`u${k}`] = p.uid;
          params[`p${k}`] = p.position;
          return `WHEN :u${k} THEN CAST(:p${k} AS integer)`;
        });
        await manager
          .createQueryBuilder()
          .update(QueueShadowEntity)
          .set({ position: () => `CASE uid ${cases.join(' ')} END` })
          .where('uid IN (:...uids)', { uids: chunk.map((p) => p.uid) })
          .setParameters(params)
          .execute();
      }
    });
  }
}
