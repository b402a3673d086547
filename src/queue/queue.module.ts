import { Module } from '@nestjs/common';
import { QueueShadowRepository } from './queue-shadow.repository';
import { QueueShadowService } from './queue-shadow.service';
import { TableQueueCatalog } from './queue-state.catalog';
import { QueueCatalog } from './queue-state.enrich';

/**
 * The live queue: the shadow (mirror of the CyTube playlist), the state poller and the queue
 * pages. Pay-to-play and admin queue providers/controllers are added to the lists below.
 */
@Module({
  providers: [
    QueueShadowRepository,
    QueueShadowService,
    { provide: QueueCatalog, useClass: TableQueueCatalog },
  ],
  controllers: [],
  exports: [QueueShadowService],
})
export class QueueModule {}
