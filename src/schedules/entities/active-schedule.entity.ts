import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NullableTimestampColumn } from '../../database/columns';

/** The running event, a singleton row with id = 1. */
@Entity('active_schedule')
export class ActiveScheduleEntity {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'integer', nullable: true }) schedule_id!: number | null;
  @Column({ type: 'integer', nullable: true }) playlist_id!: number | null;
  @Column({ type: 'boolean', default: false }) is_immutable!: boolean;
  @NullableTimestampColumn() started_at!: Date | null;
  @NullableTimestampColumn() estimated_end_at!: Date | null;
  /** uid of the event's last item: when it starts playing the event lock lifts. */
  @Column({ type: 'integer', nullable: true }) last_item_uid!: number | null;
  @Column({ type: 'boolean', default: false }) lock_disabled!: boolean;
}
