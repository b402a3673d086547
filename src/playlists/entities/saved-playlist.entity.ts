import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { NullableTimestampColumn, TimestampColumn } from '../../database/columns';

@Entity('saved_playlists')
export class SavedPlaylistEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  /** Reserved: its items are hidden from the public catalog and cannot be bought. */
  @Column({ type: 'boolean', default: false }) is_immutable!: boolean;
  @Column({ type: 'text' }) created_by!: string;
  @TimestampColumn() created_at!: Date;
  @NullableTimestampColumn() updated_at!: Date | null;
  /** Non-null marks a promo pool of that type (channel_identity, event, …). */
  @Index('idx_saved_playlists_promo')
  @Column({ type: 'text', nullable: true })
  promo_type!: string | null;
}
