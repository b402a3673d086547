import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { SavedPlaylistEntity } from '../playlists/entities/saved-playlist.entity';
import { ActiveScheduleEntity } from '../schedules/entities/active-schedule.entity';
import { PlaylistScheduleEntity } from '../schedules/entities/playlist-schedule.entity';
import { adminPayLock, type PayLock, viewerPayLock } from './locks.rules';

/** Reads the schedule tables for the pay-to-play locks (rules in locks.rules.ts). */
@Injectable()
export class PayLockService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async viewerLock(): Promise<PayLock> {
    const [schedules, active] = await Promise.all([this.schedules(), this.active()]);
    return viewerPayLock(schedules, active, this.clock.now());
  }

  async adminLock(): Promise<PayLock> {
    return adminPayLock(await this.schedules(), this.clock.now());
  }

  private schedules(): Promise<PlaylistScheduleEntity[]> {
    return this.dataSource
      .getRepository(PlaylistScheduleEntity)
      .findBy({ is_active: true, lock_disabled: false });
  }

  private async active(): Promise<{
    is_immutable: boolean;
    lock_disabled: boolean;
    playlist_name: string | null;
  } | null> {
    const row = await this.dataSource.getRepository(ActiveScheduleEntity).findOneBy({ id: 1 });
    if (!row) return null;
    const playlist =
      row.playlist_id === null
        ? null
        : await this.dataSource.getRepository(SavedPlaylistEntity).findOneBy({ id: row.playlist_id });
    return {
      is_immutable: Boolean(row.is_immutable),
      lock_disabled: Boolean(row.lock_disabled),
      playlist_name: playlist?.name ?? null,
    };
  }
}
