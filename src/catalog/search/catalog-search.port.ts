import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CatalogFilter } from '../catalog.repository';
import type { CatalogSort } from '../catalog.rules';
import type { CatalogItemEntity } from '../entities/catalog-item.entity';
import type { FtsQuery } from './search-query';

export interface SearchHit {
  item: CatalogItemEntity;
  /** Higher is better; comparable only within one answer. */
  relevance: number;
}

/** The text a catalog item is found by. */
export interface SearchDocument {
  friendly_token: string;
  /** `catalog.search_id` (the SQLite index is keyed by it; PostgreSQL's by the token). */
  search_id: number | null;
  title: string;
  description: string | null;
}

/**
 * The search port: one adapter per database (SQLite FTS5, PostgreSQL full text), chosen by the
 * catalog module from the DataSource. Both give the same contract: the page of visible matches
 * for the filters, best first under the `default` sort, and the total number of matches.
 */
export abstract class CatalogSearch {
  /**
   * Replace the index entries of these items. `existing` names the tokens that may already be
   * indexed (brand-new items skip the delete). Items without a `search_id` are not indexed on
   * SQLite.
   */
  abstract index(
    manager: EntityManager,
    rows: readonly SearchDocument[],
    existing: ReadonlySet<string>,
  ): Promise<void>;

  abstract search(
    query: Pick<FtsQuery, 'match' | 'terms' | 'literals'>,
    filter: CatalogFilter,
    sort: CatalogSort,
    offset: number,
    limit: number,
  ): Promise<{ hits: SearchHit[]; total: number }>;

  /** How many index entries there are (tests and the copy command check it). */
  abstract indexedCount(): Promise<number>;
}

/** A LIKE pattern that matches `text` literally (`%`, `_` and the escape itself escaped). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * What a text index cannot see (symbols): each literal (`c++`, `at&t`) must appear as typed in the
 * title or the description of `alias`. The same SQL on both databases.
 */
export function requireLiterals<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  literals: readonly string[],
): SelectQueryBuilder<T> {
  literals.forEach((literal, i) => {
    qb.andWhere(
      `(lower(${alias}.title) LIKE :lit${i} ESCAPE '\\' OR lower(coalesce(${alias}.description, '')) LIKE :lit${i} ESCAPE '\\')`,
      { [`lit${i}`]: `%${escapeLike(literal)}%` },
    );
  });
  return qb;
}
