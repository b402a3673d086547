import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CatalogItemEntity } from './catalog-item.entity';
import { TagEntity } from './tag.entity';

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
