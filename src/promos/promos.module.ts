import { Module } from '@nestjs/common';
import { PlaylistsModule } from '../playlists/playlists.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { QueueModule } from '../queue/queue.module';
import { PromoDirector } from './promo.director';
import { PromoPoolsService } from './promo-pools.service';
import { PromoSettingsRepository } from './promo-settings.repository';
import { PromoSettingsService } from './promo-settings.service';
import { PromosController } from './promos.controller';

/**
 * Promos between content: the director (driven by every poll and every paid insert),
 * runtime settings, pools read from saved playlists, the admin page.
 */
@Module({
  imports: [QueueModule, PlaylistsModule, SchedulesModule],
  providers: [PromoDirector, PromoPoolsService, PromoSettingsRepository, PromoSettingsService],
  controllers: [PromosController],
  exports: [PromoDirector, PromoSettingsService],
})
export class PromosModule {}
