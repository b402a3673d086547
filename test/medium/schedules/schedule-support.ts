import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { LiveEvent } from '../../../src/live/live.events';
import type { ScheduleFiredEvent } from '../../../src/live/live.service';
import { SavedPlaylistItemEntity } from '../../../src/playlists/entities/saved-playlist-item.entity';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import { ActiveScheduleEntity } from '../../../src/schedules/entities/active-schedule.entity';
import { PlaylistScheduleEntity } from '../../../src/schedules/entities/playlist-schedule.entity';
import { ScheduleScheduler } from '../../../src/schedules/schedules.scheduler';
import { type CatalogRow, type PayWorld, startPayWorld } from '../economy/pay-harness';

export interface ScheduleWorld extends PayWorld {
  fired: ScheduleFiredEvent[];
  scheduler(): ScheduleScheduler;
  /** A saved playlist of catalog items (`cm` + manifest URL), like the playlist editor saves. */
  savePlaylist(name: string, rows: CatalogRow[], immutable?: boolean): Promise<number>;
  admin(): string;
  active(): Promise<ActiveScheduleEntity | null>;
  schedule(id: number): Promise<PlaylistScheduleEntity>;
  savedPlaylist(id: number): Promise<SavedPlaylistEntity>;
}

/** The pay world (simulator + app + manual clocks) with schedule helpers; bulk adds don't wait. */
export async function startScheduleWorld(): Promise<ScheduleWorld> {
  const base = await startPayWorld();
  // The app's AppConfig instance is shared with this object: no throttle pauses in tests.
  base.config.playlist_bulk_add_delay_sec = 0;
  const fired: ScheduleFiredEvent[] = [];
  const ds = (): DataSource => base.t.get(DataSource);
  const w = Object.assign(base, {
    fired,
    scheduler: () => base.t.get(ScheduleScheduler),
    admin: () => base.cookie('boss', 3),
    active: () => ds().getRepository(ActiveScheduleEntity).findOneBy({ id: 1 }),
    schedule: (id: number) => ds().getRepository(PlaylistScheduleEntity).findOneByOrFail({ id }),
    savedPlaylist: (id: number) => ds().getRepository(SavedPlaylistEntity).findOneByOrFail({ id }),
  }) as unknown as ScheduleWorld;
  w.savePlaylist = async (name, rows, immutable = false) => {
    const saved = await ds().getRepository(SavedPlaylistEntity).save({
      name,
      description: null,
      is_immutable: immutable,
      created_by: 'boss',
      created_at: base.clock.now(),
    });
    await ds()
      .getRepository(SavedPlaylistItemEntity)
      .insert(
        rows.map((r, position) => ({
          playlist_id: saved.id,
          position,
          media_type: 'cm',
          media_id: r.manifest,
          title: r.title,
          duration_sec: r.duration,
        })),
      );
    return saved.id;
  };
  base.t.get(EventEmitter2).on(LiveEvent.ScheduleFired, (e: ScheduleFiredEvent) => fired.push(e));
  return w;
}
