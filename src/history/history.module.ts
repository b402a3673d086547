import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { PlayHistoryListener } from './play-history.listener';
import { PlayHistoryService } from './play-history.service';

/** What played on the channel and when (content and promos), recorded from every poll. */
@Module({
  imports: [QueueModule],
  providers: [PlayHistoryService, PlayHistoryListener],
  exports: [PlayHistoryService],
})
export class HistoryModule {}
