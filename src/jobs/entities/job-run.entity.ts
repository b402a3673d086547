import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { NullableTimestampColumn, TimestampColumn } from '../../database/columns';

export type JobRunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

@Entity('job_runs')
@Index('idx_job_runs_name_started', ['job_name', 'started_at'])
export class JobRunEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text' }) job_name!: string;
  @TimestampColumn() started_at!: Date;
  @NullableTimestampColumn() ended_at!: Date | null;
  @Column({ type: 'text', default: 'running' }) status!: JobRunStatus;
  /** JSON: the result, live progress, or {error}. */
  @Column({ type: 'text', nullable: true }) detail!: string | null;
  @Column({ type: 'text', nullable: true }) triggered_by!: string | null;
  /** JSON: the validated params. */
  @Column({ type: 'text', nullable: true }) params!: string | null;
}
