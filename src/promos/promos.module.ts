import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { PlaylistsModule } from '../playlists/playlists.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { QueueModule } from '../queue/queue.module';
import { PromoDecisionsRepository } from './promo-decisions.repository';
import { PromoDirector } from './promo.director';
import { PromoPoolsService } from './promo-pools.service';
import { PromoSettingsRepository } from './promo-settings.repository';
import { PromoSettingsService } from './promo-settings.service';
import { PromosController } from './promos.controller';

/**
 * Promos between content: the director (driven by every poll and every paid insert),
 * runtime settings, pools read from saved playlists, the decision log, the admin page with its
 * live preview.
 */
@Module({
  imports: [QueueModule, PlaylistsModule, SchedulesModule, HistoryModule],
  providers: [
    PromoDirector,
    PromoPoolsService,
    PromoSettingsRepository,
    PromoSettingsService,
    PromoDecisionsRepository,
  ],
  controllers: [PromosController],
  exports: [PromoDirector, PromoSettingsService],
})
export class PromosModule {}
