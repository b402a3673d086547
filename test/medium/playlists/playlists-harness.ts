import { DataSource } from 'typeorm';
import { CatalogService } from '../../../src/catalog/catalog.service';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { InstantSleeper, Sleeper } from '../../../src/common/sleeper';
import { startWorld, type World } from '../../support/world';

/**
 * Saved-playlists test world: the simulator (manual clock) as api-gate and MediaCMS, the whole
 * app on a fresh SQLite copy with a synced catalog, a manual clock and an instant sleeper.
 */
export interface PlaylistWorld extends World {
  sleeper: InstantSleeper;
  /** Synced, live catalog items. */
  items: CatalogItemEntity[];
  /** An admin session (`boss`, rank 3 in the simulator) and a viewer session (`viewer`). */
  admin: string;
  viewer: string;
}

export async function startPlaylistWorld(
  options: { catalogSize?: number; seed?: number } = {},
): Promise<PlaylistWorld> {
  const sleeper = new InstantSleeper();
  const base = await startWorld({
    seed: options.seed ?? 21,
    catalogSize: options.catalogSize ?? 20,
    economy: { queue_cooldown_minutes: 0, max_queues_per_day: 1000 },
    config: { playlist_bulk_add_delay_sec: 0.5 },
    override: (b) => b.overrideProvider(Sleeper).useValue(sleeper),
  });
  await base.t.get(CatalogService).runSync('test');
  const items = await base.t
    .get(DataSource)
    .getRepository(CatalogItemEntity)
    .find({ order: { friendly_token: 'ASC' } });
  await base.ctl.addUser({ name: 'boss', rank: 3 });
  await base.ctl.addUser({ name: 'viewer', rank: 1 });
  return Object.assign(base, {
    sleeper,
    items: items.filter((i) => i.gone_at === null),
    admin: base.cookie('boss', 3),
    viewer: base.cookie('viewer', 1),
  });
}
