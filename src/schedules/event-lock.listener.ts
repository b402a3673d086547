import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { LiveEvent, type ShadowPolledEvent } from '../live/live.events';
import { shouldLiftEventLock } from '../queue/queue.rules';
import { SchedulesRepository } from './schedules.repository';

/**
 * Lifts the running event's pay-to-play lock once its last item plays or has left the queue,
 * after every poll the shadow applies (the shadow only reports; `active_schedule` is ours).
 */
@Injectable()
export class EventLockListener {
  private readonly logger = new Logger('EventLock');

  constructor(private readonly repo: SchedulesRepository) {}

  @OnEvent(LiveEvent.ShadowPolled)
  async onPoll(poll: ShadowPolledEvent): Promise<void> {
    try {
      const active = await this.repo.getActive();
      if (shouldLiftEventLock(active, poll.before, poll.after, poll.now_playing_uid)) {
        await this.repo.updateActive({ lock_disabled: true });
        this.logger.log(`event lock lifted (last event item ${active?.last_item_uid} playing or gone)`);
      }
    } catch (err) {
      this.logger.error(`event-lock check failed: ${(err as Error).message}`);
    }
  }
}
