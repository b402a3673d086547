import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CatalogService } from '../catalog/catalog.service';
import { EconomyModule } from '../economy/economy.module';
import { AdminQueueController } from './admin-queue.controller';
import { AdminQueueService } from './admin-queue.service';
import { BulkAddService } from './bulk-add.service';
import { PayController } from './pay.controller';
import { PayHistoryListener } from './pay-history.listener';
import { PayLockService } from './pay-lock.service';
import { PayReconciler } from './pay-reconciler.service';
import { SagaHooks } from './pay-saga.hooks';
import { PaySagaService } from './pay-saga.service';
import { PayService } from './pay.service';
import { QueueController } from './queue.controller';
import { QueueInsertService } from './queue-insert.service';
import { QueueMutex } from './queue-mutex';
import { QueueRemovalService } from './queue-removal.service';
import { StatePoller } from './queue.poller';
import { QueueShadowRepository } from './queue-shadow.repository';
import { ReadBackPolicy } from './read-back.policy';
import { QueueShadowService } from './queue-shadow.service';
import { QueueCatalog } from './queue-state.enrich';

/**
 * The live queue: the shadow (mirror of the CyTube playlist), the state poller and the queue
 * pages. Pay-to-play and admin queue providers/controllers are added to the lists below.
 */
@Module({
  imports: [CatalogModule, EconomyModule],
  providers: [
    // pay-to-play, admin queue, removal (one QueueMutex for every queue mutation)
    QueueMutex,
    SagaHooks,
    ReadBackPolicy,
    QueueInsertService,
    PaySagaService,
    PayService,
    PayLockService,
    PayReconciler,
    PayHistoryListener,
    QueueRemovalService,
    AdminQueueService,
    BulkAddService,
    QueueShadowRepository,
    QueueShadowService,
    StatePoller,
    { provide: QueueCatalog, useExisting: CatalogService },
  ],
  controllers: [QueueController, PayController, AdminQueueController],
  exports: [
    QueueShadowService,
    StatePoller,
    QueueMutex,
    QueueRemovalService,
    BulkAddService,
    // promos: reuse the add/move/read-back of inserts and hook the pay saga
    QueueInsertService,
    ReadBackPolicy,
    PaySagaService,
  ],
})
export class QueueModule {}
