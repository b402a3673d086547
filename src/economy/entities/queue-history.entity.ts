import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { NullableTimestampColumn, TimestampColumn } from '../../database/columns';

export type QueueHistoryStatus = 'queued' | 'played' | 'refunded' | 'removed';

/** What a viewer queued, and what became of it. */
@Entity('queue_history')
@Index('idx_queue_history_username', ['username'])
export class QueueHistoryEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text' }) username!: string;
  @Column({ type: 'text', nullable: true }) friendly_token!: string | null;
  @Column({ type: 'text', nullable: true }) title!: string | null;
  /** `queue` | `playnext` | `admin`. */
  @Column({ type: 'text' }) tier!: string;
  @Column({ type: 'integer', default: 0 }) z_cost!: number;
  @TimestampColumn() queued_at!: Date;
  @Column({ type: 'text', default: 'queued' }) status!: QueueHistoryStatus;
  /** Ours: the spend, the CyTube uid, and why it was refunded. */
  @Index('idx_queue_history_request_id')
  @Column({ type: 'text', nullable: true })
  request_id!: string | null;
  @Column({ type: 'integer', nullable: true }) uid!: number | null;
  @Column({ type: 'text', nullable: true }) refund_reason!: string | null;
  @NullableTimestampColumn() updated_at!: Date | null;
}
