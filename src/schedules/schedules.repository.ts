import { Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import { SavedPlaylistItemEntity } from '../playlists/entities/saved-playlist-item.entity';
import { SavedPlaylistEntity } from '../playlists/entities/saved-playlist.entity';
import { ActiveScheduleEntity } from './entities/active-schedule.entity';
import { PlaylistScheduleEntity } from './entities/playlist-schedule.entity';

export type ScheduleRow = PlaylistScheduleEntity;

export interface PlaylistWithItems {
  playlist: SavedPlaylistEntity;
  items: SavedPlaylistItemEntity[];
}

/**
 * The schedule tables, plus a small read-only view of saved playlists (names, the immutable flag,
 * items in position order) until the playlists module exports its service. The one playlist write
 * is the immutability expiry (§4.9).
 */
@Injectable()
export class SchedulesRepository {
  private readonly schedules: Repository<PlaylistScheduleEntity>;
  private readonly active: Repository<ActiveScheduleEntity>;
  private readonly playlists: Repository<SavedPlaylistEntity>;
  private readonly items: Repository<SavedPlaylistItemEntity>;

  constructor(dataSource: DataSource) {
    this.schedules = dataSource.getRepository(PlaylistScheduleEntity);
    this.active = dataSource.getRepository(ActiveScheduleEntity);
    this.playlists = dataSource.getRepository(SavedPlaylistEntity);
    this.items = dataSource.getRepository(SavedPlaylistItemEntity);
  }

  // --- schedules ---

  all(): Promise<ScheduleRow[]> {
    return this.schedules.find({ order: { fire_at: 'ASC', id: 'ASC' } });
  }

  allActive(): Promise<ScheduleRow[]> {
    return this.schedules.find({ where: { is_active: true }, order: { fire_at: 'ASC', id: 'ASC' } });
  }

  find(id: number): Promise<ScheduleRow | null> {
    return this.schedules.findOneBy({ id });
  }

  async insert(values: Partial<PlaylistScheduleEntity>): Promise<number> {
    const saved = await this.schedules.save(this.schedules.create(values));
    return saved.id;
  }

  async update(id: number, patch: Partial<PlaylistScheduleEntity>): Promise<void> {
    if (Object.keys(patch).length > 0) await this.schedules.update({ id }, patch);
  }

  async delete(id: number): Promise<void> {
    await this.schedules.delete({ id });
  }

  // --- the running event (singleton id = 1) ---

  getActive(): Promise<ActiveScheduleEntity | null> {
    return this.active.findOneBy({ id: 1 });
  }

  async writeActive(values: Omit<ActiveScheduleEntity, 'id'>): Promise<void> {
    await this.active.save(this.active.create({ ...values, id: 1 }));
  }

  async updateActive(patch: Partial<ActiveScheduleEntity>): Promise<void> {
    await this.active.update({ id: 1 }, patch);
  }

  /** Deletes the row; returns whether there was one. */
  async clearActive(): Promise<boolean> {
    const result = await this.active.delete({ id: 1 });
    return (result.affected ?? 0) > 0;
  }

  // --- saved playlists (read-only, except the immutability expiry) ---

  playlist(id: number): Promise<SavedPlaylistEntity | null> {
    return this.playlists.findOneBy({ id });
  }

  async playlistWithItems(id: number): Promise<PlaylistWithItems | null> {
    const playlist = await this.playlists.findOneBy({ id });
    if (!playlist) return null;
    const items = await this.items.find({ where: { playlist_id: id }, order: { position: 'ASC' } });
    return { playlist, items };
  }

  /** id → name for the given playlists. */
  async playlistNames(ids: readonly (number | null)[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await this.playlists.find({ where: { id: In(wanted) }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Every playlist (for the admin page selects), by name; promo pools excluded. */
  async playlistOptions(): Promise<{ id: number; name: string; is_immutable: boolean }[]> {
    const rows = await this.playlists.find({ order: { name: 'ASC', id: 'ASC' } });
    return rows
      .filter((p) => p.promo_type === null || p.promo_type === undefined)
      .map((p) => ({ id: p.id, name: p.name, is_immutable: Boolean(p.is_immutable) }));
  }

  async immutablePlaylistIds(): Promise<number[]> {
    const rows = await this.playlists.find({ where: { is_immutable: true }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  async releasePlaylists(ids: readonly number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.playlists.update({ id: In([...ids]) }, { is_immutable: false, updated_at: at });
  }
}
