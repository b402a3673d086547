import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NullableTimestampColumn } from '../database/columns';

/** Ours: settings edited at runtime (promo settings, promo director cursors), as JSON by key. */
@Entity('app_settings')
export class AppSettingEntity {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'text' }) value!: string;
  @NullableTimestampColumn() updated_at!: Date | null;
}
