import { type CatalogLength, LENGTH_RANGES, pageWindowFromEnd } from './catalog.rules';
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, MoreThanOrEqual, type Repository, type SelectQueryBuilder } from 'typeorm';
import { ReadConnection } from '../database/read-connection';
import { type CatalogSort, type VisibilityInput } from './catalog.rules';
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
  length?: CatalogLength | null;
  /** Manifest URLs to leave out (e.g. what played lately). */
  excludeManifests?: readonly string[];
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
 * reserved/promo memberships. Full-text search lives in the search adapter (search/). What reads
 * many rows (counts, the page's keys, facets) goes to the read connection, off the event loop on
 * SQLite; rows by key come from the main connection.
 */
@Injectable()
export class CatalogRepository {
  readonly items: Repository<CatalogItemEntity>;

  constructor(
    readonly dataSource: DataSource,
    readonly reads: ReadConnection,
  ) {
    this.items = dataSource.getRepository(CatalogItemEntity);
  }

  /** Live catalog titles (optionally only those added since `since`), in token order. */
  async liveTitles(since: Date | null): Promise<Pick<CatalogItemEntity, 'friendly_token' | 'title'>[]> {
    return this.items.find({
      select: { friendly_token: true, title: true },
      where: since ? { gone_at: IsNull(), added_at: MoreThanOrEqual(since) } : { gone_at: IsNull() },
      order: { friendly_token: 'ASC' },
    });
  }

  findByToken(token: string): Promise<CatalogItemEntity | null> {
    return this.items.findOneBy({ friendly_token: token });
  }

  async findByTokensOrManifests(tokens: string[], manifests: string[]): Promise<CatalogItemEntity[]> {
    if (tokens.length === 0 && manifests.length === 0) return [];
    return this.byTokensOrManifests(tokens, manifests).getMany();
  }

  /**
   * The live queue's lookup (every poll): each list on its own index. No constant term may join
   * the OR (a `1 = 0 OR ...` seed made SQLite scan all 100k rows, 50–95 ms a poll); the plan is
   * tested.
   */
  byTokensOrManifests(tokens: string[], manifests: string[]): SelectQueryBuilder<CatalogItemEntity> {
    const qb = this.items.createQueryBuilder('c');
    if (tokens.length > 0) qb.orWhere('c.friendly_token IN (:...tokens)', { tokens });
    if (manifests.length > 0) qb.orWhere('c.manifest_url IN (:...manifests)', { manifests });
    return qb;
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

  /**
   * Adds the visibility predicate and filters to a query over `catalog` aliased `alias`.
   * Hidden categories/tags are read from the stored `hidden` flag (kept at write time for
   * HIDDEN_CATEGORIES/HIDDEN_TAGS; visibilityFor gives either those lists or none).
   */
  applyFilter<T extends object>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    filter: CatalogFilter,
  ): SelectQueryBuilder<T> {
    const { visibility } = filter;
    qb.andWhere(`${alias}.gone_at IS NULL`);
    if (visibility.hiddenCategories.length > 0 || visibility.hiddenTags.length > 0) {
      qb.andWhere(`${alias}.hidden = :vis_hidden`, { vis_hidden: false });
    }
    if (visibility.excluded.size > 0) {
      qb.andWhere(`${alias}.friendly_token NOT IN (:...vis_excluded)`, {
        vis_excluded: [...visibility.excluded],
      });
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
    if (filter.length) {
      const range = LENGTH_RANGES[filter.length];
      qb.andWhere(`${alias}.duration_sec >= :f_min_sec`, { f_min_sec: range.minSec });
      if (range.maxSec !== null) {
        qb.andWhere(`${alias}.duration_sec < :f_max_sec`, { f_max_sec: range.maxSec });
      }
    }
    if (filter.excludeManifests && filter.excludeManifests.length > 0) {
      qb.andWhere(`${alias}.manifest_url NOT IN (:...f_excluded_manifests)`, {
        f_excluded_manifests: [...filter.excludeManifests],
      });
    }
    return qb;
  }

  /**
   * Adds one of the five sorts over the stored keys, each matching one index
   * (`default` = sort_group, then title_sort). Tie-breaks run in the sort's direction so a
   * descending sort can walk its index backwards.
   */
  applySort<T extends object>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    sort: CatalogSort,
    walk: 'forwards' | 'backwards' = 'forwards',
  ): SelectQueryBuilder<T> {
    for (const [column, dir] of sortColumns(sort)) {
      qb.addOrderBy(`${alias}.${column}`, walk === 'forwards' ? dir : dir === 'ASC' ? 'DESC' : 'ASC');
    }
    return qb;
  }

  /** Visible items matching the filter. */
  async count(filter: CatalogFilter): Promise<number> {
    const row = await this.reads.rawOne<{ cnt: number | string }>(
      this.applyFilter(this.items.createQueryBuilder('c'), 'c', filter).select('COUNT(*)', 'cnt'),
    );
    return Number(row?.cnt ?? 0);
  }

  async browse(
    filter: CatalogFilter,
    sort: CatalogSort,
    offset: number,
    limit: number,
    /** The total when the caller knows it (a cached count); counted here otherwise. */
    knownTotal?: number,
  ): Promise<{ items: CatalogItemEntity[]; total: number }> {
    const total = knownTotal ?? (await this.count(filter));
    if (total <= offset) return { items: [], total };
    // The page's keys where walking the sort index past filtered rows costs (read connection),
    // then its rows by primary key. A page past the middle is read walking the sort backwards
    // from the end, so OFFSET skips at most half the rows and the last page costs what the
    // first does. (During a sync the cached total may trail the rows by a page's changes; a deep
    // page then shifts by as many items, as any OFFSET page does when rows arrive before it.)
    const window = pageWindowFromEnd(total, offset, limit);
    const base = this.applyFilter(this.items.createQueryBuilder('c'), 'c', filter);
    const keys = await this.reads.rawMany<{ token: string }>(
      this.applySort(base, 'c', sort, window ? 'backwards' : 'forwards')
        .select('c.friendly_token', 'token')
        .offset(window ? window.offset : offset)
        .limit(window ? window.limit : limit),
    );
    if (window) keys.reverse();
    const byToken = new Map(
      (await this.findMany(keys.map((k) => k.token))).map((i) => [i.friendly_token, i]),
    );
    const items = keys.flatMap((k) => byToken.get(k.token) ?? []);
    return { items, total };
  }

  /**
   * Categories with ≥1 visible item, by name. One grouped count over the whole catalog (hundreds
   * of milliseconds at 100k items), so it runs on the read connection, never the event loop.
   */
  async categoryFacets(filter: CatalogFilter): Promise<CategoryFacet[]> {
    const qb = this.items
      .createQueryBuilder('c')
      .innerJoin(CatalogCategoryEntity, 'cc', 'cc.friendly_token = c.friendly_token')
      .innerJoin(CategoryEntity, 'k', 'k.id = cc.category_id')
      .select(['k.id AS id', 'k.name AS name', 'k.slug AS slug'])
      .addSelect('COUNT(*)', 'cnt')
      .groupBy('k.id')
      .addGroupBy('k.name')
      .addGroupBy('k.slug');
    this.applyFilter(qb, 'c', { visibility: filter.visibility });
    const rows = await this.reads.rawMany<{ id: number; name: string; slug: string; cnt: number | string }>(
      qb,
    );
    return rows
      .map((r) => ({ id: Number(r.id), name: r.name, slug: r.slug, cnt: Number(r.cnt) }))
      .sort((a, b) => byText(a.name, b.name));
  }

  /** The top `limit` tags by visible item count, then name (on the read connection, as above). */
  async tagFacets(filter: CatalogFilter, limit = 100): Promise<TagFacet[]> {
    const qb = this.items
      .createQueryBuilder('c')
      .innerJoin(CatalogTagEntity, 'ct', 'ct.friendly_token = c.friendly_token')
      .innerJoin(TagEntity, 't', 't.id = ct.tag_id')
      .select('t.name', 'name')
      .addSelect('COUNT(*)', 'cnt')
      .groupBy('t.id')
      .addGroupBy('t.name');
    this.applyFilter(qb, 'c', { visibility: filter.visibility });
    const rows = await this.reads.rawMany<{ name: string; cnt: number | string }>(qb);
    return rows
      .map((r) => ({ name: r.name, cnt: Number(r.cnt) }))
      .sort((a, b) => b.cnt - a.cnt || byText(a.name, b.name))
      .slice(0, limit);
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

  async findMany(tokens: string[]): Promise<CatalogItemEntity[]> {
    return tokens.length === 0 ? [] : this.items.findBy({ friendly_token: In(tokens) });
  }
}

/** The ORDER BY of each sort over the stored keys (ending with the token as tie-break). */
export function sortColumns(sort: CatalogSort): [string, 'ASC' | 'DESC'][] {
  switch (sort) {
    case 'default':
      return [
        ['sort_group', 'ASC'],
        ['title_sort', 'ASC'],
        ['friendly_token', 'ASC'],
      ];
    case 'title_asc':
    case 'title_desc': {
      const dir = sort === 'title_asc' ? 'ASC' : 'DESC';
      return [
        ['title_sort', dir],
        ['friendly_token', dir],
      ];
    }
    case 'newest':
    case 'oldest': {
      const dir = sort === 'newest' ? 'DESC' : 'ASC';
      return [
        ['added_at', dir],
        ['synced_at', dir],
        ['friendly_token', dir],
      ];
    }
  }
}

/** Code-point order, as the database's byte-wise collation sorts names. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
