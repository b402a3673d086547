import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ApiGateClient } from '../kryten/api-gate.client';
import { type FeedStatusEvent, LiveEvent, type PolledEvent, type PollFailedEvent } from '../live/live.events';
import { ConfigInterval } from '../scheduling/config-interval';
import { QueueShadowService } from './queue-shadow.service';

export interface PollSummary {
  ok: boolean;
  /** Whether anything clients see changed. */
  changed: boolean;
  /** Items held after the tick. */
  items: number;
  /** The previous tick was still running: this one did nothing. */
  skipped?: boolean;
  error?: string;
}

/**
 * Every `state_poll_interval_sec`: playlist + now-playing from api-gate → reconcile the shadow
 * (which emits QueueChanged when clients should hear of it). Errors keep the last state and
 * mark the feed stale until a poll succeeds again. Never two ticks at once.
 */
@Injectable()
export class StatePoller {
  private readonly logger = new Logger('StatePoller');
  private running = false;
  private staleSince: Date | null = null;
  private failures = 0;

  constructor(
    private readonly shadow: QueueShadowService,
    private readonly apiGate: ApiGateClient,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  @ConfigInterval('queue-state-poll', (config) => config.state_poll_interval_sec * 1000)
  interval(): Promise<PollSummary> {
    return this.tick();
  }

  /** One poll. */
  async tick(): Promise<PollSummary> {
    if (this.running) return { ok: true, changed: false, items: this.shadow.size(), skipped: true };
    this.running = true;
    try {
      const takenAt = this.clock.nowMs();
      const playlist = await this.apiGate.getPlaylist();
      const nowPlaying = await this.apiGate.getNowPlaying();
      const changed = await this.shadow.applyPoll(playlist, nowPlaying, takenAt);
      if (this.staleSince) this.recovered();
      await this.afterPoll();
      return { ok: true, changed, items: this.shadow.size() };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.failed(error);
      return { ok: false, changed: false, items: this.shadow.size(), error };
    } finally {
      this.running = false;
    }
  }

  /** Work that follows every successful poll (the promo director), awaited so a tick is whole. */
  private async afterPoll(): Promise<void> {
    try {
      await this.events.emitAsync(LiveEvent.Polled, {} satisfies PolledEvent);
    } catch (err) {
      this.logger.error(`after-poll work failed: ${(err as Error).message}`);
    }
  }

  private failed(error: string): void {
    this.failures += 1;
    this.events.emit(LiveEvent.PollFailed, { error } satisfies PollFailedEvent);
    // One line when the feed goes stale, then one every 20 failures (a poll every 3 s).
    if (this.failures === 1 || this.failures % 20 === 0) {
      this.logger.warn(`state poll failed (${this.failures} in a row): ${error}`);
    }
    if (this.staleSince) return;
    this.staleSince = this.clock.now();
    this.shadow.setStale(true);
    this.events.emit(LiveEvent.FeedStatus, {
      stale: true,
      error,
      since: this.staleSince.toISOString(),
    } satisfies FeedStatusEvent);
  }

  private recovered(): void {
    this.logger.log(`state poll recovered after ${this.failures} failure(s)`);
    this.failures = 0;
    this.staleSince = null;
    this.shadow.setStale(false);
    this.events.emit(LiveEvent.FeedStatus, { stale: false } satisfies FeedStatusEvent);
  }
}
