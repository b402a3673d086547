import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { SavedPlaylistItemEntity } from './entities/saved-playlist-item.entity';
import { PlaylistMemberships } from './playlist-memberships';
import { SavedPlaylistEntity } from './entities/saved-playlist.entity';
import { nextPosition } from './playlists.rules';

/** A playlist row as `GET /admin/playlists` lists it. */
export interface PlaylistSummary {
  id: number;
  name: string;
  description: string | null;
  is_immutable: boolean;
  promo_type: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date | null;
  item_count: number;
}

export type NewItem = Pick<SavedPlaylistItemEntity, 'media_type' | 'media_id' | 'title' | 'duration_sec'>;

/**
 * saved_playlists and saved_playlist_items (TypeORM, no SQLite-only SQL). Every write tells
 * PlaylistMemberships, whose cached reservations the catalog's browse and search read.
 */
@Injectable()
export class PlaylistsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly memberships: PlaylistMemberships,
  ) {}

  /** Runs a write, then tells the memberships cache (a failed write may have done part of it). */
  private async writing<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.memberships.changed();
    }
  }

  private playlists(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(SavedPlaylistEntity);
  }

  private items(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(SavedPlaylistItemEntity);
  }

  /** Every playlist by name (then id), with its item count. */
  async list(): Promise<PlaylistSummary[]> {
    const rows = await this.playlists()
      .createQueryBuilder('p')
      .leftJoin(SavedPlaylistItemEntity, 'i', 'i.playlist_id = p.id')
      .select('p')
      .addSelect('COUNT(i.id)', 'item_count')
      .groupBy('p.id')
      .orderBy('p.name', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getRawAndEntities<{ item_count: number | string }>();
    return rows.entities.map((p) => {
      const raw = rows.raw.find((r: Record<string, unknown>) => Number(r.p_id) === p.id);
      return { ...p, item_count: Number(raw?.item_count ?? 0) };
    });
  }

  find(id: number): Promise<SavedPlaylistEntity | null> {
    return this.playlists().findOneBy({ id });
  }

  itemsOf(id: number): Promise<SavedPlaylistItemEntity[]> {
    return this.items().find({ where: { playlist_id: id }, order: { position: 'ASC' } });
  }

  /** Playlists tagged as promo pools, by name. */
  promoPools(): Promise<SavedPlaylistEntity[]> {
    return this.playlists()
      .createQueryBuilder('p')
      .where('p.promo_type IS NOT NULL')
      .orderBy('p.name', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getMany();
  }

  /** The items of many playlists, grouped by playlist id, each list by position. */
  async itemsOfMany(ids: number[]): Promise<Map<number, SavedPlaylistItemEntity[]>> {
    const out = new Map<number, SavedPlaylistItemEntity[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.items()
      .createQueryBuilder('i')
      .where('i.playlist_id IN (:...ids)', { ids })
      .orderBy('i.playlist_id', 'ASC')
      .addOrderBy('i.position', 'ASC')
      .getMany();
    for (const row of rows) out.get(row.playlist_id)?.push(row);
    return out;
  }

  /** The lowest-id playlist with exactly this name, whoever created it. */
  firstByName(name: string): Promise<SavedPlaylistEntity | null> {
    return this.playlists().findOne({ where: { name }, order: { id: 'ASC' } });
  }

  /** The admin's newest playlist by created_at, then id. */
  newestBy(username: string): Promise<SavedPlaylistEntity | null> {
    return this.playlists().findOne({
      where: { created_by: username },
      order: { created_at: 'DESC', id: 'DESC' },
    });
  }

  create(row: Omit<SavedPlaylistEntity, 'id'>): Promise<number> {
    return this.writing(async () => {
      const result = await this.playlists().insert(row);
      return Number((result.identifiers[0] as { id: number }).id);
    });
  }

  async update(id: number, changes: Partial<SavedPlaylistEntity>): Promise<void> {
    await this.writing(() => this.playlists().update({ id }, changes));
  }

  /** id → name for the given playlists. */
  async names(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.playlists().find({
      where: { id: In([...ids]) },
      select: { id: true, name: true },
    });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Every playlist by name, promo pools excluded. */
  async nonPromo(): Promise<SavedPlaylistEntity[]> {
    const rows = await this.playlists().find({ order: { name: 'ASC', id: 'ASC' } });
    return rows.filter((p) => p.promo_type === null || p.promo_type === undefined);
  }

  async immutableIds(): Promise<number[]> {
    const rows = await this.playlists().find({ where: { is_immutable: true }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** Deletes the playlist; items go by the FK cascade, schedules get playlist_id NULL. */
  async remove(id: number): Promise<boolean> {
    const result = await this.writing(() => this.playlists().delete({ id }));
    return (result.affected ?? 0) > 0;
  }

  /** Replace the whole list (positions 0..n-1) in one transaction. */
  replaceItems(id: number, items: readonly NewItem[], updatedAt: Date): Promise<number> {
    return this.writing(() =>
      this.dataSource.transaction(async (manager) => {
        await this.items(manager).delete({ playlist_id: id });
        if (items.length > 0) {
          const rows = items.map((item, position) => ({ ...item, playlist_id: id, position }));
          for (let i = 0; i < rows.length; i += 200) await this.items(manager).insert(rows.slice(i, i + 200));
        }
        await this.playlists(manager).update({ id }, { updated_at: updatedAt });
        return items.length;
      }),
    );
  }

  /** Append one item at MAX(position)+1; returns the new item count. */
  append(id: number, item: NewItem, updatedAt: Date): Promise<number> {
    return this.writing(() =>
      this.dataSource.transaction(async (manager) => {
        const { max } = (await this.items(manager)
          .createQueryBuilder('i')
          .select('MAX(i.position)', 'max')
          .where('i.playlist_id = :id', { id })
          .getRawOne<{ max: number | null }>()) ?? { max: null };
        const position = nextPosition(max === null || max === undefined ? null : Number(max));
        await this.items(manager).insert({ ...item, playlist_id: id, position });
        await this.playlists(manager).update({ id }, { updated_at: updatedAt });
        return this.items(manager).countBy({ playlist_id: id });
      }),
    );
  }
}
