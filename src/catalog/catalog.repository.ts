import { Injectable } from '@nestjs/common';
import { DataSource, In, type Repository, type SelectQueryBuilder } from 'typeorm';
import { SavedPlaylistItemEntity } from '../playlists/entities/saved-playlist-item.entity';
import { type CatalogSort, type PlaylistMembership, type VisibilityInput } from './catalog.rules';
import { CatalogCategoryEntity } from './entities/catalog-category.entity';
import { CatalogItemEntity } from './entities/catalog-item.entity';
import { CatalogTagEntity } from './entities/catalog-tag.entity';
import { CategoryEntity } from './entities/category.entity';
import { TagEntity } from './entities/tag.entity';

/** Browse/search filters on top of visibility. */
export interface CatalogFilter {
  visibility: VisibilityInput;
  /** Category slug. */
  category?: string | null;
  /** Tag name. */
  tag?: string | null;
}

export interface CategoryFacet {
  id: number;
  name: string;
  slug: string;
  cnt: number;
}

export interface TagFacet {
  name: string;
  cnt: number;
}

/**
 * Catalog reads in portable SQL (TypeORM query builder): single items, browse pages, facets,
 * reserved/promo memberships. Full-text search lives in the search adapter (search/).
 */
@Injectable()
export class CatalogRepository {
  readonly items: Repository<CatalogItemEntity>;

  constructor(readonly dataSource: DataSource) {
    this.items = dataSource.getRepository(CatalogItemEntity);
  }

  findByToken(token: string): Promise<CatalogItemEntity | null> {
    return this.items.findOneBy({ friendly_token: token });
  }

  async findByTokensOrManifests(tokens: string[], manifests: string[]): Promise<CatalogItemEntity[]> {
    if (tokens.length === 0 && manifests.length === 0) return [];
    const qb = this.items.createQueryBuilder('c').where('1 = 0');
    if (tokens.length > 0) qb.orWhere('c.friendly_token IN (:...tokens)', { tokens });
    if (manifests.length > 0) qb.orWhere('c.manifest_url IN (:...manifests)', { manifests });
    return qb.getMany();
  }

  /** Every item of an immutable playlist or a promo pool, as the reservation rule needs it. */
  async reservedMemberships(): Promise<PlaylistMembership[]> {
    const rows = await this.dataSource
      .getRepository(SavedPlaylistItemEntity)
      .createQueryBuilder('i')
      .innerJoin('i.playlist', 'p')
      .select(['i.media_type AS media_type', 'i.media_id AS media_id'])
      .addSelect('p.is_immutable', 'is_immutable')
      .addSelect('p.promo_type', 'promo_type')
      .where('p.is_immutable = :yes OR p.promo_type IS NOT NULL', { yes: true })
      .getRawMany<{
        media_type: string | null;
        media_id: string;
        is_immutable: number | boolean;
        promo_type: string | null;
      }>();
    return rows.map((r) => ({ ...r, is_immutable: Boolean(r.is_immutable) }));
  }

  /** Category {name, slug} and tag names of one item, sorted by name. */
  async facetsOf(token: string): Promise<{ categories: { name: string; slug: string }[]; tags: string[] }> {
    const categories = await this.dataSource
      .getRepository(CategoryEntity)
      .createQueryBuilder('k')
      .innerJoin(CatalogCategoryEntity, 'cc', 'cc.category_id = k.id')
      .where('cc.friendly_token = :token', { token })
      .orderBy('k.name', 'ASC')
      .getMany();
    const tags = await this.dataSource
      .getRepository(TagEntity)
      .createQueryBuilder('t')
      .innerJoin(CatalogTagEntity, 'ct', 'ct.tag_id = t.id')
      .where('ct.friendly_token = :token', { token })
      .orderBy('t.name', 'ASC')
      .getMany();
    return {
      categories: categories.map((c) => ({ name: c.name, slug: c.slug })),
      tags: tags.map((t) => t.name),
    };
  }

  /** Adds the visibility predicate and filters to a query over `catalog` aliased `alias`. */
  applyFilter<T extends object>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    filter: CatalogFilter,
  ): SelectQueryBuilder<T> {
    const { visibility } = filter;
    qb.andWhere(`${alias}.gone_at IS NULL`);
    if (visibility.excluded.size > 0) {
      qb.andWhere(`${alias}.friendly_token NOT IN (:...vis_excluded)`, {
        vis_excluded: [...visibility.excluded],
      });
    }
    if (visibility.hiddenCategories.length > 0) {
      qb.andWhere(
        `${alias}.friendly_token NOT IN (SELECT hcc.friendly_token FROM catalog_categories hcc ` +
          `INNER JOIN categories hk ON hk.id = hcc.category_id WHERE hk.name IN (:...vis_hidden_cats))`,
        { vis_hidden_cats: [...visibility.hiddenCategories] },
      );
    }
    if (visibility.hiddenTags.length > 0) {
      qb.andWhere(
        `${alias}.friendly_token NOT IN (SELECT hct.friendly_token FROM catalog_tags hct ` +
          `INNER JOIN tags ht ON ht.id = hct.tag_id WHERE ht.name IN (:...vis_hidden_tags))`,
        { vis_hidden_tags: [...visibility.hiddenTags] },
      );
    }
    if (filter.category) {
      qb.andWhere(
        `${alias}.friendly_token IN (SELECT fcc.friendly_token FROM catalog_categories fcc ` +
          `INNER JOIN categories fk ON fk.id = fcc.category_id WHERE fk.slug = :f_category)`,
        { f_category: filter.category },
      );
    }
    if (filter.tag) {
      qb.andWhere(
        `${alias}.friendly_token IN (SELECT fct.friendly_token FROM catalog_tags fct ` +
          `INNER JOIN tags ft ON ft.id = fct.tag_id WHERE ft.name = :f_tag)`,
        { f_tag: filter.tag },
      );
    }
    return qb;
  }

  /** Adds one of the five sorts (`default` = real poster, letter-led, title). */
  applySort<T extends object>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    sort: CatalogSort,
  ): SelectQueryBuilder<T> {
    switch (sort) {
      case 'default':
        qb.addSelect(
          `CASE WHEN ${alias}.cover_art_source IN ('tmdb', 'omdb') THEN 0 ELSE 1 END`,
          'sort_poster',
        )
          .addSelect(
            `CASE WHEN lower(substr(${alias}.title, 1, 1)) BETWEEN 'a' AND 'z' THEN 0 ELSE 1 END`,
            'sort_letter',
          )
          .addSelect(`lower(${alias}.title)`, 'sort_title')
          .orderBy('sort_poster', 'ASC')
          .addOrderBy('sort_letter', 'ASC')
          .addOrderBy('sort_title', 'ASC');
        break;
      case 'title_asc':
      case 'title_desc':
        qb.addSelect(`lower(${alias}.title)`, 'sort_title').orderBy(
          'sort_title',
          sort === 'title_asc' ? 'ASC' : 'DESC',
        );
        break;
      case 'newest':
      case 'oldest': {
        const dir = sort === 'newest' ? 'DESC' : 'ASC';
        qb.orderBy(`${alias}.added_at`, dir).addOrderBy(`${alias}.synced_at`, dir);
        break;
      }
    }
    return qb.addOrderBy(`${alias}.friendly_token`, 'ASC');
  }

  async browse(
    filter: CatalogFilter,
    sort: CatalogSort,
    offset: number,
    limit: number,
  ): Promise<{ items: CatalogItemEntity[]; total: number }> {
    const base = this.applyFilter(this.items.createQueryBuilder('c'), 'c', filter);
    const total = await base.clone().getCount();
    if (total <= offset) return { items: [], total };
    const items = await this.applySort(base, 'c', sort).offset(offset).limit(limit).getMany();
    return { items, total };
  }

  /** Categories with ≥1 visible item, by name. */
  async categoryFacets(filter: CatalogFilter): Promise<CategoryFacet[]> {
    const qb = this.dataSource
      .getRepository(CategoryEntity)
      .createQueryBuilder('k')
      .innerJoin(CatalogCategoryEntity, 'cc', 'cc.category_id = k.id')
      .innerJoin(CatalogItemEntity, 'c', 'c.friendly_token = cc.friendly_token')
      .select(['k.id AS id', 'k.name AS name', 'k.slug AS slug'])
      .addSelect('COUNT(*)', 'cnt')
      .groupBy('k.id')
      .addGroupBy('k.name')
      .addGroupBy('k.slug')
      .orderBy('k.name', 'ASC');
    this.applyFilter(qb, 'c', { visibility: filter.visibility });
    const rows = await qb.getRawMany<{ id: number; name: string; slug: string; cnt: number | string }>();
    return rows.map((r) => ({ id: Number(r.id), name: r.name, slug: r.slug, cnt: Number(r.cnt) }));
  }

  /** The top `limit` tags by visible item count, then name. */
  async tagFacets(filter: CatalogFilter, limit = 100): Promise<TagFacet[]> {
    const qb = this.dataSource
      .getRepository(TagEntity)
      .createQueryBuilder('t')
      .innerJoin(CatalogTagEntity, 'ct', 'ct.tag_id = t.id')
      .innerJoin(CatalogItemEntity, 'c', 'c.friendly_token = ct.friendly_token')
      .select('t.name', 'name')
      .addSelect('COUNT(*)', 'cnt')
      .groupBy('t.id')
      .addGroupBy('t.name')
      .orderBy('cnt', 'DESC')
      .addOrderBy('t.name', 'ASC')
      .limit(limit);
    this.applyFilter(qb, 'c', { visibility: filter.visibility });
    const rows = await qb.getRawMany<{ name: string; cnt: number | string }>();
    return rows.map((r) => ({ name: r.name, cnt: Number(r.cnt) }));
  }

  /** Hidden-by-facet check for one item (hidden categories or tags, by exact name). */
  async isHiddenByFacets(
    token: string,
    hiddenCategories: readonly string[],
    hiddenTags: readonly string[],
  ): Promise<boolean> {
    const qb = this.items.createQueryBuilder('c').where('c.friendly_token = :token', { token });
    this.applyFilter(qb, 'c', {
      visibility: { excluded: new Set(), hiddenCategories, hiddenTags },
    });
    return (await qb.getCount()) === 0;
  }

  /** Which of these tokens carry the tag `name`. */
  async tokensWithTag(tokens: string[], name: string): Promise<Set<string>> {
    if (tokens.length === 0) return new Set();
    const rows = await this.dataSource
      .getRepository(CatalogTagEntity)
      .createQueryBuilder('ct')
      .innerJoin(TagEntity, 't', 't.id = ct.tag_id')
      .select('ct.friendly_token', 'token')
      .where('t.name = :name', { name })
      .andWhere('ct.friendly_token IN (:...tokens)', { tokens })
      .getRawMany<{ token: string }>();
    return new Set(rows.map((r) => r.token));
  }

  async setCoverArt(token: string, path: string | null, source: string | null): Promise<void> {
    await this.items.update({ friendly_token: token }, { cover_art_path: path, cover_art_source: source });
  }

  async findMany(tokens: string[]): Promise<CatalogItemEntity[]> {
    return tokens.length === 0 ? [] : this.items.findBy({ friendly_token: In(tokens) });
  }
}
