import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { DeviceKeyGuard } from './device-key.guard';
import { DevicesController, PublicApiController } from './devices.controller';
import { DevicesRepository } from './devices.repository';
import { DevicesService } from './devices.service';
import { PublicQueueController } from './public-queue.controller';
import { PublicQueueService } from './public-queue.service';

/**
 * Linked devices and the public read API: a viewer's one-time link code, the device keys (stored
 * hashed, revocable by the viewer and the admin) and `/api/public/v1` (current, queue, events).
 */
@Module({
  imports: [QueueModule, SchedulesModule],
  controllers: [DevicesController, PublicApiController, PublicQueueController],
  providers: [DevicesRepository, DevicesService, DeviceKeyGuard, PublicQueueService],
  exports: [DevicesService],
})
export class DevicesModule {}
