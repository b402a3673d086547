import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { ActiveScheduleEntity } from '../schedules/entities/active-schedule.entity';
import { QueueShadowEntity } from './entities/queue-shadow.entity';
import type { ShadowItem } from './queue-shadow.types';

/** Rows per statement, well under SQLite's bound-parameter limit (17 columns a row). */
const CHUNK = 400;

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

/** A comparable fingerprint of the persisted columns, to write only rows that changed. */
export function rowFingerprint(item: ShadowItem): string {
  const row = toRow(item);
  return JSON.stringify({ ...row, added_at: row.added_at ? row.added_at.getTime() : null });
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

  /** Upserts (replacing any row with the same uid) and deletes, in one transaction. */
  async write(upserts: readonly ShadowItem[], deletes: readonly number[]): Promise<void> {
    if (upserts.length === 0 && deletes.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      for (let i = 0; i < deletes.length; i += CHUNK) {
        await manager.delete(QueueShadowEntity, { uid: In(deletes.slice(i, i + CHUNK)) });
      }
      for (let i = 0; i < upserts.length; i += CHUNK) {
        await manager.upsert(QueueShadowEntity, upserts.slice(i, i + CHUNK).map(toRow), ['uid']);
      }
    });
  }

  /** The running event (singleton id 1), if any. */
  activeSchedule(): Promise<ActiveScheduleEntity | null> {
    return this.dataSource.getRepository(ActiveScheduleEntity).findOneBy({ id: 1 });
  }

  async liftEventLock(): Promise<void> {
    await this.dataSource.getRepository(ActiveScheduleEntity).update({ id: 1 }, { lock_disabled: true });
  }
}
