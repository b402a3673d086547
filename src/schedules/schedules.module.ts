import { HistoryModule } from '../history/history.module';
import { Module } from '@nestjs/common';
import { EventLockListener } from './event-lock.listener';
import { EconomyModule } from '../economy/economy.module';
import { PlaylistsModule } from '../playlists/playlists.module';
import { QueueModule } from '../queue/queue.module';
import { ScheduleFireService } from './schedule-fire.service';
import { AdminSchedulesController, NextScheduleController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { ScheduleScheduler } from './schedules.scheduler';
import { SchedulesService } from './schedules.service';

/** Timed events: schedule CRUD, fire, the tick-driven scheduler, event state and locks. */
@Module({
  imports: [QueueModule, EconomyModule, PlaylistsModule, HistoryModule],
  providers: [
    SchedulesRepository,
    ScheduleFireService,
    ScheduleScheduler,
    SchedulesService,
    EventLockListener,
  ],
  controllers: [AdminSchedulesController, NextScheduleController],
  exports: [ScheduleFireService, ScheduleScheduler, SchedulesService],
})
export class SchedulesModule {}
