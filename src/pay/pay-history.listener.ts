import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { QueueHistory } from '../economy/queue-history.service';
import { LiveEvent } from '../live/live.events';
import { QueueShadowService } from '../queue/queue-shadow.service';

/** Marks a queued history row `played` once the shadow sees its item playing. */
@Injectable()
export class PayHistoryListener {
  private readonly logger = new Logger('PayHistory');

  constructor(
    private readonly shadow: QueueShadowService,
    private readonly history: QueueHistory,
  ) {}

  @OnEvent(LiveEvent.QueueChanged, { async: true })
  async onQueueChanged(): Promise<number> {
    const uid = this.shadow.nowPlayingUid();
    if (uid === null) return 0;
    try {
      return await this.history.markPlayed([uid]);
    } catch (err) {
      this.logger.error(`marking ${uid} played failed: ${(err as Error).message}`);
      return 0;
    }
  }
}
