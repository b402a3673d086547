import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { SavedPlaylistEntity } from './saved-playlist.entity';

@Entity('saved_playlist_items')
@Unique('uq_saved_playlist_items_position', ['playlist_id', 'position'])
export class SavedPlaylistItemEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) playlist_id!: number;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'text' }) media_type!: string;
  /** A manifest URL for catalog (`cm`) items, a video id for `yt`. */
  @Column({ type: 'text' }) media_id!: string;
  @Column({ type: 'text', nullable: true }) title!: string | null;
  @Column({ type: 'integer', nullable: true }) duration_sec!: number | null;

  @ManyToOne(() => SavedPlaylistEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'playlist_id' })
  playlist?: SavedPlaylistEntity;
}
