import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AuthModule } from '../../../src/auth/auth.module';
import { CatalogModule } from '../../../src/catalog/catalog.module';
import { CatalogService } from '../../../src/catalog/catalog.service';
import { CatalogSyncService } from '../../../src/catalog/catalog-sync.service';
import { CoverArtOptions, CoverArtService } from '../../../src/catalog/cover-art/cover-art.service';
import { Clock, type ManualClock } from '../../../src/common/clock';
import { CommonModule } from '../../../src/common/common.module';
import { RandomSource, SeededRandom } from '../../../src/common/random';
import { type AppConfig } from '../../../src/config/app-config';
import { ConfigModule } from '../../../src/config/config.module';
import { DatabaseModule } from '../../../src/database/database.module';
import { KrytenModule } from '../../../src/kryten/kryten.module';
import { PlaylistMemberships, PlaylistMembershipsModule } from '../../../src/playlists/playlist-memberships';
import { SavedPlaylistItemEntity } from '../../../src/playlists/entities/saved-playlist-item.entity';
import { SavedPlaylistEntity } from '../../../src/playlists/entities/saved-playlist.entity';
import type { RunningSimulator } from '../../../sim/server';
import { startSimWorld } from '../../support/world';
import { simOverrides, testConfig } from '../../support/config';

export interface CatalogContext {
  module: TestingModule;
  sim: RunningSimulator;
  config: AppConfig;
  clock: ManualClock;
  catalog: CatalogService;
  sync: CatalogSyncService;
  art: CoverArtService;
  db: DataSource;
  /** A saved playlist holding these media ids (manifest URLs or bare tokens). */
  newPlaylist(
    mediaIds: string[],
    flags: { is_immutable?: boolean; promo_type?: string | null },
  ): Promise<number>;
  /** Tells the reservations cache of a saved-playlist row written straight to the database. */
  reservationsChanged(): void;
  close(): Promise<void>;
}

/**
 * The catalog feature on a real SQLite copy, talking HTTP to a fresh simulator: only the modules
 * it needs (config, clock/random, database, outside clients, auth guards, catalog).
 */
export async function catalogContext(
  options: {
    catalogSize?: number;
    seed?: number;
    config?: Record<string, unknown>;
    art?: Partial<CoverArtOptions>;
  } = {},
): Promise<CatalogContext> {
  const { sim, clock } = await startSimWorld({
    seed: options.seed ?? 7,
    catalogSize: options.catalogSize ?? 120,
    startMs: Date.UTC(2026, 0, 1, 12, 0, 0),
  });
  const config = testConfig({
    ...simOverrides(sim),
    ...options.config,
  });
  const artOptions = Object.assign(new CoverArtOptions(), { minGapMs: 0, concurrency: 2 }, options.art);
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      CommonModule,
      DatabaseModule.forRoot(),
      EventEmitterModule.forRoot(),
      PlaylistMembershipsModule,
      KrytenModule,
      AuthModule,
      CatalogModule,
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(RandomSource)
    .useValue(new SeededRandom(1))
    .overrideProvider(CoverArtOptions)
    .useValue(artOptions)
    .compile();
  await module.init();
  const db = module.get(DataSource);
  return {
    module,
    sim,
    config,
    clock,
    catalog: module.get(CatalogService),
    sync: module.get(CatalogSyncService),
    art: module.get(CoverArtService),
    db,
    async newPlaylist(mediaIds, flags) {
      const playlist = await db.getRepository(SavedPlaylistEntity).save({
        name: 'test',
        created_by: 'admin',
        created_at: clock.now(),
        is_immutable: flags.is_immutable ?? false,
        promo_type: flags.promo_type ?? null,
      });
      await db.getRepository(SavedPlaylistItemEntity).save(
        mediaIds.map((media_id, position) => ({
          playlist_id: playlist.id,
          position,
          media_type: 'cm',
          media_id,
        })),
      );
      // Written past PlaylistsRepository, so tell the reservations cache as it would.
      module.get(PlaylistMemberships).changed();
      return playlist.id;
    },
    reservationsChanged() {
      module.get(PlaylistMemberships).changed();
    },
    async close() {
      await module.close();
      await sim.close();
    },
  };
}
