import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CatalogItemEntity } from './catalog-item.entity';
import { TagEntity } from './tag.entity';

/** Facet filters and hidden-item exclusion look members up by tag_id. */
@Index('idx_catalog_tags_tag', ['tag_id', 'friendly_token'])
@Entity('catalog_tags')
export class CatalogTagEntity {
  @PrimaryColumn({ type: 'text' }) friendly_token!: string;
  @PrimaryColumn({ type: 'integer' }) tag_id!: number;

  @ManyToOne(() => CatalogItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'friendly_token' })
  item?: CatalogItemEntity;

  @ManyToOne(() => TagEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id' })
  tag?: TagEntity;
}
