import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns';

/** One item starting to play on the channel (content and promos), as observed or inferred. */
@Entity('play_history')
@Index('idx_play_history_started_at', ['started_at'])
@Index('idx_play_history_media', ['media_type', 'media_id'])
export class PlayHistoryEntity {
  @PrimaryGeneratedColumn() id!: number;
  /** The CyTube playlist uid (a looping permanent item plays several times under one uid). */
  @Column({ type: 'integer' }) uid!: number;
  @Column({ type: 'text' }) media_type!: string;
  @Column({ type: 'text' }) media_id!: string;
  @Column({ type: 'text', nullable: true }) title!: string | null;
  @Column({ type: 'integer', nullable: true }) duration_sec!: number | null;
  @Column({ type: 'boolean', default: false }) is_promo!: boolean;
  @Column({ type: 'text', nullable: true }) promo_type!: string | null;
  @Column({ type: 'boolean', default: false }) is_pay!: boolean;
  @TimestampColumn() started_at!: Date;
  /** true when it played entirely between two polls (placed from the playlist's order and lengths). */
  @Column({ type: 'boolean', default: false }) inferred!: boolean;
}
