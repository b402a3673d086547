import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import { LiveEvent, type ShadowPolledEvent } from '../live/live.events';
import { QueueShadowService } from '../queue/queue-shadow.service';
import { PlayHistoryService } from './play-history.service';
import { type PlayObservation, startedPlays } from './play-history.rules';

/** After every applied poll: record what started playing since the last one (startedPlays). */
@Injectable()
export class PlayHistoryListener {
  private readonly logger = new Logger('PlayHistory');
  private previous: PlayObservation['previous'] = null;

  constructor(
    private readonly shadow: QueueShadowService,
    private readonly history: PlayHistoryService,
    private readonly clock: Clock,
  ) {}

  @OnEvent(LiveEvent.ShadowPolled, { async: true })
  async onPolled(event: ShadowPolledEvent): Promise<number> {
    const np = this.shadow.nowPlaying();
    const now = {
      uid: event.now_playing_uid,
      current_time_sec: np?.currentTime ?? 0,
      at_ms: this.clock.nowMs(),
    };
    const plays = startedPlays({
      before: this.previous ? event.before : null,
      after: event.after,
      previous: this.previous,
      now,
    });
    this.previous = now;
    if (plays.length === 0) return 0;
    try {
      return await this.history.record(plays);
    } catch (err) {
      this.logger.error(`recording ${plays.length} play(s) failed: ${(err as Error).message}`);
      return 0;
    }
  }
}
