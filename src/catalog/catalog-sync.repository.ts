import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import {
  type CatalogRowInput,
  changedMemberships,
  HIDDEN_CATEGORIES,
  HIDDEN_TAGS,
  HIDE_TAG,
  isHiddenByFacets,
  type MembershipIds,
  rowChanged,
  slugify,
  sortGroup,
  titleSortKey,
} from './catalog.rules';
import { CatalogCategoryEntity } from './entities/catalog-category.entity';
import { CatalogItemEntity } from './entities/catalog-item.entity';
import { CatalogTagEntity } from './entities/catalog-tag.entity';
import { CategoryEntity } from './entities/category.entity';
import { SyncLogEntity } from './entities/sync-log.entity';
import { TagEntity } from './entities/tag.entity';
import { CatalogSearch } from './search/catalog-search.port';
import { CATALOG_SLICE, catalogTokenSlices } from './token-slices';
import { Clock } from '../common/clock';
import { ClusterBus } from '../cluster/cluster-bus';
import type { DatabaseKind } from '../database/columns';
import { isPostgres } from '../database/data-source';
import { ReadConnection } from '../database/read-connection';

/** Category and tag names of one item; null = unknown (keep the current memberships). */
export type Memberships = { categories: string[]; tags: string[] } | null;

export interface PageResult {
  inserted: number;
  updated: number;
  /** Tokens of this page that have no cover art yet. */
  needArt: string[];
  /** Whether the page changed anything a catalog page shows (a row, a membership, a hidden flag). */
  changed: boolean;
}

const CHUNK = 300;
/** Sync pages reach the kept catalog pages at most this often (see shownVersion). */
export const SYNC_PAGES_SHOWN_EVERY_MS = 5_000;

/** Catalog cache versions, told to every instance. */
const VERSION_CHANNEL = 'catalog.version';

/**
 * `sortGroup()` and `titleSortKey()` (catalog.rules) in SQL, over the row's own current values,
 * so a sync write and a cover-art write can never leave a stale key behind each other. The rule
 * lower-cases A–Z only (as SQLite's lower() does); PostgreSQL's lower() knows every alphabet, so
 * there the same rule is spelt with translate() and compared byte-wise.
 */
function derivedKeySql(kind: DatabaseKind): { sortGroup: string; titleSort: string } {
  const asciiLower = (sql: string): string =>
    kind === 'postgres'
      ? `translate(${sql}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`
      : `lower(${sql})`;
  const firstLetter = asciiLower('substr(title, 1, 1)') + (kind === 'postgres' ? ' COLLATE "C"' : '');
  return {
    sortGroup:
      `(CASE WHEN cover_art_source IN ('tmdb', 'omdb') THEN 0 ELSE 2 END) + ` +
      `(CASE WHEN ${firstLetter} BETWEEN 'a' AND 'z' THEN 0 ELSE 1 END)`,
    titleSort: asciiLower('title'),
  };
}

/** `isHiddenByFacets()` (catalog.rules) in SQL over the row's memberships (TRUE/FALSE: 1/0 on SQLite). */
const HIDDEN_SQL =
  `(CASE WHEN EXISTS (SELECT 1 FROM catalog_categories hcc INNER JOIN categories hk ON hk.id = hcc.category_id ` +
  `WHERE hcc.friendly_token = catalog.friendly_token AND hk.name IN (:...hidden_categories)) ` +
  `OR EXISTS (SELECT 1 FROM catalog_tags hct INNER JOIN tags ht ON ht.id = hct.tag_id ` +
  `WHERE hct.friendly_token = catalog.friendly_token AND ht.name IN (:...hidden_tags)) ` +
  `THEN TRUE ELSE FALSE END)`;
/** A slice of the catalog by token, both ends included (see catalogTokenSlices). */
interface TokenRange {
  first: string;
  last: string;
}
const IN_RANGE = 'friendly_token BETWEEN :first AND :last';

const HIDDEN_PARAMS = { hidden_categories: [...HIDDEN_CATEGORIES], hidden_tags: [...HIDDEN_TAGS] };

function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Catalog writes: one page of a sync in one transaction (rows, FTS, memberships), marking
 * vanished items gone, the sync log, hide/unhide tags and cover-art columns.
 */
@Injectable()
export class CatalogSyncRepository {
  private categoryIds = new Map<string, number>();
  private takenSlugs = new Set<string>();
  private tagIds = new Map<string, number>();
  /**
   * Bumped when facet counts may have changed: once per sync run (at its end), on hide/unhide,
   * never per sync page, so browsing during a long sync keeps its cached facets.
   */
  version = 0;
  /**
   * Bumped whenever rows may have been added, changed or hidden (every sync page, hide/unhide,
   * the end of a run): the key of the cached browse counts, which must follow a long first sync.
   */
  rowsVersion = 0;
  /**
   * Bumped when something a catalog page shows changed other than by a sync page: hide/unhide,
   * the end of a run, cover art (which changes no count). Half of `shownVersion()`.
   */
  contentVersion = 0;
  /** Sync pages written (here, or by the leader as told over the bus). */
  private pageWrites = 0;
  /** The sync pages kept pages follow: `writes` as of `atMs`, numbered `epoch`. */
  private pageEpoch = { writes: 0, atMs: Number.NEGATIVE_INFINITY, epoch: 0 };
  private readonly versionListeners: (() => void)[] = [];

  private readonly keys: { sortGroup: string; titleSort: string };

  constructor(
    private readonly dataSource: DataSource,
    private readonly search: CatalogSearch,
    private readonly bus: ClusterBus,
    private readonly clock: Clock,
    private readonly reads: ReadConnection,
  ) {
    this.keys = derivedKeySql(isPostgres(dataSource) ? 'postgres' : 'sqlite');
    // The leader syncs; every instance drops the caches its writes make stale.
    this.bus.subscribe(VERSION_CHANNEL, (message) => {
      const scope = message as { rowsOnly?: boolean; contentOnly?: boolean };
      if (scope.contentOnly) this.contentVersion++;
      else if (scope.rowsOnly) {
        this.rowsVersion++;
        this.pageWrites++;
      } else this.bumpVersion('remote');
    });
  }

  /** Called after each version bump (CatalogService re-warms its facet cache). */
  onVersionChange(listener: () => void): void {
    this.versionListeners.push(listener);
  }

  private bumpVersion(origin: 'own' | 'remote' = 'own'): void {
    this.version++;
    this.rowsVersion++;
    this.contentVersion++;
    // Everything written so far shows now; the next sync page may show at once.
    this.pageEpoch = { ...this.pageEpoch, writes: this.pageWrites, atMs: Number.NEGATIVE_INFINITY };
    if (origin === 'own') this.bus.publish(VERSION_CHANNEL, {});
    for (const listener of this.versionListeners) listener();
  }

  /** A sync page was written: counts may differ, facets wait for the end of the run. */
  private bumpRowsVersion(): void {
    this.rowsVersion++;
    this.pageWrites++;
    this.bus.publish(VERSION_CHANNEL, { rowsOnly: true });
  }

  /**
   * The version of what catalog pages show, for the pages kept from it. A hide, a cover or the
   * end of a run moves it at once; the sync pages in between move it at most every
   * SYNC_PAGES_SHOWN_EVERY_MS, or a long sync (a page every few hundred ms) would leave nothing
   * kept at all. The first page after a quiet spell shows at once.
   */
  shownVersion(): string {
    const nowMs = this.clock.nowMs();
    const epoch = this.pageEpoch;
    if (epoch.writes !== this.pageWrites && nowMs - epoch.atMs >= SYNC_PAGES_SHOWN_EVERY_MS) {
      this.pageEpoch = { writes: this.pageWrites, atMs: nowMs, epoch: epoch.epoch + 1 };
    }
    return `${this.contentVersion}.${this.pageEpoch.epoch}`;
  }

  /** Something shown changed, no count did (cover art). */
  private bumpContentVersion(): void {
    this.contentVersion++;
    this.bus.publish(VERSION_CHANNEL, { contentOnly: true });
  }

  /** Loads the category/tag name→id maps (call once per sync). */
  async loadNameMaps(): Promise<void> {
    const categories = await this.dataSource.getRepository(CategoryEntity).find();
    this.categoryIds = new Map(categories.map((c) => [c.name, c.id]));
    this.takenSlugs = new Set(categories.map((c) => c.slug));
    const tags = await this.dataSource.getRepository(TagEntity).find();
    this.tagIds = new Map(tags.map((t) => [t.name, t.id]));
  }

  /**
   * Insert/update one page of rows, their FTS rows and memberships, in one transaction; then,
   * before the next page, lets the WAL be checkpointed if it grew (ReadConnection.settleWal).
   */
  async applyPage(
    rows: readonly CatalogRowInput[],
    memberships: Map<string, Memberships>,
    now: Date,
  ): Promise<PageResult> {
    const result = await this.dataSource
      .transaction(async (manager) => this.applyPageIn(manager, rows, memberships, now))
      .catch((err: unknown) => {
        this.bumpRowsVersion(); // what a failed page did is unknown to the caches
        throw err;
      });
    // A page that changed nothing (most of a re-sync) keeps the kept pages and counts.
    if (result.changed) this.bumpRowsVersion();
    await this.reads.settleWal();
    return result;
  }

  private async applyPageIn(
    manager: EntityManager,
    rows: readonly CatalogRowInput[],
    memberships: Map<string, Memberships>,
    now: Date,
  ): Promise<PageResult> {
    {
      const tokens = rows.map((r) => r.friendly_token);
      const existing = new Map(
        (tokens.length === 0
          ? []
          : await manager.findBy(CatalogItemEntity, { friendly_token: In(tokens) })
        ).map((e) => [e.friendly_token, e]),
      );
      const changed: CatalogRowInput[] = [];
      const result: PageResult = { inserted: 0, updated: 0, needArt: [], changed: false };
      for (const row of rows) {
        const old = existing.get(row.friendly_token);
        if (!old?.cover_art_path) result.needArt.push(row.friendly_token);
        if (!old) result.inserted++;
        else if (rowChanged(old, row) || old.gone_at !== null) result.updated++;
        else continue;
        changed.push(row);
      }
      const searchIds = await this.searchIdsFor(manager, changed, existing);
      // Sort keys from the rules, with the cover art as read above; a cover-art write racing
      // this page is repaired at the end of the run (repairDerived).
      for (const part of chunks(changed, 500)) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(CatalogItemEntity)
          .values(
            part.map((r) => ({
              ...r,
              updated_at: now,
              synced_at: now,
              gone_at: null,
              sort_group: sortGroup(r.title, existing.get(r.friendly_token)?.cover_art_source ?? null),
              title_sort: titleSortKey(r.title),
              search_id: searchIds.get(r.friendly_token) ?? null,
            })),
          )
          .orUpdate(
            [
              'title',
              'description',
              'duration_sec',
              'manifest_url',
              'thumbnail_url',
              'added_at',
              'updated_at',
              'synced_at',
              'gone_at',
              'sort_group',
              'title_sort',
              'search_id',
            ],
            ['friendly_token'],
          )
          .updateEntity(false)
          .execute();
      }
      const changedTokens = new Set(changed.map((c) => c.friendly_token));
      const unchanged = tokens.filter((t) => !changedTokens.has(t));
      for (const part of chunks(unchanged)) {
        await manager.update(CatalogItemEntity, { friendly_token: In(part) }, { synced_at: now });
      }
      if (changed.length > 0) {
        await this.search.index(
          manager,
          changed.map((r) => ({ ...r, search_id: searchIds.get(r.friendly_token) ?? null })),
          new Set(existing.keys()),
        );
      }
      const membershipsChanged = await this.replaceMemberships(manager, memberships);
      const flagsChanged = await this.setHiddenFlags(manager, memberships);
      result.changed = changed.length > 0 || membershipsChanged || flagsChanged;
      return result;
    }
  }

  /**
   * Each changed row's full-text key: the one it has, or the next free one (new items; the
   * largest key + 1, read inside the page's transaction, so two pages never hand out the same).
   */
  private async searchIdsFor(
    manager: EntityManager,
    changed: readonly CatalogRowInput[],
    existing: ReadonlyMap<string, CatalogItemEntity>,
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    let next: number | null = null;
    for (const row of changed) {
      const had = existing.get(row.friendly_token)?.search_id;
      if (had !== null && had !== undefined) {
        ids.set(row.friendly_token, had);
        continue;
      }
      if (next === null) {
        const [top] = await manager.query<{ top: number | string | null }[]>(
          'SELECT MAX(search_id) AS top FROM catalog',
        );
        next = Number(top?.top ?? 0) + 1;
      }
      ids.set(row.friendly_token, next++);
    }
    return ids;
  }

  /**
   * Rewrites the memberships of the tokens whose categories or tags differ from the stored ones
   * (null: unknown, left as they are); returns whether any did.
   */
  private async replaceMemberships(
    manager: EntityManager,
    memberships: Map<string, Memberships>,
  ): Promise<boolean> {
    const known = [...memberships.entries()].filter(
      (e): e is [string, { categories: string[]; tags: string[] }] => e[1] !== null,
    );
    if (known.length === 0) return false;
    const wanted = new Map<string, MembershipIds>();
    for (const [token, m] of known) {
      const categories = new Set<number>();
      const tags = new Set<number>();
      for (const name of new Set(m.categories)) categories.add(await this.categoryId(manager, name));
      for (const name of new Set(m.tags)) tags.add(await this.tagId(manager, name));
      wanted.set(token, { categories, tags });
    }
    const differ = changedMemberships(await this.storedMemberships(manager, [...wanted.keys()]), wanted);
    if (differ.length === 0) return false;
    const categoryRows: { friendly_token: string; category_id: number }[] = [];
    const tagRows: { friendly_token: string; tag_id: number }[] = [];
    for (const token of differ) {
      const ids = wanted.get(token);
      for (const id of ids?.categories ?? []) categoryRows.push({ friendly_token: token, category_id: id });
      for (const id of ids?.tags ?? []) tagRows.push({ friendly_token: token, tag_id: id });
    }
    for (const part of chunks(differ)) {
      await manager.delete(CatalogCategoryEntity, { friendly_token: In(part) });
      await manager.delete(CatalogTagEntity, { friendly_token: In(part) });
    }
    for (const part of chunks(categoryRows)) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(CatalogCategoryEntity)
        .values(part)
        .orIgnore()
        .execute();
    }
    for (const part of chunks(tagRows)) {
      await manager.createQueryBuilder().insert().into(CatalogTagEntity).values(part).orIgnore().execute();
    }
    return true;
  }

  /** The stored category and tag ids of these tokens (a token with none is absent). */
  private async storedMemberships(
    manager: EntityManager,
    tokens: readonly string[],
  ): Promise<Map<string, MembershipIds>> {
    const stored = new Map<string, { categories: Set<number>; tags: Set<number> }>();
    const tables = [
      { entity: CatalogCategoryEntity, column: 'category_id', kind: 'categories' },
      { entity: CatalogTagEntity, column: 'tag_id', kind: 'tags' },
    ] as const;
    for (const part of chunks(tokens)) {
      for (const { entity, column, kind } of tables) {
        const rows = await manager
          .createQueryBuilder(entity, 'm')
          .select('m.friendly_token', 'token')
          .addSelect(`m.${column}`, 'id')
          .where('m.friendly_token IN (:...tokens)', { tokens: part })
          .getRawMany<{ token: string; id: number | string }>();
        for (const row of rows) {
          let ids = stored.get(row.token);
          if (!ids) stored.set(row.token, (ids = { categories: new Set(), tags: new Set() }));
          ids[kind].add(Number(row.id));
        }
      }
    }
    return stored;
  }

  private async categoryId(manager: EntityManager, name: string): Promise<number> {
    const known = this.categoryIds.get(name);
    if (known !== undefined) return known;
    const slug = slugify(name, this.takenSlugs);
    const saved = await manager.save(CategoryEntity, manager.create(CategoryEntity, { name, slug }));
    this.categoryIds.set(name, saved.id);
    this.takenSlugs.add(slug);
    return saved.id;
  }

  private async tagId(manager: EntityManager, name: string): Promise<number> {
    const known = this.tagIds.get(name);
    if (known !== undefined) return known;
    const found = await manager.findOneBy(TagEntity, { name });
    const id = found ? found.id : (await manager.save(TagEntity, manager.create(TagEntity, { name }))).id;
    this.tagIds.set(name, id);
    return id;
  }

  /**
   * Recomputes `sort_group` and `title_sort` from title and cover art: of these rows, or of the
   * rows of a slice of the catalog whose keys are stale (rows written by other code).
   */
  async refreshSortKeys(manager: EntityManager, scope: string[] | TokenRange): Promise<number> {
    if (Array.isArray(scope) && scope.length === 0) return 0;
    const stale = `(sort_group <> ${this.keys.sortGroup} OR title_sort <> ${this.keys.titleSort})`;
    const res = await manager
      .createQueryBuilder()
      .update(CatalogItemEntity)
      .set({ sort_group: () => this.keys.sortGroup, title_sort: () => this.keys.titleSort })
      .where(
        Array.isArray(scope) ? { friendly_token: In(scope) } : `${IN_RANGE} AND ${stale}`,
        Array.isArray(scope) ? {} : scope,
      )
      .execute();
    return res.affected ?? 0;
  }

  /**
   * Repairs every stale derived column (start-up, end of a sync run); returns rows changed. One
   * slice of the catalog at a time (catalogTokenSlices), yielding between slices.
   */
  async repairDerived(): Promise<number> {
    let changed = 0;
    for await (const [first, last] of catalogTokenSlices(this.dataSource, CATALOG_SLICE)) {
      const range = { first, last };
      changed += await this.refreshHidden(this.dataSource.manager, range);
      changed += await this.refreshSortKeys(this.dataSource.manager, range);
      await this.reads.settleWal();
    }
    return changed;
  }

  /**
   * Recomputes the `hidden` flag from the memberships: of these tokens, or of the rows of a
   * slice of the catalog whose flag is wrong. Returns rows changed.
   */
  async refreshHidden(manager: EntityManager, scope: string[] | TokenRange): Promise<number> {
    if (Array.isArray(scope) && scope.length === 0) return 0;
    const res = await manager
      .createQueryBuilder()
      .update(CatalogItemEntity)
      .set({ hidden: () => HIDDEN_SQL })
      .where(
        Array.isArray(scope) ? { friendly_token: In(scope) } : `${IN_RANGE} AND hidden <> ${HIDDEN_SQL}`,
        Array.isArray(scope) ? {} : scope,
      )
      .setParameters(HIDDEN_PARAMS)
      .execute();
    return res.affected ?? 0;
  }

  /**
   * The `hidden` flag of the rows whose memberships are known (isHiddenByFacets); returns whether
   * any flag moved.
   */
  private async setHiddenFlags(
    manager: EntityManager,
    memberships: Map<string, Memberships>,
  ): Promise<boolean> {
    let moved = false;
    const byFlag = new Map<boolean, string[]>([
      [true, []],
      [false, []],
    ]);
    for (const [token, m] of memberships) {
      if (m) byFlag.get(isHiddenByFacets(m.categories, m.tags))?.push(token);
    }
    for (const [hidden, tokens] of byFlag) {
      for (const part of chunks(tokens, 500)) {
        const update = await manager
          .createQueryBuilder()
          .update(CatalogItemEntity)
          .set({ hidden })
          .where({ friendly_token: In(part) })
          .andWhere('hidden <> :hidden', { hidden })
          .execute();
        // A driver that does not say how many rows it changed counts as a change.
        if (update.affected !== 0) moved = true;
      }
    }
    return moved;
  }

  /** End of a sync run (complete or not): fix any stale hidden flag, let readers drop caches. */
  async finishRun(): Promise<void> {
    await this.repairDerived();
    this.bumpVersion();
  }

  /** Marks live items not in `seen` as gone; returns how many. */
  async markGone(seen: ReadonlySet<string>, now: Date): Promise<number> {
    let vanished = 0;
    for await (const [first, last] of catalogTokenSlices(this.dataSource, CATALOG_SLICE)) {
      const live = await this.dataSource
        .getRepository(CatalogItemEntity)
        .createQueryBuilder('c')
        .select('c.friendly_token', 'token')
        .where('c.friendly_token BETWEEN :first AND :last AND c.gone_at IS NULL', { first, last })
        .getRawMany<{ token: string }>();
      const gone = live.map((r) => r.token).filter((t) => !seen.has(t));
      for (const part of chunks(gone)) {
        await this.dataSource
          .getRepository(CatalogItemEntity)
          .update({ friendly_token: In(part) }, { gone_at: now });
      }
      vanished += gone.length;
      await this.reads.settleWal();
    }
    return vanished;
  }

  // ---- sync log ----

  startLog(now: Date): Promise<SyncLogEntity> {
    const repo = this.dataSource.getRepository(SyncLogEntity);
    return repo.save(repo.create({ started_at: now, status: 'running' }));
  }

  async saveLog(log: SyncLogEntity): Promise<void> {
    await this.dataSource.getRepository(SyncLogEntity).save(log);
  }

  recentLogs(limit: number): Promise<SyncLogEntity[]> {
    return this.dataSource.getRepository(SyncLogEntity).find({ order: { id: 'DESC' }, take: limit });
  }

  /** Logs left `running` by a crash are closed as errors at start-up. */
  async closeStaleLogs(now: Date): Promise<number> {
    const res = await this.dataSource
      .getRepository(SyncLogEntity)
      .update(
        { status: 'running' },
        { status: 'error', ended_at: now, message: 'interrupted (process stopped)' },
      );
    return res.affected ?? 0;
  }

  // ---- hide / unhide, cover art ----

  /** Adds (true) or removes (false) the local `kryten-hidden` tag. */
  async setHiddenTag(token: string, hidden: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!this.tagIds.has(HIDE_TAG)) {
        const found = await manager.findOneBy(TagEntity, { name: HIDE_TAG });
        if (found) this.tagIds.set(HIDE_TAG, found.id);
      }
      if (hidden) {
        const tagId = await this.tagId(manager, HIDE_TAG);
        await manager
          .createQueryBuilder()
          .insert()
          .into(CatalogTagEntity)
          .values({ friendly_token: token, tag_id: tagId })
          .orIgnore()
          .execute();
      } else {
        const tagId = this.tagIds.get(HIDE_TAG);
        if (tagId !== undefined) {
          await manager.delete(CatalogTagEntity, { friendly_token: token, tag_id: tagId });
        }
      }
      await this.refreshHidden(manager, [token]);
    });
    this.bumpVersion();
  }

  /** Cover art columns and, in the same statement, the default sort group they feed. */
  async setCoverArt(token: string, path: string | null, source: string | null): Promise<void> {
    try {
      await this.dataSource
        .createQueryBuilder()
        .update(CatalogItemEntity)
        .set({ cover_art_path: path, cover_art_source: source })
        .where({ friendly_token: token })
        .execute();
      await this.refreshSortKeys(this.dataSource.manager, [token]);
    } finally {
      this.bumpContentVersion();
    }
  }
}
