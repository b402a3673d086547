import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { NullableTimestampColumn } from '../../database/columns';

/**
 * One MediaCMS video (table `catalog`).
 *
 * `hidden`, `sort_group` and `title_sort` are derived columns kept at write time by
 * CatalogSyncRepository (see catalog.rules: sortGroup, titleSortKey, isHiddenByFacets), so
 * browse can walk an index in order instead of sorting and filtering 100k rows per request.
 * Each browse index ends with the filter columns (hidden, gone_at) so the visibility test is
 * answered from the index alone; `idx_catalog_visibility`, which a category or tag filter walks
 * (by token, from the membership table), also carries the sort keys, so such a page sorts its
 * members without reading their rows.
 *
 * `search_id` is the item's key in the SQLite full-text index (its FTS5 rowid): a search joins
 * its matches to the catalog through `idx_catalog_search`, which also holds every filter and sort
 * key, so the join never reads a catalog row. It is an explicit column, not the table's own
 * rowid, because SQLite may renumber the rowids of a table without an INTEGER PRIMARY KEY.
 */
@Entity('catalog')
@Index('idx_catalog_browse_default', ['sort_group', 'title_sort', 'friendly_token', 'hidden', 'gone_at'])
@Index('idx_catalog_browse_title', ['title_sort', 'friendly_token', 'hidden', 'gone_at'])
@Index('idx_catalog_browse_added', ['added_at', 'synced_at', 'friendly_token', 'hidden', 'gone_at'])
@Index('idx_catalog_visibility', [
  'friendly_token',
  'hidden',
  'gone_at',
  'duration_sec',
  'sort_group',
  'title_sort',
  'added_at',
  'synced_at',
])
@Index('idx_catalog_search', [
  'search_id',
  'hidden',
  'gone_at',
  'duration_sec',
  'sort_group',
  'title_sort',
  'added_at',
  'synced_at',
  'friendly_token',
])
export class CatalogItemEntity {
  /** The MediaCMS friendly token. */
  @PrimaryColumn({ type: 'text' }) friendly_token!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'integer', nullable: true }) duration_sec!: number | null;
  /** The CyTube `cm` manifest URL, used as the CyTube media id. */
  @Index('idx_catalog_manifest_url')
  @Column({ type: 'text' })
  manifest_url!: string;
  @Column({ type: 'text', nullable: true }) thumbnail_url!: string | null;
  /** Name of the hash directory under image_dir holding 200/400/800.webp. */
  @Column({ type: 'text', nullable: true }) cover_art_path!: string | null;
  /** `tmdb` | `omdb` | `thumbnail`. */
  @Column({ type: 'text', nullable: true }) cover_art_source!: string | null;
  @NullableTimestampColumn() added_at!: Date | null;
  @NullableTimestampColumn() updated_at!: Date | null;
  @NullableTimestampColumn() synced_at!: Date | null;
  /** Ours: set when the item vanished from MediaCMS; such items leave browse and search. */
  @NullableTimestampColumn() gone_at!: Date | null;
  /** Ours: in a hidden category or carrying a hidden tag (HIDDEN_CATEGORIES/HIDDEN_TAGS). */
  @Column({ type: 'boolean', default: false }) hidden!: boolean;
  /** Ours: the default sort's group, `sortGroup(title, cover_art_source)`. */
  @Column({ type: 'integer', default: 3 }) sort_group!: number;
  /** Ours: `titleSortKey(title)`, for the default and title sorts. */
  @Column({ type: 'text', default: '' }) title_sort!: string;
  /** Ours: the key of this item's full-text entry, given once when the item first arrives. */
  @Column({ type: 'integer', nullable: true }) search_id!: number | null;
}
