import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { EconomyModule } from '../economy/economy.module';
import { HistoryModule } from '../history/history.module';
import { QueueModule } from '../queue/queue.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { AdminQueueController } from './admin-queue.controller';
import { AdminQueueService } from './admin-queue.service';
import { PayController } from './pay.controller';
import { PayHistoryListener } from './pay-history.listener';
import { PayReconciler } from './pay-reconciler.service';
import { SagaHooks } from './pay-saga.hooks';
import { PaySagaService } from './pay-saga.service';
import { PayService } from './pay.service';
import { TileStatusService } from './tile-status.service';

/**
 * Pay-to-play (preview, purchase saga, reconciler, history) and the admin queue. Sits above the
 * schedules (their locks gate every purchase) and uses the queue's command primitives.
 */
@Module({
  imports: [CatalogModule, EconomyModule, QueueModule, SchedulesModule, HistoryModule],
  providers: [
    SagaHooks,
    PaySagaService,
    PayService,
    PayReconciler,
    PayHistoryListener,
    AdminQueueService,
    TileStatusService,
  ],
  controllers: [PayController, AdminQueueController],
  exports: [PayService, AdminQueueService],
})
export class PayModule {}
