import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { CommonModule } from './common/common.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { DevicesModule } from './devices/devices.module';
import { JobsModule } from './jobs/jobs.module';
import { KrytenModule } from './kryten/kryten.module';
import { MetricsModule } from './metrics/metrics.module';
import { PayModule } from './pay/pay.module';
import { PagesModule } from './pages/pages.module';
import { PlaylistMembershipsModule } from './playlists/playlist-memberships';
import { PlaylistsModule } from './playlists/playlists.module';
import { PresenceModule } from './presence/presence.module';
import { PromosModule } from './promos/promos.module';
import { HistoryModule } from './history/history.module';
import { HomeModule } from './home/home.module';
import { QueueModule } from './queue/queue.module';
import { SchedulesModule } from './schedules/schedules.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { LiveModule } from './live/live.module';

export interface AppModuleOptions {
  /** false in tests that drive tick() by hand: no @Interval timers are started. */
  schedule?: boolean;
}

/** The root module: infrastructure first, then one module per feature. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        DatabaseModule.forRoot(),
        PlaylistMembershipsModule,
        EventEmitterModule.forRoot(),
        ...(options.schedule === false ? [] : [SchedulingModule]),
        HealthModule,
        KrytenModule,
        // Feature modules (one folder each):
        AuthModule,
        PagesModule,
        CatalogModule,
        QueueModule,
        LiveModule,
        PresenceModule,
        SchedulesModule,
        PayModule,
        PlaylistsModule,
        HistoryModule,
        HomeModule,
        PromosModule,
        JobsModule,
        DevicesModule,
        MetricsModule,
      ],
    };
  }
}
