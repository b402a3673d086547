import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { NullableTimestampColumn, TimestampColumn } from '../../database/columns';

export type SyncStatus = 'running' | 'completed' | 'error';

@Entity('sync_log')
export class SyncLogEntity {
  @PrimaryGeneratedColumn() id!: number;
  @TimestampColumn() started_at!: Date;
  @NullableTimestampColumn() ended_at!: Date | null;
  @Column({ type: 'integer', default: 0 }) items_seen!: number;
  @Column({ type: 'integer', default: 0 }) items_new!: number;
  @Column({ type: 'integer', default: 0 }) items_updated!: number;
  /** Ours: items that vanished upstream and were marked gone. */
  @Column({ type: 'integer', default: 0 }) items_gone!: number;
  @Column({ type: 'integer', default: 0 }) errors!: number;
  @Column({ type: 'text', default: 'running' }) status!: SyncStatus;
  /** Ours: the last error message, if any. */
  @Column({ type: 'text', nullable: true }) message!: string | null;
}
