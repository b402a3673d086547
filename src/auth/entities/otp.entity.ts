import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns';

/** A one-time login code. Only a hash of the code is stored. */
@Entity('otps')
@Index('idx_otps_username', ['username'])
export class OtpEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text' }) username!: string;
  /** HMAC-SHA256 of the code keyed with secret_key (hex). */
  @Column({ type: 'text' }) code_hash!: string;
  @TimestampColumn() created_at!: Date;
  @TimestampColumn() expires_at!: Date;
  @Column({ type: 'boolean', default: false }) used!: boolean;
}
