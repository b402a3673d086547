import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { LiveGateway } from './live.gateway';
import { LiveService } from './live.service';

/** Live updates to browsers over Socket.IO: the gateway and the typed LiveService. */
@Module({
  imports: [QueueModule],
  providers: [LiveGateway, LiveService],
  exports: [LiveService],
})
export class LiveModule {}
