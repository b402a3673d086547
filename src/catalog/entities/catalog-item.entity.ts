import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { NullableTimestampColumn } from '../../database/columns';

/** One MediaCMS video (table `catalog`). */
@Entity('catalog')
export class CatalogItemEntity {
  /** The MediaCMS friendly token. */
  @PrimaryColumn({ type: 'text' }) friendly_token!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'integer', nullable: true }) duration_sec!: number | null;
  /** The CyTube `cm` manifest URL, used as the CyTube media id. */
  @Index('idx_catalog_manifest_url')
  @Column({ type: 'text' })
  manifest_url!: string;
  @Column({ type: 'text', nullable: true }) thumbnail_url!: string | null;
  /** Name of the hash directory under image_dir holding 200/400/800.webp. */
  @Column({ type: 'text', nullable: true }) cover_art_path!: string | null;
  /** `tmdb` | `omdb` | `thumbnail`. */
  @Column({ type: 'text', nullable: true }) cover_art_source!: string | null;
  @NullableTimestampColumn() added_at!: Date | null;
  @NullableTimestampColumn() updated_at!: Date | null;
  @NullableTimestampColumn() synced_at!: Date | null;
  /** Ours: set when the item vanished from MediaCMS; such items leave browse and search. */
  @NullableTimestampColumn() gone_at!: Date | null;
}
