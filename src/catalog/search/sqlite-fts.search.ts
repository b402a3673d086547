/**
 * SQLITE-ONLY SEARCH ADAPTER.
 *
 * The only file with SQLite-specific SQL: the FTS5 table `catalog_fts` (title, description),
 * whose rowid is `catalog.search_id` (see the CatalogSearchKey migration). It keeps its own copy
 * of the text, so we maintain it by delete + insert per rowid whenever a row's text changes.
 * Ranking is bm25 with the title weighted 10× the description. A match joins the catalog through
 * `idx_catalog_search` (integer key → every filter and sort key), so neither the count nor the
 * page reads a catalog row until the page's own items are loaded. Both run on the read connection
 * (a worker thread): bm25 over every match of a common prefix is tens of milliseconds. PostgreSQL has its own adapter
 * behind the same port (postgres-text.search.ts).
 */
import type { FtsQuery } from './search-query';
import { CatalogSearch, requireLiterals, type SearchDocument, type SearchHit } from './catalog-search.port';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { type CatalogFilter, CatalogRepository } from '../catalog.repository';
import { type CatalogSort } from '../catalog.rules';
import { CatalogItemEntity } from '../entities/catalog-item.entity';

/** bm25 weights per column: title, description. */
const BM25 = 'bm25(catalog_fts, 10.0, 1.0)';
/** Every match, unranked (the count). */
const MATCHES = '(SELECT rowid AS sid FROM catalog_fts WHERE catalog_fts MATCH :fts_match)';
/**
 * The best `limit` matches by rank (ties by key, so pages never overlap): under the default sort
 * a page is taken from these, and only when the filters drop too many is every match ranked.
 */
const rankedMatches = (limit: number | null): string =>
  `(SELECT rowid AS sid, ${BM25} AS score FROM catalog_fts WHERE catalog_fts MATCH :fts_match ` +
  `ORDER BY score, rowid${limit === null ? '' : ` LIMIT ${limit}`})`;
/** Rows per multi-row INSERT (3 parameters each). */
const INSERT_CHUNK = 300;

@Injectable()
export class SqliteFtsSearch extends CatalogSearch {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CatalogRepository,
  ) {
    super();
  }

  /**
   * Replace the index rows of these items (delete + insert by rowid). `existing` names the
   * tokens that may already have index rows; brand-new items skip the delete.
   */
  async index(
    manager: EntityManager,
    rows: readonly SearchDocument[],
    existing: ReadonlySet<string>,
  ): Promise<void> {
    const keyed = rows.filter((r): r is SearchDocument & { search_id: number } => r.search_id !== null);
    for (let i = 0; i < keyed.length; i += INSERT_CHUNK) {
      const chunk = keyed.slice(i, i + INSERT_CHUNK);
      const ids = chunk.filter((r) => existing.has(r.friendly_token)).map((r) => r.search_id);
      if (ids.length > 0) {
        await manager.query(`DELETE FROM catalog_fts WHERE rowid IN (${ids.map(() => '?').join(', ')})`, ids);
      }
      await manager.query(
        `INSERT INTO catalog_fts (rowid, title, description) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
        chunk.flatMap((r) => [r.search_id, r.title, r.description ?? '']),
      );
    }
  }

  /**
   * One page of matches for an already sanitised MATCH expression (see search-query.ts), with
   * the catalog filters; `default` sort means "by rank". The total counts the visible matches
   * without ranking them. Under the default sort the page comes from the best few matches (top-k:
   * bm25 for every match is FTS5's own floor, but nothing else is sorted or joined for all of
   * them); the other sorts order every visible match by the catalog's sort keys.
   */
  async search(
    query: Pick<FtsQuery, 'match' | 'literals'>,
    filter: CatalogFilter,
    sort: CatalogSort,
    offset: number,
    limit: number,
  ): Promise<{ hits: SearchHit[]; total: number }> {
    const visible = (matches: string): SelectQueryBuilder<CatalogItemEntity> =>
      requireLiterals(
        this.catalog.applyFilter(
          this.dataSource
            .getRepository(CatalogItemEntity)
            .createQueryBuilder('c')
            .innerJoin(matches, 's', 's.sid = c.search_id')
            .setParameter('fts_match', query.match),
          'c',
          filter,
        ),
        'c',
        query.literals,
      );
    const pageOf = async (matches: string): Promise<{ token: string; score: number | null }[]> => {
      const page = visible(matches).select('c.friendly_token', 'token');
      if (sort === 'default') {
        page.addSelect('s.score', 'score').orderBy('s.score', 'ASC').addOrderBy('s.sid', 'ASC');
      } else {
        page.addSelect('NULL', 'score');
        this.catalog.applySort(page, 'c', sort);
      }
      return this.catalog.reads.rawMany(page.offset(offset).limit(limit));
    };
    let rows: { token: string; score: number | null }[];
    let total: number;
    try {
      total = Number(
        (
          await this.catalog.reads.rawOne<{ cnt: number | string }>(
            visible(MATCHES).select('COUNT(*)', 'cnt'),
          )
        )?.cnt ?? 0,
      );
      if (total <= offset) return { hits: [], total };
      if (sort === 'default') {
        // Twice the rows the page needs, so a few hidden or filtered matches still leave a full
        // page; when the filters drop more than that, every match is ranked.
        rows = await pageOf(rankedMatches(2 * (offset + limit) + 50));
        if (rows.length < Math.min(limit, total - offset)) rows = await pageOf(rankedMatches(null));
      } else {
        rows = await pageOf(MATCHES);
      }
    } catch (err) {
      // The sanitiser should make this impossible; never let a query string become a 500.
      if (isFtsSyntaxError(err)) return { hits: [], total: 0 };
      throw err;
    }
    const byToken = new Map(
      (await this.catalog.findMany(rows.map((r) => r.token))).map((i) => [i.friendly_token, i]),
    );
    const hits: SearchHit[] = [];
    rows.forEach((row, i) => {
      const item = byToken.get(row.token);
      // Other sorts carry no score: their relevance only keeps the page's order.
      if (item) hits.push({ item, relevance: row.score === null ? -i : -Number(row.score) });
    });
    return { hits, total };
  }

  async indexedCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM catalog_fts');
    return Number(row?.n ?? 0);
  }

  /**
   * The benchmark's floor: what any ranked page costs, FTS5's bm25 over every match keeping the
   * best `limit`, with no join, filter or count.
   */
  async rankFloor(match: string, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT rowid, ${BM25} AS score FROM catalog_fts WHERE catalog_fts MATCH ? ORDER BY score LIMIT ?`,
      [match, limit],
    );
    return rows.length;
  }
}

function isFtsSyntaxError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /fts5|malformed MATCH|unterminated string|no such column/i.test(message);
}
