import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ApiGateClient } from '../kryten/api-gate.client';
import { LiveEvent, type PresenceEvent } from '../live/live.events';
import { ConfigInterval } from '../scheduling/config-interval';
import { QueueRemovalService } from '../queue/queue-removal.service';
import { QueueShadowService } from '../queue/queue-shadow.service';
import {
  cancellationMessage,
  classifyPresence,
  decideCycle,
  type GraceEntry,
  graceLeftSeconds,
  type Observation,
  pendingPaidByOwner,
} from './presence.rules';

export interface PresenceTickSummary {
  /** Owners looked up this cycle (one lookup per distinct owner). */
  checked: number;
  /** Owners with a running grace clock after this cycle. */
  tracking: number;
  /** Items cancelled and refunded this cycle. */
  cancelled: number;
  /** Lookups that failed (never start or clear a clock). */
  inconclusive: number;
  /** Items that would have been cancelled (shadow mode) or had no refundable spend. */
  skipped: number;
}

export interface TrackedOwner {
  owner: string;
  state: 'gone' | 'afk';
  since: string;
  grace_left_sec: number;
  items: number;
}

/**
 * Cancels and refunds a paying viewer's pending items when they leave the channel (or go AFK)
 * and stay away for the grace period. The rules are in presence.rules.ts; this class does the
 * lookups and the cancels. Grace clocks live in memory: after a restart they start again.
 */
@Injectable()
export class PresenceRefundMonitor {
  private readonly logger = new Logger('Presence');
  private tracking = new Map<string, GraceEntry>();
  private pendingCounts = new Map<string, number>();
  private running = false;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly apiGate: ApiGateClient,
    private readonly shadow: QueueShadowService,
    private readonly removal: QueueRemovalService,
    private readonly events: EventEmitter2,
  ) {}

  @ConfigInterval('presence-refund-monitor', ({ presence_refund: p }) =>
    p.enabled ? p.check_interval_seconds * 1000 : 0,
  )
  interval(): Promise<PresenceTickSummary> {
    return this.tick();
  }

  /** One monitor cycle. Never throws; overlapping calls are skipped. */
  async tick(): Promise<PresenceTickSummary> {
    const summary: PresenceTickSummary = {
      checked: 0,
      tracking: 0,
      cancelled: 0,
      inconclusive: 0,
      skipped: 0,
    };
    const cfg = this.config.presence_refund;
    if (!cfg.enabled || this.running) return { ...summary, tracking: this.tracking.size };
    this.running = true;
    try {
      const owners = pendingPaidByOwner(this.shadow.items(), this.shadow.nowPlayingUid());
      const observations = new Map<string, Observation>();
      for (const owner of owners.keys()) observations.set(owner, await this.observe(owner));
      summary.checked = observations.size;
      summary.inconclusive = [...observations.values()].filter((o) => o === 'inconclusive').length;

      const nowMs = this.clock.nowMs();
      const decision = decideCycle(this.tracking, observations, cfg, nowMs);
      this.tracking = decision.tracking;
      this.pendingCounts = new Map([...owners].map(([owner, items]) => [owner, items.length]));

      for (const { owner, reason } of decision.cancel) {
        // Re-read what is playing now: an item that started during grace is exempt.
        const playing = await this.nowPlayingUids();
        const items = pendingPaidByOwner(this.shadow.items(), null).get(owner) ?? [];
        for (const item of items.filter((i) => !playing.has(i.uid))) {
          if (cfg.shadow_mode) {
            this.logger.log(`[shadow] would cancel uid=${item.uid} "${item.title}" of ${owner} (${reason})`);
            summary.skipped++;
            continue;
          }
          const outcome = await this.removal.removeItem(item.uid, reason);
          if (!outcome.refunded) {
            this.logger.warn(`no refundable spend for uid=${item.uid} of ${owner}; left in place`);
            summary.skipped++;
            continue;
          }
          summary.cancelled++;
          this.logger.log(
            `cancelled uid=${item.uid} "${item.title}" of ${owner} (${reason}), ${outcome.refunded_z} Z refunded`,
          );
          if (cfg.notify_user) {
            await this.notify(owner, cancellationMessage(item.title, reason, outcome.refunded_z));
          }
        }
      }
      summary.tracking = this.tracking.size;
      this.events.emit(LiveEvent.Presence, { tracked: this.trackedOwners() } satisfies PresenceEvent);
      return summary;
    } catch (err) {
      this.logger.error(`presence cycle failed: ${(err as Error).message}`);
      return { ...summary, tracking: this.tracking.size };
    } finally {
      this.running = false;
    }
  }

  /** Who is being watched and how much grace is left (admin dashboard). */
  trackedOwners(): TrackedOwner[] {
    const nowMs = this.clock.nowMs();
    const grace = this.config.presence_refund.grace_seconds;
    return [...this.tracking].map(([owner, entry]) => ({
      owner,
      state: entry.reason === 'owner_afk' ? 'afk' : 'gone',
      since: new Date(entry.sinceMs).toISOString(),
      grace_left_sec: graceLeftSeconds(entry, grace, nowMs),
      items: this.pendingCounts.get(owner) ?? 0,
    }));
  }

  private async observe(owner: string): Promise<Observation> {
    try {
      return classifyPresence(await this.apiGate.getUser(owner));
    } catch (err) {
      this.logger.debug(`presence lookup for ${owner} failed: ${(err as Error).message}`);
      return 'inconclusive';
    }
  }

  /** The uid playing now per a fresh api-gate read (matched by media when it has no uid) and per the shadow. */
  private async nowPlayingUids(): Promise<Set<number>> {
    const uids = new Set<number>();
    const shadowUid = this.shadow.nowPlayingUid();
    if (shadowUid !== null) uids.add(shadowUid);
    try {
      const fresh = await this.apiGate.getNowPlaying();
      if (fresh?.uid !== null && fresh?.uid !== undefined) uids.add(fresh.uid);
      else if (fresh) {
        const match = this.shadow.items().find((i) => i.media_id === fresh.id && i.media_type === fresh.type);
        if (match) uids.add(match.uid);
      }
    } catch {
      // The shadow's view is the fallback.
    }
    return uids;
  }

  private async notify(owner: string, message: string): Promise<void> {
    try {
      await this.apiGate.sendPm(owner, message);
    } catch (err) {
      // A failed PM never blocks the refund.
      this.logger.warn(`could not PM ${owner}: ${(err as Error).message}`);
    }
  }
}
