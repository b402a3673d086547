import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { ActiveScheduleEntity } from './entities/active-schedule.entity';
import { PlaylistScheduleEntity } from './entities/playlist-schedule.entity';

export type ScheduleRow = PlaylistScheduleEntity;

/** The schedule tables (`playlist_schedules`, `active_schedule`); playlists are PlaylistsService's. */
@Injectable()
export class SchedulesRepository {
  private readonly schedules: Repository<PlaylistScheduleEntity>;
  private readonly active: Repository<ActiveScheduleEntity>;

  constructor(dataSource: DataSource) {
    this.schedules = dataSource.getRepository(PlaylistScheduleEntity);
    this.active = dataSource.getRepository(ActiveScheduleEntity);
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
}
