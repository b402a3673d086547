import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { NullableTimestampColumn, TimestampColumn } from '../../database/columns';
import { SavedPlaylistEntity } from '../../playlists/entities/saved-playlist.entity';

@Entity('playlist_schedules')
export class PlaylistScheduleEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer', nullable: true }) playlist_id!: number | null;
  @Column({ type: 'text' }) label!: string;
  @TimestampColumn() fire_at!: Date;
  @Column({ type: 'boolean', default: false }) is_recurring!: boolean;
  /** RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;BYDAY=FR. */
  @Column({ type: 'text', nullable: true }) rrule!: string | null;
  @NullableTimestampColumn() immutability_expires_at!: Date | null;
  @Column({ type: 'integer', default: 15 }) pre_fire_lock_minutes!: number;
  @NullableTimestampColumn() fired_at!: Date | null;
  @Column({ type: 'boolean', default: true }) is_active!: boolean;
  @Column({ type: 'text', nullable: true }) created_by!: string | null;
  @TimestampColumn() created_at!: Date;
  /** An admin lifted the current pre-fire lock (reset when a recurrence re-arms). */
  @Column({ type: 'boolean', default: false }) lock_disabled!: boolean;
  @Column({ type: 'integer', nullable: true }) fallback_playlist_id!: number | null;

  @ManyToOne(() => SavedPlaylistEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'playlist_id' })
  playlist?: SavedPlaylistEntity | null;

  @ManyToOne(() => SavedPlaylistEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'fallback_playlist_id' })
  fallback_playlist?: SavedPlaylistEntity | null;
}
