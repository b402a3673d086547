import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NullableTimestampColumn, TimestampColumn } from '../../database/columns';

/** A one-time link code (10 minutes, single use), stored as its hash. */
@Entity('device_link_codes')
export class DeviceLinkCodeEntity {
  @PrimaryColumn({ type: 'text' }) code_hash!: string;
  @Column({ type: 'text' }) username!: string;
  @TimestampColumn() created_at!: Date;
  @TimestampColumn() expires_at!: Date;
  @NullableTimestampColumn() used_at!: Date | null;
}
