import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CatalogItemEntity } from './catalog-item.entity';
import { CategoryEntity } from './category.entity';

/** Facet filters and hidden-item exclusion look members up by category_id. */
@Index('idx_catalog_categories_category', ['category_id', 'friendly_token'])
@Entity('catalog_categories')
export class CatalogCategoryEntity {
  @PrimaryColumn({ type: 'text' }) friendly_token!: string;
  @PrimaryColumn({ type: 'integer' }) category_id!: number;

  @ManyToOne(() => CatalogItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'friendly_token' })
  item?: CatalogItemEntity;

  @ManyToOne(() => CategoryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'category_id' })
  category?: CategoryEntity;
}
