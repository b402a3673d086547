import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import type { SpendRequestEntity } from '../economy/entities/spend-request.entity';
import { RefundService } from '../economy/refund.service';
import { SpendJournal } from '../economy/spend-journal.service';
import { ApiGateClient } from '../kryten/api-gate.client';
import { LiveEvent } from '../live/live.events';
import type { ScheduleFiredEvent } from '../live/live.service';
import type { SavedPlaylistItemEntity } from '../playlists/entities/saved-playlist-item.entity';
import { BulkAddService, type BulkAddResult } from '../queue/bulk-add.service';
import { BulkLoadGate } from '../queue/bulk-load.gate';
import { ReadBackPolicy } from '../queue/read-back.policy';
import { QueueMutex } from '../queue/queue-mutex';
import { QueueShadowService } from '../queue/queue-shadow.service';
import { PlaylistsService } from '../playlists/playlists.service';
import { fireInterrupted, missingFromLive } from './resume.rules';
import { SchedulesRepository } from './schedules.repository';
import { PlayHistoryService } from '../history/play-history.service';
import type { PlaylistItem } from '../kryten/api-gate.types';

/** Refund reason for paid items a fire displaces. */
export const DISPLACED = 'schedule_displaced';
/** Marks a recorded spend whose displaced-refund failed and is retried by the scheduler tick. */
export const REFUND_OWED = `refund_owed:${DISPLACED}`;

export interface FireResult {
  success: boolean;
  schedule_id: number;
  /** Why nothing was fired. */
  reason?: 'schedule_not_found' | 'no_playlist' | 'inactive' | 'clear_failed';
  error?: string;
  playlist_name?: string;
  is_immutable?: boolean;
  refunded: number;
  refunded_z: number;
  /** Refunds that failed: the spend stays owed and is retried by the scheduler tick. */
  refund_failures: { request_id: string; username: string; error: string }[];
  added: number;
  errors: number;
  fallback_added: number;
  fallback_errors: number;
  last_item_uid: number | null;
  estimated_end_at: string | null;
}

/**
 * Fires a schedule under THE QueueMutex (DEFECT fixed: the old fire had its
 * own mutex): refund every paid item in the queue (best effort, DEFECT fixed), clear the CyTube
 * playlist, add the event's items throttled, append the fallback playlist (not part of the
 * event), write `active_schedule`, set `fired_at`, emit `LiveEvent.ScheduleFired`.
 */
@Injectable()
export class ScheduleFireService {
  private readonly logger = new Logger('ScheduleFire');
  constructor(
    private readonly repo: SchedulesRepository,
    private readonly playlists: PlaylistsService,
    private readonly apiGate: ApiGateClient,
    private readonly bulk: BulkAddService,
    private readonly refunds: RefundService,
    private readonly journal: SpendJournal,
    private readonly shadow: QueueShadowService,
    private readonly mutex: QueueMutex,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
    /** The "wait for the Robot" seam (tests replace it by a simulator flush). */
    private readonly readBack: ReadBackPolicy,
    private readonly gate: BulkLoadGate,
    private readonly history: PlayHistoryService,
  ) {}

  /**
   * Timed fires (`manual: false`) skip an inactive schedule; a manual Fire Now fires it anyway
   * (an explicit admin action). Neither advances a recurrence (the scheduler does that).
   */
  fire(scheduleId: number, opts: { manual: boolean }): Promise<FireResult> {
    return this.mutex.runExclusive(() => this.gate.during('fire', () => this.fireLocked(scheduleId, opts)));
  }

  private async fireLocked(scheduleId: number, opts: { manual: boolean }): Promise<FireResult> {
    const result: FireResult = {
      success: false,
      schedule_id: scheduleId,
      refunded: 0,
      refunded_z: 0,
      refund_failures: [],
      added: 0,
      errors: 0,
      fallback_added: 0,
      fallback_errors: 0,
      last_item_uid: null,
      estimated_end_at: null,
    };
    const schedule = await this.repo.find(scheduleId);
    if (!schedule) {
      this.logger.warn(`fire ${scheduleId}: schedule not found`);
      return { ...result, reason: 'schedule_not_found' };
    }
    if (!opts.manual && !schedule.is_active) {
      this.logger.log(`fire ${scheduleId}: inactive, not fired`);
      return { ...result, reason: 'inactive' };
    }
    const event =
      schedule.playlist_id === null ? null : await this.playlists.findWithItems(schedule.playlist_id);
    if (!event) {
      this.logger.warn(`fire ${scheduleId} ("${schedule.label}"): it has no playlist`);
      return { ...result, reason: 'no_playlist' };
    }
    const name = event.playlist.name;
    const isImmutable = Boolean(event.playlist.is_immutable);
    Object.assign(result, { playlist_name: name, is_immutable: isImmutable });
    this.logger.log(
      `firing ${scheduleId} ("${schedule.label}", playlist "${name}", ${event.items.length} items)`,
    );

    const before = await this.refundDisplaced(result);

    try {
      await this.apiGate.playlistClear();
      await this.confirmCleared(before);
    } catch (err) {
      // The paid items were refunded and play on for free; nothing of the event was added.
      result.error = (err as Error).message;
      this.logger.error(`fire ${scheduleId}: playlist clear failed: ${result.error}`);
      return { ...result, reason: 'clear_failed' };
    }
    for (const item of this.shadow.items()) await this.shadow.remove(item.uid);

    // The event is recorded (with its lock) before its first add, so nothing that checks "is an
    // event running?" — promos, pay locks — can see the half-loaded event as ordinary content.
    const startedAt = this.clock.now();
    await this.repo.writeActive({
      schedule_id: scheduleId,
      playlist_id: event.playlist.id,
      is_immutable: isImmutable,
      started_at: startedAt,
      estimated_end_at: new Date(startedAt.getTime() + totalDurationSec(event.items) * 1000),
      last_item_uid: null,
      lock_disabled: false,
    });
    const added = await this.bulk.addAll(event.items.map(toBulk));
    await this.mirror(event.items, added, scheduleId);
    result.added = added.added;
    result.errors = added.errors;
    result.last_item_uid = added.lastUid;

    if (schedule.fallback_playlist_id !== null) {
      const fallback = await this.playlists.findWithItems(schedule.fallback_playlist_id);
      if (fallback) {
        const more = await this.bulk.addAll(fallback.items.map(toBulk));
        await this.mirror(fallback.items, more, null);
        result.fallback_added = more.added;
        result.fallback_errors = more.errors;
      } else {
        this.logger.warn(`fire ${scheduleId}: fallback playlist ${schedule.fallback_playlist_id} is gone`);
      }
    }

    const estimatedEnd = new Date(startedAt.getTime() + added.addedDurationSec * 1000);
    await this.repo.updateActive({ estimated_end_at: estimatedEnd, last_item_uid: added.lastUid });
    await this.repo.update(scheduleId, { fired_at: this.clock.now() });
    result.estimated_end_at = estimatedEnd.toISOString();
    result.success = true;
    this.events.emit(LiveEvent.ScheduleFired, {
      schedule_id: scheduleId,
      playlist_name: name,
      is_immutable: isImmutable,
    } satisfies ScheduleFiredEvent);
    this.logger.log(
      `fired ${scheduleId}: ${result.added} added (${result.errors} failed), ${result.fallback_added} fallback, ` +
        `${result.refunded} refunded, ${result.refund_failures.length} refund(s) owed`,
    );
    return result;
  }

  /**
   * A fire its instance did not finish (it died between two adds; this instance took the lead):
   * add the event's items that are not in the live playlist, then the fallback, and mark it
   * fired. Adds still in flight when it died are waited for first (the playlist is read until it
   * stops changing), so an item that lands late is not added a second time.
   */
  resumeInterrupted(): Promise<{ resumed: boolean; added: number }> {
    return this.mutex.runExclusive(async () => {
      const active = await this.repo.getActive();
      if (!active || !fireInterrupted(active, this.clock.nowMs())) return { resumed: false, added: 0 };
      const schedule = active.schedule_id === null ? null : await this.repo.find(active.schedule_id);
      const startedAtMs = active.started_at?.getTime();
      if (!schedule || active.playlist_id === null || startedAtMs === undefined) {
        return { resumed: false, added: 0 };
      }
      const event = await this.playlists.findWithItems(active.playlist_id);
      if (!event) return { resumed: false, added: 0 };
      const fallback =
        schedule.fallback_playlist_id === null
          ? null
          : await this.playlists.findWithItems(schedule.fallback_playlist_id);
      return this.gate.during('fire', async () => {
        // What is in the playlist, and what already played and left it, is not added again.
        const live = (await this.settledPlaylist()).map((p) => ({
          media_type: p.media.type,
          media_id: p.media.id,
        }));
        const played = [...(await this.history.lastPlayedSince(startedAtMs)).keys()].map((key) => {
          const at = key.indexOf(':');
          return { media_type: key.slice(0, at), media_id: key.slice(at + 1) };
        });
        const missing = missingFromLive(event.items, [...live, ...played]);
        const items = missing.map((i) => event.items[i]);
        const added = await this.bulk.addAll(items.map(toBulk));
        await this.mirror(items, added, schedule.id);
        let fallbackAdded = 0;
        if (fallback && missing.length > 0) {
          const more = await this.bulk.addAll(fallback.items.map(toBulk));
          await this.mirror(fallback.items, more, null);
          fallbackAdded = more.added;
        }
        const lastUid = missing.includes(event.items.length - 1) ? added.lastUid : active.last_item_uid;
        await this.repo.updateActive({ last_item_uid: lastUid ?? (await this.lastEventUid(event.items)) });
        await this.repo.update(schedule.id, { fired_at: this.clock.now() });
        this.logger.warn(
          `resumed the interrupted fire of ${schedule.id} ("${schedule.label}"): ${added.added} of ${event.items.length} ` +
            `item(s) were missing and added${fallbackAdded ? `, ${fallbackAdded} fallback` : ''}`,
        );
        return { resumed: true, added: added.added };
      });
    });
  }

  /** The live playlist once two reads in a row agree (late adds have landed). */
  private async settledPlaylist(): Promise<PlaylistItem[]> {
    let last = await this.apiGate.getPlaylist();
    for (let attempt = 0; attempt < this.readBack.confirmAttempts; attempt++) {
      await this.readBack.wait(attempt);
      const next = await this.apiGate.getPlaylist();
      if (next.map((p) => p.uid).join(',') === last.map((p) => p.uid).join(',')) return next;
      last = next;
    }
    return last;
  }

  /** The uid of the live entry of the event's last item (the event lock ends when it has played). */
  private async lastEventUid(items: readonly SavedPlaylistItemEntity[]): Promise<number | null> {
    const lastItem = items[items.length - 1];
    if (!lastItem) return null;
    const live = await this.apiGate.getPlaylist();
    const match = [...live]
      .reverse()
      .find((p) => p.media.type === lastItem.media_type && p.media.id === lastItem.media_id);
    return match?.uid ?? null;
  }

  /** Refund every paid item in the live queue (the playing one too). A failure never aborts. Returns the uids seen. */
  private async refundDisplaced(result: FireResult): Promise<Set<number>> {
    const uids = new Set(this.shadow.items().map((i) => i.uid));
    try {
      for (const item of await this.apiGate.getPlaylist()) uids.add(item.uid);
    } catch (err) {
      this.logger.warn(
        `fire: live playlist unavailable, refunding from the shadow: ${(err as Error).message}`,
      );
    }
    for (const uid of uids) {
      const row = await this.journal.findRefundableByUid(uid);
      if (!row) continue;
      try {
        const r = await this.refunds.refundRequest(row, DISPLACED);
        if (r.kind === 'refunded') {
          result.refunded++;
          result.refunded_z += r.refunded_z;
        } else if (r.kind === 'rejected') {
          await this.owe(row, r.error, result);
        }
      } catch (err) {
        await this.owe(row, (err as Error).message, result);
      }
    }
    return uids;
  }

  /**
   * The clear is fire-and-forget: read the playlist back until none of the
   * old items is left, so the event's adds can't land before the clear and be wiped by it.
   */
  private async confirmCleared(before: Set<number>): Promise<void> {
    for (let attempt = 0; attempt < this.readBack.confirmAttempts; attempt++) {
      try {
        const left = (await this.apiGate.getPlaylist()).filter((p) => before.has(p.uid));
        if (left.length === 0) return;
      } catch {
        // keep reading until the attempts run out
      }
      await this.readBack.wait(attempt);
    }
    this.logger.warn('fire: the playlist clear was not seen applied; adding the event anyway');
  }

  private async owe(row: SpendRequestEntity, error: string, result: FireResult): Promise<void> {
    this.logger.error(`fire: ${DISPLACED} refund of ${row.request_id} (${row.username}) failed: ${error}`);
    result.refund_failures.push({ request_id: row.request_id, username: row.username, error });
    await this.journal.advance(row, { error: REFUND_OWED });
  }

  /**
   * Retry the displaced-item refunds a fire could not make (called by the scheduler tick, under
   * the QueueMutex). The PayReconciler only settles unfinished sagas, so these are ours.
   */
  retryOwedRefunds(): Promise<{ retried: number; refunded: number }> {
    return this.mutex.runExclusive(async () => {
      const rows = await this.journal.findRecordedUnrefundedWithError(REFUND_OWED);
      let refunded = 0;
      for (const row of rows) {
        try {
          const r = await this.refunds.refundRequest(row, DISPLACED);
          if (r.kind === 'refunded') refunded++;
        } catch (err) {
          this.logger.warn(
            `retry of ${DISPLACED} refund ${row.request_id} failed: ${(err as Error).message}`,
          );
        }
      }
      return { retried: rows.length, refunded };
    });
  }

  /** Tell the shadow about the items we added (the next poll confirms them). */
  private async mirror(
    items: readonly SavedPlaylistItemEntity[],
    added: BulkAddResult,
    scheduleId: number | null,
  ): Promise<void> {
    for (const [index, uid] of added.uids.entries()) {
      if (uid === null || uid === undefined) continue;
      const item = items[index];
      await this.shadow.upsertAfter(null, uid, {
        media_type: item.media_type,
        media_id: item.media_id,
        title: item.title,
        duration_sec: item.duration_sec,
        is_pay: false,
        paid_by: null,
        tier: null,
        z_cost: null,
        schedule_id: scheduleId,
      });
    }
  }
}

/** The event's length as saved (the estimate until the adds say what really went in). */
function totalDurationSec(items: readonly SavedPlaylistItemEntity[]): number {
  return items.reduce((sum, item) => sum + (item.duration_sec ?? 0), 0);
}

function toBulk(item: SavedPlaylistItemEntity): {
  media_type: string;
  media_id: string;
  title: string | null;
  duration_sec: number | null;
} {
  return {
    media_type: item.media_type,
    media_id: item.media_id,
    title: item.title,
    duration_sec: item.duration_sec,
  };
}
