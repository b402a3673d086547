import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { NullableTimestampColumn, TimestampColumn } from '../../database/columns';

/** A linked device's key (only its SHA-256 is stored), revocable by its viewer or an admin. */
@Entity('device_keys')
@Index('idx_device_keys_username', ['username'])
export class DeviceKeyEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text' }) username!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', unique: true }) key_hash!: string;
  /** The first characters of the key, so a person can tell their keys apart. */
  @Column({ type: 'text' }) key_hint!: string;
  @TimestampColumn() created_at!: Date;
  @NullableTimestampColumn() last_used_at!: Date | null;
  @NullableTimestampColumn() revoked_at!: Date | null;
  @Column({ type: 'text', nullable: true }) revoked_by!: string | null;
}
