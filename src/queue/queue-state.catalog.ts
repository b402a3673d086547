import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { CatalogCategoryEntity } from '../catalog/entities/catalog-category.entity';
import { CatalogItemEntity } from '../catalog/entities/catalog-item.entity';
import { CatalogTagEntity } from '../catalog/entities/catalog-tag.entity';
import { QueueCatalog } from './queue-state.enrich';

/**
 * Stand-in for CatalogService's queue lookups while src/catalog is being built: the same two
 * methods over the catalog tables. The queue module binds QueueCatalog to CatalogService as soon
 * as it exists; this class then goes.
 */
@Injectable()
export class TableQueueCatalog extends QueueCatalog {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findForQueue(
    keys: { friendly_token?: string; media_id?: string }[],
  ): Promise<Map<string, CatalogItemEntity>> {
    const tokens = [...new Set(keys.map((k) => k.friendly_token).filter((t): t is string => Boolean(t)))];
    const urls = [...new Set(keys.map((k) => k.media_id).filter((u): u is string => Boolean(u)))];
    const map = new Map<string, CatalogItemEntity>();
    if (tokens.length === 0 && urls.length === 0) return map;
    const repo = this.dataSource.getRepository(CatalogItemEntity);
    const where = [
      ...(tokens.length ? [{ friendly_token: In(tokens) }] : []),
      ...(urls.length ? [{ manifest_url: In(urls) }] : []),
    ];
    for (const item of await repo.find({ where })) {
      map.set(item.friendly_token, item);
      map.set(item.manifest_url, item);
    }
    return map;
  }

  async getItemDetails(token: string): Promise<{
    item: CatalogItemEntity;
    categories: { name: string; slug: string }[];
    tags: string[];
  } | null> {
    const item = await this.dataSource.getRepository(CatalogItemEntity).findOneBy({ friendly_token: token });
    if (!item) return null;
    const categories = await this.dataSource
      .getRepository(CatalogCategoryEntity)
      .find({ where: { friendly_token: token }, relations: { category: true } });
    const tags = await this.dataSource
      .getRepository(CatalogTagEntity)
      .find({ where: { friendly_token: token }, relations: { tag: true } });
    return {
      item,
      categories: categories.flatMap((c) =>
        c.category ? [{ name: c.category.name, slug: c.category.slug }] : [],
      ),
      tags: tags.flatMap((t) => (t.tag ? [t.tag.name] : [])),
    };
  }
}
