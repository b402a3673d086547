/**
 * SQLITE-ONLY SEARCH ADAPTER.
 *
 * The only file with SQLite-specific SQL: the FTS5 table `catalog_fts` (title, description, and
 * the flag words of a hidden or gone row), whose rowid is `catalog.search_id` (see the
 * CatalogSearchKey and CatalogSearchFlags migrations). It keeps its own copy
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

/** bm25 weights per column: title, description, flags (the flag words never rank). */
const BM25 = 'bm25(catalog_fts, 10.0, 1.0, 0.0)';
/**
 * The flag words of the catalog row aliased `row`: `wqhidden` when it is hidden, `wqgone` when it
 * is gone. Written with the row's text here; the CatalogSearchFlags migration's trigger rewrites
 * them whenever `hidden` or `gone_at` changes.
 */
const FLAGS_OF = (row: string): string =>
  `trim(CASE WHEN ${row}.hidden THEN 'wqhidden' ELSE '' END || ` +
  `CASE WHEN ${row}.gone_at IS NOT NULL THEN ' wqgone' ELSE '' END)`;
/** The searcher's words, in the text columns only (typing `wqgone` finds nothing special). */
const inText = (match: string): string => `{title description} : (${match})`;
/** The same matches less those flagged gone, and hidden too when `hidden` rows are left out. */
const visibleIn = (match: string, leaveOutHidden: boolean): string =>
  `${inText(match)} NOT flags : ${leaveOutHidden ? '(wqgone OR wqhidden)' : 'wqgone'}`;
/** Every match, unranked (the count). */
const MATCHES = '(SELECT rowid AS sid FROM catalog_fts WHERE catalog_fts MATCH :fts_match)';
/**
 * The best `limit` matches by rank (ties by key, so pages never overlap): under the default sort
 * a page is taken from these, and only when the filters drop too many is every match ranked.
 */
const rankedMatches = (limit: number | null): string =>
  `(SELECT rowid AS sid, ${BM25} AS score FROM catalog_fts WHERE catalog_fts MATCH :fts_match ` +
  `ORDER BY score, rowid${limit === null ? '' : ` LIMIT ${limit}`})`;
/** Beyond this many left-out tokens the count joins the catalog instead of subtracting them. */
const MAX_SUBTRACTED = 500;
/** Rows per multi-row INSERT (4 parameters each). */
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
      // The row is already written (a sync page upserts it first), so its flags are read from it.
      const flagged = `(?, ?, ?, (SELECT ${FLAGS_OF('c')} FROM catalog c WHERE c.search_id = ?))`;
      await manager.query(
        `INSERT INTO catalog_fts (rowid, title, description, flags) VALUES ${chunk.map(() => flagged).join(', ')}`,
        chunk.flatMap((r) => [r.search_id, r.title, r.description ?? '', r.search_id]),
      );
    }
  }

  /**
   * One page of matches for an already sanitised MATCH expression (see search-query.ts), with
   * the catalog filters; `default` sort means "by rank". The total counts the visible matches
   * without ranking them: inside FTS5 from the flag words when only visibility filters, else by
   * joining the catalog. Under the default sort the page comes from the best few matches (top-k:
   * bm25 for every match is FTS5's own floor, but nothing else is sorted or joined for all of
   * them); the other sorts order every visible match by the catalog's sort keys and count them in
   * the same pass.
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
            .setParameter('fts_match', inText(query.match)),
          'c',
          filter,
        ),
        'c',
        query.literals,
      );
    const joinedCount = async (): Promise<number> =>
      Number(
        (
          await this.catalog.reads.rawOne<{ cnt: number | string }>(
            visible(MATCHES).select('COUNT(*)', 'cnt'),
          )
        )?.cnt ?? 0,
      );
    let rows: { token: string; score: number | null }[];
    let total: number;
    try {
      if (sort === 'default') {
        total = (await this.flaggedCount(query, filter)) ?? (await joinedCount());
        if (total <= offset) return { hits: [], total };
        const pageOf = (matches: string): Promise<{ token: string; score: number | null }[]> =>
          this.catalog.reads.rawMany(
            visible(matches)
              .select('c.friendly_token', 'token')
              .addSelect('s.score', 'score')
              .orderBy('s.score', 'ASC')
              .addOrderBy('s.sid', 'ASC')
              .offset(offset)
              .limit(limit),
          );
        // Twice the rows the page needs, so a few hidden or filtered matches still leave a full
        // page; when the filters drop more than that, every match is ranked.
        rows = await pageOf(rankedMatches(2 * (offset + limit) + 50));
        if (rows.length < Math.min(limit, total - offset)) rows = await pageOf(rankedMatches(null));
      } else {
        const page = visible(MATCHES)
          .select('c.friendly_token', 'token')
          .addSelect('NULL', 'score')
          .addSelect('COUNT(*) OVER ()', 'total');
        this.catalog.applySort(page, 'c', sort);
        const counted = await this.catalog.reads.rawMany<{
          token: string;
          score: null;
          total: number | string;
        }>(page.offset(offset).limit(limit));
        rows = counted;
        // A page past the end has no row to carry the count.
        total = counted.length > 0 ? Number(counted[0].total) : offset === 0 ? 0 : await joinedCount();
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

  /**
   * The visible matches counted inside FTS5, when nothing but visibility filters them: the
   * matches not flagged gone (or hidden), less the few tokens visibility leaves out by name
   * (reserved playlists). Null when a filter needs the catalog's columns.
   */
  private async flaggedCount(
    query: Pick<FtsQuery, 'match' | 'literals'>,
    filter: CatalogFilter,
  ): Promise<number | null> {
    const { visibility } = filter;
    const byColumns =
      filter.category || filter.tag || filter.length || (filter.excludeManifests?.length ?? 0) > 0;
    if (byColumns || query.literals.length > 0 || visibility.excluded.size > MAX_SUBTRACTED) return null;
    const match = visibleIn(
      query.match,
      visibility.hiddenCategories.length > 0 || visibility.hiddenTags.length > 0,
    );
    const [all] = await this.catalog.reads.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM catalog_fts WHERE catalog_fts MATCH ?',
      [match],
    );
    let total = Number(all?.n ?? 0);
    if (total > 0 && visibility.excluded.size > 0) {
      const excluded = [...visibility.excluded];
      const [left] = await this.catalog.reads.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM catalog_fts WHERE catalog_fts MATCH ? AND rowid IN ' +
          `(SELECT search_id FROM catalog WHERE friendly_token IN (${excluded.map(() => '?').join(', ')}))`,
        [match, ...excluded],
      );
      total -= Number(left?.n ?? 0);
    }
    return total;
  }

  async indexedCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM catalog_fts');
    return Number(row?.n ?? 0);
  }

  /**
   * The benchmark's floor: the two questions any ranked, counted page must ask FTS5 (how many
   * rows match, and the best `limit` of them by bm25), on the same read connection as a search,
   * with no join to the catalog, no filter and no item loaded.
   */
  async searchFloor(match: string, limit: number): Promise<{ total: number; ranked: number }> {
    const [count] = await this.catalog.reads.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM catalog_fts WHERE catalog_fts MATCH ?',
      [inText(match)],
    );
    const ranked = await this.catalog.reads.query(
      `SELECT rowid, ${BM25} AS score FROM catalog_fts WHERE catalog_fts MATCH ? ORDER BY score, rowid LIMIT ?`,
      [inText(match), limit],
    );
    return { total: Number(count?.n ?? 0), ranked: ranked.length };
  }
}

function isFtsSyntaxError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /fts5|malformed MATCH|unterminated string|no such column/i.test(message);
}
