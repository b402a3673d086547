import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppSettingEntity } from '../settings/app-setting.entity';

/** Keys of `app_settings` this module owns. */
export const PROMO_SETTING_KEYS = {
  /** The runtime promo settings; absent = the config file's `promos` block. */
  config: 'promos.config',
  /** The director's cursors (sequential index, no_repeat last clip, cadence). */
  director: 'promos.director',
} as const;

/** JSON values by key in `app_settings`, for the promo module's keys only. */
@Injectable()
export class PromoSettingsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async read(key: string): Promise<{ value: unknown; updated_at: Date | null } | null> {
    const row = await this.dataSource.getRepository(AppSettingEntity).findOneBy({ key });
    if (!row) return null;
    try {
      return { value: JSON.parse(row.value) as unknown, updated_at: row.updated_at };
    } catch {
      return null;
    }
  }

  async write(key: string, value: unknown): Promise<void> {
    await this.dataSource
      .getRepository(AppSettingEntity)
      .upsert({ key, value: JSON.stringify(value), updated_at: this.clock.now() }, ['key']);
  }

  async remove(key: string): Promise<void> {
    await this.dataSource.getRepository(AppSettingEntity).delete({ key });
  }
}
