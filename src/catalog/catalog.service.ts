import type { CatalogLength } from './catalog.rules';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { PromiseCache } from '../common/promise-cache';
import {
  type CategoryFacet,
  CatalogRepository,
  type TagFacet,
  type CatalogFilter,
} from './catalog.repository';
import { ReservedMemberships } from './reserved-memberships.port';
import {
  type CatalogSort,
  excludedTokens,
  HIDE_TAG,
  isTokenLike,
  PAGE_SIZE,
  pageOffset,
  tokenFromMediaId,
  totalPages,
  visibilityFor,
} from './catalog.rules';
import { CatalogItemNotFoundException, QueryRequiredException } from './catalog.exception';
import { CatalogSyncRepository } from './catalog-sync.repository';
import { CatalogSyncService, type SyncSummary } from './catalog-sync.service';
import { type CatalogItemEntity } from './entities/catalog-item.entity';
import { type FtsQuery, isBlankQuery, toFtsQuery } from './search/search-query';
import { CatalogSearch } from './search/catalog-search.port';

/** The item fields every list shows. */
export interface CatalogItemSummary {
  friendly_token: string;
  title: string;
  duration_sec: number | null;
  cover_art_path: string | null;
  cover_art_source: string | null;
  thumbnail_url: string | null;
  manifest_url: string;
  relevance?: number;
}

export interface ListQuery {
  category?: string | null;
  tag?: string | null;
  length?: CatalogLength | null;
  /** Manifest URLs to leave out (what played lately, for "Not played in a while"). */
  excludeManifests?: readonly string[];
  page: number;
  sort: CatalogSort;
  /** Already checked against the user's rank. */
  showHidden: boolean;
}

export interface ListResult {
  items: CatalogItemSummary[];
  total: number;
  page: number;
  total_pages: number;
  page_size: number;
  sort: CatalogSort;
}

export interface Facets {
  categories: CategoryFacet[];
  tags: TagFacet[];
}

/**
 * Facet lists are cached per (catalog write version, show_hidden, reservations version). The
 * catalog version moves once per sync run and on hide/unhide (CatalogSyncRepository.version);
 * the reservations version on any saved-playlist write, so a reservation change shows at once.
 * The TTL is only a safety net.
 */
const FACET_TTL_MS = 15 * 60_000;
/** Distinct browse filters whose totals are kept. */
const COUNT_CACHE_SIZE = 500;
/** Browse pages kept (a page is 24 summaries, a few KB). */
const PAGE_CACHE_SIZE = 1000;

export function toSummary(item: CatalogItemEntity, relevance?: number): CatalogItemSummary {
  return {
    friendly_token: item.friendly_token,
    title: item.title,
    duration_sec: item.duration_sec,
    cover_art_path: item.cover_art_path,
    cover_art_source: item.cover_art_source,
    thumbnail_url: item.thumbnail_url,
    manifest_url: item.manifest_url,
    ...(relevance === undefined ? {} : { relevance }),
  };
}

/**
 * The catalog as the rest of the app sees it: browse, search, facets and the item lookups
 * used by pay-to-play (getPayableItem), admin adds (getAdminItem) and the live queue.
 */
@Injectable()
export class CatalogService {
  private readonly logger = new Logger('Catalog');
  private facetCache = new Map<string, { at: number; facets: Facets }>();
  /** Facet computations in flight, by cache key: concurrent readers share one. */
  private facetsInFlight = new Map<string, Promise<Facets>>();
  /**
   * Browse totals per filter (counting every visible row is most of a browse query at 100k
   * items). Keyed by the rows version, which any catalog write moves, and the reservations'.
   */
  private readonly countCache = new PromiseCache<number>({ max: COUNT_CACHE_SIZE });
  /**
   * Whole browse pages, keyed by the content key (`contentKey()`) and the query: most viewers
   * look at the first pages of a few filters, and nothing on a page can change without the key
   * moving (sync pages within a few seconds, anything else at once).
   */
  private readonly pageCache = new PromiseCache<ListResult>({ max: PAGE_CACHE_SIZE });
  /**
   * Search result pages, keyed like browse pages and by the query text: a channel's viewers
   * search for the same few things, and each miss costs bm25 over every match.
   */
  private readonly searchCache = new PromiseCache<ListResult & { query: string }>({ max: PAGE_CACHE_SIZE });
  /** The excluded tokens for the current reservations version. */
  private excluded: { version: number; tokens: Promise<Set<string>> } | null = null;

  constructor(
    private readonly repo: CatalogRepository,
    private readonly memberships: ReservedMemberships,
    private readonly fts: CatalogSearch,
    private readonly writes: CatalogSyncRepository,
    private readonly syncer: CatalogSyncService,
    private readonly clock: Clock,
  ) {
    // After a sync run (or a hide) recompute the viewers' facets in the background, so no
    // request pays for it; a request arriving meanwhile awaits the same computation.
    this.writes.onVersionChange(() => {
      this.facets(false).catch((err: unknown) => this.logger.warn(`facet warm-up failed: ${String(err)}`));
    });
  }

  /** One MediaCMS sync; answers `already_running` at once if one is in flight. */
  runSync(triggeredBy: string, signal?: AbortSignal): Promise<SyncSummary> {
    return this.syncer.runSync(triggeredBy, signal);
  }

  isSyncRunning(): boolean {
    return this.syncer.isSyncRunning();
  }

  /** Reserved (immutable playlist) and promo-pool tokens, resolved from their media ids. */
  excludedTokens(): Promise<Set<string>> {
    const version = this.memberships.version;
    if (this.excluded?.version === version) return this.excluded.tokens;
    const tokens = this.memberships.list().then(excludedTokens);
    tokens.catch(() => {
      if (this.excluded?.tokens === tokens) this.excluded = null;
    });
    this.excluded = { version, tokens };
    return tokens;
  }

  /** Drop cached facets (tests and the benchmark; writes move the versions instead). */
  invalidate(): void {
    this.facetCache.clear();
  }

  /** Drop kept browse pages and search results (the benchmark measures a miss with it). */
  forgetPages(): void {
    this.pageCache.clear();
    this.searchCache.clear();
  }

  /**
   * A key that changes whenever a catalog page's content may have: for callers that keep
   * something built from these answers (the rendered browse page).
   */
  contentKey(): string {
    return `${this.writes.shownVersion()}.${this.memberships.version}`;
  }

  browse(query: ListQuery): Promise<ListResult> {
    // "Not played in a while" leaves out the latest history, which moves on its own.
    if (query.excludeManifests?.length) return this.browseUncached(query);
    this.pageCache.keepOnly(this.contentKey());
    return this.pageCache.get(this.keptPageKey(query), () => this.browseUncached(query));
  }

  /** The key of a kept result page: the content key, the query and (for a search) its text. */
  private keptPageKey(query: ListQuery, text?: string): string {
    return JSON.stringify([
      this.contentKey(),
      text ?? null,
      query.category ?? null,
      query.tag ?? null,
      query.length ?? null,
      query.page,
      query.sort,
      query.showHidden,
    ]);
  }

  private async browseUncached(query: ListQuery): Promise<ListResult> {
    // Versions are read before the data, so a cached answer is never older than its key.
    const versions = { rows: this.writes.rowsVersion, memberships: this.memberships.version };
    const visibility = visibilityFor(await this.excludedTokens(), query.showHidden);
    const filter = {
      visibility,
      category: query.category,
      tag: query.tag,
      length: query.length,
      excludeManifests: query.excludeManifests,
    };
    const { items, total } = await this.repo.browse(
      filter,
      query.sort,
      pageOffset(query.page),
      PAGE_SIZE,
      await this.cachedCount(filter, versions),
    );
    return this.list(
      items.map((i) => toSummary(i)),
      total,
      query,
    );
  }

  /** @throws QueryRequiredException for a blank query. Unsearchable input gives no results. */
  async search(q: string | null | undefined, query: ListQuery): Promise<ListResult & { query: string }> {
    if (isBlankQuery(q)) throw new QueryRequiredException();
    const text = (q ?? '').trim();
    const fts = toFtsQuery(text);
    if (!fts) return { ...this.list([], 0, query), query: text };
    this.searchCache.keepOnly(this.contentKey());
    return this.searchCache.get(this.keptPageKey(query, text), () => this.searchUncached(fts, text, query));
  }

  private async searchUncached(
    fts: FtsQuery,
    text: string,
    query: ListQuery,
  ): Promise<ListResult & { query: string }> {
    const visibility = visibilityFor(await this.excludedTokens(), query.showHidden);
    const { hits, total } = await this.fts.search(
      fts,
      { visibility, category: query.category, tag: query.tag, length: query.length },
      query.sort,
      pageOffset(query.page),
      PAGE_SIZE,
    );
    return {
      ...this.list(
        hits.map((h) => toSummary(h.item, h.relevance)),
        total,
        query,
      ),
      query: text,
    };
  }

  private cachedCount(
    filter: CatalogFilter,
    versions: { rows: number; memberships: number },
  ): Promise<number> {
    const { visibility, ...rest } = filter;
    const key = JSON.stringify([
      versions.rows,
      versions.memberships,
      visibility.hiddenCategories,
      visibility.hiddenTags,
      rest,
    ]);
    this.countCache.keepOnly(`${versions.rows}.${versions.memberships}`);
    return this.countCache.get(key, () => this.repo.count(filter));
  }

  /** Category and tag facets of visible items (cached briefly). */
  async facets(showHidden: boolean): Promise<Facets> {
    const membershipsVersion = this.memberships.version;
    const excluded = await this.excludedTokens();
    const key = `${this.writes.version}|${showHidden ? 1 : 0}|${membershipsVersion}`;
    const now = this.clock.nowMs();
    const hit = this.facetCache.get(key);
    if (hit && now - hit.at < FACET_TTL_MS) return hit.facets;
    const running = this.facetsInFlight.get(key);
    if (running) return running;
    const filter = { visibility: visibilityFor(excluded, showHidden) };
    const work = (async (): Promise<Facets> => {
      const facets = {
        categories: await this.repo.categoryFacets(filter),
        tags: await this.repo.tagFacets(filter),
      };
      if (this.facetCache.size > 16) this.facetCache.clear();
      this.facetCache.set(key, { at: now, facets });
      return facets;
    })().finally(() => this.facetsInFlight.delete(key));
    this.facetsInFlight.set(key, work);
    return work;
  }

  /** `GET /catalog/categories`: non-hidden categories with ≥1 visible item. */
  async categories(): Promise<CategoryFacet[]> {
    return (await this.facets(false)).categories;
  }

  /**
   * The item a viewer may pay for.
   * @throws CatalogItemNotFoundException when unknown, gone, reserved, in a promo pool, or
   * hidden by category/tag.
   */
  /** Live titles (optionally only items added since `since`), in token order (the title jobs). */
  liveTitles(since: Date | null): Promise<Pick<CatalogItemEntity, 'friendly_token' | 'title'>[]> {
    return this.repo.liveTitles(since);
  }

  async getPayableItem(token: string): Promise<CatalogItemEntity> {
    return this.getVisibleItem(token, false);
  }

  /** The item an admin may add: 404 when unknown, gone or reserved (hidden is allowed). */
  async getAdminItem(token: string): Promise<CatalogItemEntity> {
    const item = await this.getLiveItem(token);
    const reserved = excludedTokens((await this.memberships.list()).filter((m) => m.is_immutable));
    if (reserved.has(item.friendly_token)) throw new CatalogItemNotFoundException();
    return item;
  }

  /**
   * The item for the detail page and `/catalog/item/{token}`: never reserved, promo or gone;
   * hidden items only when `allowHidden` (admins).
   */
  async getVisibleItem(token: string, allowHidden: boolean, detail?: string): Promise<CatalogItemEntity> {
    const item = await this.getLiveItem(token, detail);
    if ((await this.excludedTokens()).has(item.friendly_token)) {
      throw new CatalogItemNotFoundException(detail);
    }
    if (!allowHidden && item.hidden) {
      throw new CatalogItemNotFoundException(detail);
    }
    return item;
  }

  /** Unknown or gone → 404. No visibility rules (for admin tools). */
  async getLiveItem(token: string, detail?: string): Promise<CatalogItemEntity> {
    const item = typeof token === 'string' && isTokenLike(token) ? await this.repo.findByToken(token) : null;
    if (!item || item.gone_at !== null) throw new CatalogItemNotFoundException(detail);
    return item;
  }

  /**
   * Batch lookup for the live queue by friendly_token or media id (manifest URL, any base).
   * The map is keyed by token, by manifest_url and by each media id given.
   */
  async findForQueue(
    keys: { friendly_token?: string | null; media_id?: string | null }[],
  ): Promise<Map<string, CatalogItemEntity>> {
    const tokens = new Set<string>();
    const manifests = new Set<string>();
    for (const key of keys) {
      if (key.friendly_token && isTokenLike(key.friendly_token)) tokens.add(key.friendly_token);
      if (key.media_id) {
        manifests.add(key.media_id);
        const t = tokenFromMediaId(key.media_id);
        if (t) tokens.add(t);
      }
    }
    const items = await this.repo.findByTokensOrManifests([...tokens], [...manifests]);
    const out = new Map<string, CatalogItemEntity>();
    for (const item of items) {
      out.set(item.friendly_token, item);
      out.set(item.manifest_url, item);
    }
    for (const key of keys) {
      if (!key.media_id || out.has(key.media_id)) continue;
      const t = tokenFromMediaId(key.media_id);
      const item = t ? out.get(t) : undefined;
      if (item) out.set(key.media_id, item);
    }
    return out;
  }

  /** Item plus category {name, slug} and tag names (now-playing enrichment); null if unknown. */
  async getItemDetails(token: string): Promise<{
    item: CatalogItemEntity;
    categories: { name: string; slug: string }[];
    tags: string[];
  } | null> {
    if (!isTokenLike(token)) return null;
    const item = await this.repo.findByToken(token);
    if (!item) return null;
    return { item, ...(await this.repo.facetsOf(token)) };
  }

  /** Which of these tokens an admin has hidden (local `kryten-hidden` tag). */
  hiddenByAdmin(tokens: string[]): Promise<Set<string>> {
    return this.repo.tokensWithTag(tokens, HIDE_TAG);
  }

  /** Category {name, slug} and tag names of an item. */
  facetsOf(token: string): Promise<{ categories: { name: string; slug: string }[]; tags: string[] }> {
    return this.repo.facetsOf(token);
  }

  private list(items: CatalogItemSummary[], total: number, query: ListQuery): ListResult {
    return {
      items,
      total,
      page: query.page,
      total_pages: totalPages(total),
      page_size: PAGE_SIZE,
      sort: query.sort,
    };
  }
}
