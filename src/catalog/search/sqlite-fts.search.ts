/**
 * SQLITE-ONLY SEARCH ADAPTER.
 *
 * The only file with SQLite-specific SQL: the FTS5 table `catalog_fts` (friendly_token
 * UNINDEXED, title, description; created by the CatalogSearchIndex migration). It is not
 * external-content: it keeps its own copy of the text, so we maintain it by delete + insert per
 * token whenever a row's text changes. Ranking is bm25 with the title weighted 10× the
 * description. PostgreSQL has its own adapter behind the same port (postgres-text.search.ts).
 */
import type { FtsQuery } from './search-query';
import { CatalogSearch, requireLiterals, type SearchDocument, type SearchHit } from './catalog-search.port';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type CatalogFilter, CatalogRepository } from '../catalog.repository';
import { type CatalogSort } from '../catalog.rules';
import { CatalogItemEntity } from '../entities/catalog-item.entity';

/** bm25 weights per column: friendly_token (unindexed), title, description. */
const BM25 = 'bm25(catalog_fts, 0.0, 10.0, 1.0)';
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
   * Replace the index rows of these items (delete + insert per token). `existing` names the
   * tokens that may already have index rows: friendly_token is UNINDEXED, so a delete scans the
   * table, and brand-new items skip it (otherwise a 100k first sync would be quadratic).
   */
  async index(
    manager: EntityManager,
    rows: readonly SearchDocument[],
    existing: ReadonlySet<string>,
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const tokens = chunk.map((r) => r.friendly_token).filter((t) => existing.has(t));
      if (tokens.length > 0) {
        await manager.query(
          `DELETE FROM catalog_fts WHERE friendly_token IN (${tokens.map(() => '?').join(', ')})`,
          tokens,
        );
      }
      await manager.query(
        `INSERT INTO catalog_fts (friendly_token, title, description) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
        chunk.flatMap((r) => [r.friendly_token, r.title, r.description ?? '']),
      );
    }
  }

  /**
   * One page of matches for an already sanitised MATCH expression (see search-query.ts),
   * with the catalog filters; `default` sort means "by rank". FTS5 ranks every match, the
   * visibility test is answered from the `idx_catalog_visibility` index, and one pass gives the
   * page's tokens and the total (a window count); only the page's rows are then loaded.
   */
  async search(
    query: Pick<FtsQuery, 'match' | 'literals'>,
    filter: CatalogFilter,
    sort: CatalogSort,
    offset: number,
    limit: number,
  ): Promise<{ hits: SearchHit[]; total: number }> {
    const matches = `(SELECT friendly_token AS token, ${BM25} AS score FROM catalog_fts WHERE catalog_fts MATCH :fts_match)`;
    const base = this.catalog.applyFilter(
      this.dataSource
        .getRepository(CatalogItemEntity)
        .createQueryBuilder('c')
        .innerJoin(matches, 's', 's.token = c.friendly_token')
        .setParameter('fts_match', query.match),
      'c',
      filter,
    );
    requireLiterals(base, 'c', query.literals);
    const page = base
      .clone()
      .select('c.friendly_token', 'token')
      .addSelect('s.score', 'fts_score')
      .addSelect('COUNT(*) OVER ()', 'fts_total');
    if (sort === 'default') page.orderBy('fts_score', 'ASC').addOrderBy('c.friendly_token', 'ASC');
    else this.catalog.applySort(page, 'c', sort);
    let rows: { token: string; fts_score: number; fts_total: number | string }[];
    let total: number;
    try {
      rows = await page.offset(offset).limit(limit).getRawMany();
      total =
        rows.length > 0
          ? Number(rows[0].fts_total)
          : Number(
              (await base.clone().select('COUNT(*)', 'cnt').getRawOne<{ cnt: number | string }>())?.cnt ?? 0,
            );
    } catch (err) {
      // The sanitiser should make this impossible; never let a query string become a 500.
      if (isFtsSyntaxError(err)) return { hits: [], total: 0 };
      throw err;
    }
    const byToken = new Map(
      (await this.catalog.findMany(rows.map((r) => r.token))).map((i) => [i.friendly_token, i]),
    );
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const item = byToken.get(row.token);
      if (item) hits.push({ item, relevance: -Number(row.fts_score) });
    }
    return { hits, total };
  }

  async indexedCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM catalog_fts');
    return Number(row?.n ?? 0);
  }

  /** The bare FTS5 query (no join, no filters), for the benchmark's baseline. */
  async bare(match: string, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT friendly_token, ${BM25} AS score FROM catalog_fts WHERE catalog_fts MATCH ? ORDER BY score LIMIT ?`,
      [match, limit],
    );
    return rows.length;
  }
}

function isFtsSyntaxError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /fts5|malformed MATCH|unterminated string|no such column/i.test(message);
}
