/**
 * POSTGRESQL SEARCH ADAPTER.
 *
 * Uses `catalog_search` (created by the PostgresBaseline migration): each item's weighted
 * `tsvector` under a GIN index, and its lower-cased title under a trigram index. A query is the
 * same sanitised words the FTS5 adapter gets, as a `tsquery`: each word's letter runs in order
 * (`<->`), the words ANDed, the last one a prefix while the user types. Ranking is `ts_rank` with
 * the title weighted 10× the description, as bm25 is on SQLite. When the words match nothing at
 * all, the title is looked up by trigram word similarity instead, so "metrix" still finds
 * "The Matrix" (the SQLite adapter has no such fallback; both answer with the same contract).
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { type CatalogFilter, CatalogRepository } from '../catalog.repository';
import { type CatalogSort } from '../catalog.rules';
import { CatalogItemEntity } from '../entities/catalog-item.entity';
import { CatalogSearch, requireLiterals, type SearchDocument, type SearchHit } from './catalog-search.port';
import type { FtsQuery } from './search-query';

/** ts_rank weights {D, C, B, A}: description is B, title is A. */
const RANK_WEIGHTS = `'{0, 0, 0.1, 1.0}'`;
const DOCUMENT_SQL = (title: string, description: string): string =>
  `setweight(to_tsvector('simple', ${title}), 'A') || setweight(to_tsvector('simple', ${description}), 'B')`;
/** How alike a typed word and a word of the title must be for the typo fallback (0–1). */
export const TYPO_SIMILARITY = 0.35;
/** Rows per multi-row INSERT (3 parameters each). */
const INSERT_CHUNK = 300;

@Injectable()
export class PostgresTextSearch extends CatalogSearch {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CatalogRepository,
  ) {
    super();
  }

  async index(manager: EntityManager, rows: readonly SearchDocument[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const values = chunk.map((_, j) => {
        const [token, title, description] = [3 * j + 1, 3 * j + 2, 3 * j + 3].map((n) => `$${n}`);
        return `(${token}, ${DOCUMENT_SQL(`${title}::text`, `${description}::text`)}, lower(${title}::text))`;
      });
      await manager.query(
        `INSERT INTO catalog_search (friendly_token, document, title) VALUES ${values.join(', ')} ` +
          `ON CONFLICT (friendly_token) DO UPDATE SET document = EXCLUDED.document, title = EXCLUDED.title`,
        chunk.flatMap((r) => [r.friendly_token, r.title, r.description ?? '']),
      );
    }
  }

  async search(
    query: Pick<FtsQuery, 'match' | 'terms' | 'literals'>,
    filter: CatalogFilter,
    sort: CatalogSort,
    offset: number,
    limit: number,
  ): Promise<{ hits: SearchHit[]; total: number }> {
    const tsquery = toTsQuery(query.terms, query.match.endsWith('*'));
    const found = await this.page(
      (qb) =>
        qb
          .innerJoin(
            'catalog_search',
            's',
            `s.friendly_token = c.friendly_token AND s.document @@ to_tsquery('simple', :tsquery)`,
            { tsquery },
          )
          .addSelect(`ts_rank(${RANK_WEIGHTS}, s.document, to_tsquery('simple', :tsquery))`, 'score'),
      query.literals,
      filter,
      sort,
      offset,
      limit,
    );
    if (found.total > 0 || query.literals.length > 0) return found;
    // Nothing matched the words: perhaps a typo. Compare the words with the titles' words.
    const typed = query.terms.join(' ').toLowerCase();
    return this.page(
      (qb) =>
        qb
          .innerJoin(
            'catalog_search',
            's',
            's.friendly_token = c.friendly_token AND word_similarity(:typed, s.title) >= :similar',
            {
              typed,
              similar: TYPO_SIMILARITY,
            },
          )
          .andWhere(':typed <% s.title')
          .addSelect('word_similarity(:typed, s.title)', 'score'),
      [],
      filter,
      sort,
      offset,
      limit,
    );
  }

  /** One page of matches and their total, best score first under the `default` sort. */
  private async page(
    match: (qb: SelectQueryBuilder<CatalogItemEntity>) => SelectQueryBuilder<CatalogItemEntity>,
    literals: readonly string[],
    filter: CatalogFilter,
    sort: CatalogSort,
    offset: number,
    limit: number,
  ): Promise<{ hits: SearchHit[]; total: number }> {
    const base = this.catalog.applyFilter(
      this.dataSource.getRepository(CatalogItemEntity).createQueryBuilder('c'),
      'c',
      filter,
    );
    requireLiterals(base, 'c', literals);
    const page = match(base.clone().select('c.friendly_token', 'token')).addSelect(
      'COUNT(*) OVER ()',
      'total',
    );
    if (sort === 'default') page.orderBy('score', 'DESC').addOrderBy('c.friendly_token', 'ASC');
    else this.catalog.applySort(page, 'c', sort);
    const rows = await page
      .offset(offset)
      .limit(limit)
      .getRawMany<{ token: string; score: number | string; total: number | string }>();
    const total =
      rows.length > 0
        ? Number(rows[0].total)
        : offset === 0
          ? 0
          : await this.countOf(match(base.clone().select('c.friendly_token', 'token')));
    const byToken = new Map(
      (await this.catalog.findMany(rows.map((r) => r.token))).map((i) => [i.friendly_token, i]),
    );
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const item = byToken.get(row.token);
      if (item) hits.push({ item, relevance: Number(row.score) });
    }
    return { hits, total };
  }

  /** The rows of a page query past its end (its score column cannot sit beside a bare COUNT). */
  private async countOf(matches: SelectQueryBuilder<CatalogItemEntity>): Promise<number> {
    const [sql, parameters] = matches.getQueryAndParameters();
    const [row] = await this.dataSource.query<{ n: string }[]>(
      `SELECT COUNT(*) AS n FROM (${sql}) AS m`,
      parameters,
    );
    return Number(row?.n ?? 0);
  }

  async indexedCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: string }[]>('SELECT COUNT(*) AS n FROM catalog_search');
    return Number(row?.n ?? 0);
  }
}

/**
 * The sanitised words (letters, digits and spaces only) as a tsquery: `['star wars', 'ep']` →
 * `'star' <-> 'wars' & 'ep':*`. Nothing in a word can be tsquery syntax, and each is quoted anyway.
 */
export function toTsQuery(terms: readonly string[], prefixLast: boolean): string {
  return terms
    .map((term, i) => {
      const words = term.toLowerCase().split(/\s+/).filter(Boolean);
      return words
        .map((w, j) => {
          const quoted = `'${w.replace(/'/g, "''")}'`;
          return prefixLast && i === terms.length - 1 && j === words.length - 1 ? `${quoted}:*` : quoted;
        })
        .join(' <-> ');
    })
    .join(' & ');
}
