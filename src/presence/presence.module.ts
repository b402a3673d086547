import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { PresenceController } from './presence.controller';
import { PresenceRefundMonitor } from './presence.monitor';

/** Presence refunds: cancel and refund pending paid items of owners who leave or go AFK. */
@Module({
  imports: [QueueModule],
  providers: [PresenceRefundMonitor],
  controllers: [PresenceController],
  exports: [PresenceRefundMonitor],
})
export class PresenceModule {}
