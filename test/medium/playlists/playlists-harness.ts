import request from '../../support/http';
import { DataSource } from 'typeorm';
import { CatalogService } from '../../../src/catalog/catalog.service';
import { CatalogItemEntity } from '../../../src/catalog/entities/catalog-item.entity';
import { Clock, ManualClock } from '../../../src/common/clock';
import { InstantSleeper, Sleeper } from '../../../src/common/sleeper';
import { startSimulator, type RunningSimulator } from '../../../sim/server';
import { SimControl } from '../../../sim/sim-control';
import { createTestApp, type TestApp } from '../../support/app';
import { sessionCookieFor } from '../../support/auth';
import { simOverrides, testConfig } from '../../support/config';

/**
 * Saved-playlists test world: the simulator (manual clock) as api-gate and MediaCMS, the whole
 * app on a fresh SQLite copy with a synced catalog, a manual clock and an instant sleeper.
 */
export interface PlaylistWorld {
  sim: RunningSimulator;
  ctl: SimControl;
  t: TestApp;
  clock: ManualClock;
  sleeper: InstantSleeper;
  /** Synced, live catalog items. */
  items: CatalogItemEntity[];
  /** An admin session (`boss`, rank 3 in the simulator) and a viewer session (`viewer`). */
  admin: string;
  viewer: string;
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function startPlaylistWorld(
  options: { catalogSize?: number; seed?: number } = {},
): Promise<PlaylistWorld> {
  const sim = await startSimulator({
    port: 0,
    seed: options.seed ?? 21,
    clock: 'manual',
    catalogSize: options.catalogSize ?? 20,
    world: { economy: { queue_cooldown_minutes: 0, max_queues_per_day: 1000 } },
  });
  const ctl = new SimControl(sim.url);
  const clock = new ManualClock(Date.UTC(2026, 5, 14, 12, 0, 0));
  const sleeper = new InstantSleeper();
  const t = await createTestApp({
    config: testConfig({
      ...simOverrides(sim),
      playlist_bulk_add_delay_sec: 0.5,
    }),
    override: (b) => b.overrideProvider(Clock).useValue(clock).overrideProvider(Sleeper).useValue(sleeper),
  });
  await t.get(CatalogService).runSync('test');
  const items = await t
    .get(DataSource)
    .getRepository(CatalogItemEntity)
    .find({ order: { friendly_token: 'ASC' } });
  await ctl.addUser({ name: 'boss', rank: 3 });
  await ctl.addUser({ name: 'viewer', rank: 1 });
  return {
    sim,
    ctl,
    t,
    clock,
    sleeper,
    items: items.filter((i) => i.gone_at === null),
    admin: sessionCookieFor(t, 'boss', 3, clock.nowMs()),
    viewer: sessionCookieFor(t, 'viewer', 1, clock.nowMs()),
    http: () => request(t.app.getHttpServer()),
    close: async () => {
      await t.close();
      await sim.close();
    },
  };
}
