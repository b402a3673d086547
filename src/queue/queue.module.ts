import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CatalogService } from '../catalog/catalog.service';
import { EconomyModule } from '../economy/economy.module';
import { BulkAddService } from './bulk-add.service';
import { BulkLoadGate } from './bulk-load.gate';
import { QueueController } from './queue.controller';
import { QueueInsertService } from './queue-insert.service';
import { QueueMutex } from './queue-mutex';
import { QueueRemovalService } from './queue-removal.service';
import { StatePoller } from './queue.poller';
import { QueueShadowRepository } from './queue-shadow.repository';
import { QueueShadowService } from './queue-shadow.service';
import { QueueCatalog } from './queue-state.enrich';
import { ReadBackPolicy } from './read-back.policy';

/**
 * The live queue: the shadow (mirror of the CyTube playlist), the state poller, the queue pages,
 * and the CyTube command primitives every queue change uses — the one QueueMutex, insert (add,
 * move, confirm by read-back), removal with refund, the throttled bulk adder and the gate that
 * marks bulk loads. Pay-to-play and the
 * admin queue live in PayModule, above the schedules.
 */
@Module({
  imports: [CatalogModule, EconomyModule],
  providers: [
    QueueMutex,
    ReadBackPolicy,
    QueueInsertService,
    QueueRemovalService,
    BulkAddService,
    BulkLoadGate,
    QueueShadowRepository,
    QueueShadowService,
    StatePoller,
    { provide: QueueCatalog, useExisting: CatalogService },
  ],
  controllers: [QueueController],
  exports: [
    QueueShadowService,
    StatePoller,
    QueueMutex,
    ReadBackPolicy,
    QueueInsertService,
    QueueRemovalService,
    BulkAddService,
    BulkLoadGate,
  ],
})
export class QueueModule {}
