import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ClusterBus } from '../cluster/cluster-bus';
import { Leadership } from '../cluster/leadership';
import { ConfigInterval } from '../scheduling/config-interval';
import { Clock } from '../common/clock';
import { QueueMutex } from '../queue/queue-mutex';
import { QueueShadowService } from '../queue/queue-shadow.service';
import { type FireResult, ScheduleFireService } from './schedule-fire.service';
import { PlaylistsService } from '../playlists/playlists.service';
import { SchedulesRepository } from './schedules.repository';
import {
  advanceRecurrence,
  type AutoClearReason,
  autoClearReason,
  playlistsToRelease,
} from './schedules.rules';

export interface SchedulerTickSummary {
  /** The previous tick was still running (a long fire): this one did nothing. */
  skipped?: boolean;
  fired: { schedule_id: number; success: boolean; reason?: string; error?: string }[];
  /** Recurring schedules moved to their next occurrence: id → new fire_at (ISO). */
  advanced: Record<number, string>;
  /** Why the running event was cleared, if it was. */
  auto_cleared: AutoClearReason | null;
  /** Playlists released by the immutability expiry (runs every 300 s). */
  released: number[] | null;
  armed: number;
}

/** How often tick() runs: a fire is at most this late. */
export const TICK_MS = 5_000;
/** A schedule created, changed or deleted in one instance is (re-/dis)armed in all of them. */
const REARM_CHANNEL = 'schedules.rearm';
const DISARM_CHANNEL = 'schedules.disarm';
const EXPIRY_EVERY_MS = 300_000;
const REFUND_RETRY_EVERY_MS = 60_000;

/**
 * The scheduler built around tick() instead of long one-shot timers: an
 * in-memory map of armed schedules (id → fire time, UTC); every TICK_MS, tick() fires what is
 * due per the Clock, advances recurrences (in a finally: a failing fire still moves on, DEFECT
 * fixed), clears a finished event, runs the immutability expiry and retries owed refunds.
 * The DB is the truth: a due entry whose row changed is re-armed from the row instead of fired.
 */
@Injectable()
export class ScheduleScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Scheduler');
  private readonly armed = new Map<number, number>();
  private running = false;
  private lastExpiryMs = 0;
  private lastRefundRetryMs = 0;

  constructor(
    private readonly repo: SchedulesRepository,
    private readonly playlists: PlaylistsService,
    private readonly fireService: ScheduleFireService,
    private readonly shadow: QueueShadowService,
    private readonly mutex: QueueMutex,
    private readonly clock: Clock,
    private readonly leadership: Leadership,
    private readonly bus: ClusterBus,
  ) {
    this.bus.subscribe(REARM_CHANNEL, (m) => void this.rearm((m as { id: number }).id, 'remote'));
    this.bus.subscribe(DISARM_CHANNEL, (m) => this.disarm((m as { id: number }).id, 'remote'));
  }

  @ConfigInterval('schedules-tick', () => TICK_MS)
  interval(): Promise<SchedulerTickSummary> {
    return this.tick();
  }

  /** At start, and when this instance takes over (a fire the old leader left half-done resumes). */
  async onApplicationBootstrap(): Promise<void> {
    await this.leadership.whenLeader('arm the schedules', () => this.takeOver());
  }

  private async takeOver(): Promise<void> {
    await this.fireService.resumeInterrupted();
    const summary = await this.start();
    if (summary.armed > 0 || Object.keys(summary.advanced).length > 0) {
      this.logger.log(`start-up: ${summary.armed} armed, advanced ${JSON.stringify(summary.advanced)}`);
    }
  }

  /**
   * Arm every active schedule with a future fire time; move a past recurring one to its next
   * occurrence after now and arm it; past one-shots are ignored (no catch-up).
   */
  async start(): Promise<{ armed: number; advanced: Record<number, string> }> {
    const now = this.clock.now();
    this.lastExpiryMs = now.getTime();
    this.lastRefundRetryMs = now.getTime();
    this.armed.clear();
    const advanced: Record<number, string> = {};
    for (const s of await this.repo.allActive()) {
      if (s.fire_at.getTime() > now.getTime()) this.armed.set(s.id, s.fire_at.getTime());
      else if (s.is_recurring && s.rrule) {
        const at = await this.advance(s.id, now);
        if (at) advanced[s.id] = at.toISOString();
      }
    }
    return { armed: this.armed.size, advanced };
  }

  /**
   * Re-arm one schedule from its row (create, update): active and future → armed, else disarmed.
   * The other instances re-arm too: whichever leads (now or later) has the schedule armed.
   */
  async rearm(id: number, origin: 'own' | 'remote' = 'own'): Promise<boolean> {
    if (origin === 'own') this.bus.publish(REARM_CHANNEL, { id });
    const s = await this.repo.find(id);
    if (s && s.is_active && s.fire_at.getTime() > this.clock.nowMs()) {
      this.armed.set(id, s.fire_at.getTime());
      return true;
    }
    this.armed.delete(id);
    return false;
  }

  disarm(id: number, origin: 'own' | 'remote' = 'own'): void {
    if (origin === 'own') this.bus.publish(DISARM_CHANNEL, { id });
    this.armed.delete(id);
  }

  /** id → armed fire time (ISO), for tests and the admin status. */
  armedTimes(): Record<number, string> {
    return Object.fromEntries([...this.armed].map(([id, ms]) => [id, new Date(ms).toISOString()]));
  }

  async tick(): Promise<SchedulerTickSummary> {
    const summary: SchedulerTickSummary = {
      fired: [],
      advanced: {},
      auto_cleared: null,
      released: null,
      armed: this.armed.size,
    };
    if (this.running) return { ...summary, skipped: true };
    this.running = true;
    try {
      await this.fireDue(summary);
      summary.auto_cleared = await this.autoClear();
      const nowMs = this.clock.nowMs();
      if (nowMs - this.lastExpiryMs >= EXPIRY_EVERY_MS) {
        this.lastExpiryMs = nowMs;
        summary.released = await this.expireImmutability();
      }
      if (nowMs - this.lastRefundRetryMs >= REFUND_RETRY_EVERY_MS) {
        this.lastRefundRetryMs = nowMs;
        await this.fireService.retryOwedRefunds();
      }
    } catch (err) {
      this.logger.error(`tick failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
      summary.armed = this.armed.size;
    }
    return summary;
  }

  private async fireDue(summary: SchedulerTickSummary): Promise<void> {
    const nowMs = this.clock.nowMs();
    const due = [...this.armed].filter(([, ms]) => ms <= nowMs).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [id, ms] of due) {
      this.armed.delete(id);
      const row = await this.repo.find(id);
      if (!row || !row.is_active || row.fire_at.getTime() !== ms) {
        await this.rearm(id);
        continue;
      }
      try {
        const result: FireResult = await this.fireService.fire(id, { manual: false });
        summary.fired.push({
          schedule_id: id,
          success: result.success,
          ...(result.reason ? { reason: result.reason } : {}),
        });
      } catch (err) {
        const error = (err as Error).message;
        this.logger.error(`timed fire of ${id} failed: ${error}`);
        summary.fired.push({ schedule_id: id, success: false, error });
      } finally {
        const at = await this.advance(id, this.clock.now());
        if (at) summary.advanced[id] = at.toISOString();
      }
    }
  }

  /**
   * After a timed fire (or at start-up): a recurring schedule moves to its next occurrence
   * strictly after max(fire_at, now) — no burst of catch-up fires — with fired_at cleared and
   * the pre-fire lock re-enabled, and is armed. Exhausted or unparseable → left inert.
   */
  private async advance(id: number, now: Date): Promise<Date | null> {
    try {
      const s = await this.repo.find(id);
      if (!s || !s.is_active || !s.is_recurring || !s.rrule) return null;
      const after = new Date(Math.max(s.fire_at.getTime(), now.getTime()));
      const next = advanceRecurrence(s.rrule, s.fire_at, after);
      if (!next.ok) {
        this.logger.warn(
          `schedule ${id}: recurrence ${next.reason}${next.error ? ` (${next.error})` : ''}; left inert`,
        );
        return null;
      }
      await this.repo.update(id, {
        fire_at: next.fire_at,
        rrule: next.rrule,
        fired_at: null,
        lock_disabled: false,
      });
      this.armed.set(id, next.fire_at.getTime());
      return next.fire_at;
    } catch (err) {
      this.logger.error(`schedule ${id}: advancing the recurrence failed: ${(err as Error).message}`);
      return null;
    }
  }

  /**
   * Clear `active_schedule` when the event is over: its last item left the queue, or
   * estimated_end_at is more than 5 min past. Under the QueueMutex, so never mid-fire.
   */
  autoClear(): Promise<AutoClearReason | null> {
    return this.mutex.runExclusive(async () => {
      const active = await this.repo.getActive();
      if (!active) return null;
      const reason = autoClearReason(
        active,
        {
          uids: this.shadow.items().map((i) => i.uid),
          now_playing_uid: this.shadow.nowPlayingUid(),
          stale: this.shadow.isStale(),
        },
        this.clock.now(),
      );
      if (reason) {
        await this.repo.clearActive();
        this.logger.log(`active schedule ${active.schedule_id} cleared (${reason})`);
      }
      return reason;
    });
  }

  /** §4.9 with real timestamps: release immutable playlists whose reservation expired. */
  async expireImmutability(): Promise<number[]> {
    const now = this.clock.now();
    const release = playlistsToRelease(await this.playlists.immutableIds(), await this.repo.all(), now);
    await this.playlists.releaseReservations(release, now);
    if (release.length) this.logger.log(`immutability expired: released playlist(s) ${release.join(', ')}`);
    return release;
  }
}
