import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { LegacyWsServer } from './legacy-ws.server';
import { LiveGateway } from './live.gateway';
import { LiveService } from './live.service';

/** Live updates to browsers over Socket.IO: the gateway and the typed LiveService. */
@Module({
  imports: [QueueModule],
  providers: [LiveGateway, LiveService, LegacyWsServer],
  exports: [LiveService, LegacyWsServer],
})
export class LiveModule {}
