import { isLoopItem, jumpSkips } from './admin-queue.rules';
import { Injectable, Logger } from '@nestjs/common';
import { CatalogService } from '../catalog/catalog.service';
import { QueueHistory } from '../economy/queue-history.service';
import { RefundService } from '../economy/refund.service';
import { SpendJournal } from '../economy/spend-journal.service';
import { ApiGateClient } from '../kryten/api-gate.client';
import { chooseAnchor, noAnchorMessage } from '../queue/ordering.rules';
import {
  BadQueueRequestException,
  NotInQueueException,
  PayFailedException,
  QueueLockedException,
} from './pay.exception';
import { SchedulesService } from '../schedules/schedules.service';
import { QueueInsertService } from '../queue/queue-insert.service';
import { QueueMutex } from '../queue/queue-mutex';
import { QueueRemovalService, type RemovalOutcome } from '../queue/queue-removal.service';
import { QueueShadowService } from '../queue/queue-shadow.service';

export const ADMIN_MODES = ['after_purchased', 'playnext_refund', 'cancel'] as const;
export type AdminMode = (typeof ADMIN_MODES)[number];

export interface ClearResult {
  success: boolean;
  refunded: number;
  refunded_z: number;
  /** Paid items whose refund failed: kept in the playlist so nobody loses Z. */
  kept: number[];
  /** The channel's loop items left in place (Clear, keep the loop). */
  kept_loop: number;
}

export interface JumpResult {
  success: boolean;
  /** The paid items the jump goes past. */
  skipped_paid: { uid: number; title: string | null; paid_by: string | null }[];
  refunded: number;
  refunded_z: number;
}

/**
 * Admin queue operations, each under the QueueMutex. Free inserts: no
 * economy, no announcement, history tier `admin`.
 */
@Injectable()
export class AdminQueueService {
  private readonly logger = new Logger('AdminQueue');

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly catalog: CatalogService,
    private readonly locks: SchedulesService,
    private readonly insert: QueueInsertService,
    private readonly removal: QueueRemovalService,
    private readonly refunds: RefundService,
    private readonly journal: SpendJournal,
    private readonly history: QueueHistory,
    private readonly shadow: QueueShadowService,
    private readonly mutex: QueueMutex,
  ) {}

  async add(
    admin: string,
    friendlyToken: string | undefined,
    mode: string | undefined,
  ): Promise<{ success: boolean; uid?: number; refunded?: number; cancelled?: boolean }> {
    const token = friendlyToken?.trim() ?? '';
    if (token === '') {
      throw new BadQueueRequestException('friendly_token required', 'friendly_token_required');
    }
    const m = (mode || 'after_purchased') as AdminMode;
    if (!ADMIN_MODES.includes(m)) throw new BadQueueRequestException('invalid mode', 'invalid_mode');
    if (m === 'cancel') return { success: false, cancelled: true };
    await this.assertAdminUnlocked();
    const item = await this.catalog.getAdminItem(token);
    return this.mutex.runExclusive(async () => {
      await this.assertAdminUnlocked();
      const snap = await this.insert.snapshot();
      const anchorMode = m === 'playnext_refund' ? 'playnext' : 'after_purchased';
      // Resolve the anchor BEFORE refunding anything (DEFECT fixed).
      const first = chooseAnchor(snap.entries, snap.nowPlayingUid, anchorMode);
      if (!first.ok) throw new PayFailedException(noAnchorMessage(anchorMode, false), 'no_now_playing');
      let refunded = 0;
      if (m === 'playnext_refund') {
        const paid = new Set([
          ...snap.entries.filter((e) => e.is_pay).map((e) => e.uid),
          ...this.shadow.paidItems().map((i) => i.uid),
        ]);
        paid.delete(snap.nowPlayingUid as number);
        for (const uid of paid) {
          const out = await this.removal.removeItemLocked(uid, 'admin_playnext_refund', {
            requireRefund: false,
          });
          if (out.removed) refunded++;
        }
      }
      const anchorUid = first.anchor_uid;
      const before = new Set(snap.entries.map((e) => e.uid));
      const added = await this.insert.add('cm', item.manifest_url, before);
      if (!added.ok) throw new PayFailedException(added.error, added.reason, { refunded });
      const placed = await this.insert.place(added.uid, anchorUid);
      if (!placed.ok) {
        if (!placed.vanished) await this.insert.deleteQuietly(added.uid);
        throw new PayFailedException('Failed to position item in queue', 'move_failed', { refunded });
      }
      await this.shadow.upsertAfter(anchorUid, added.uid, {
        media_type: 'cm',
        media_id: item.manifest_url,
        title: item.title,
        friendly_token: item.friendly_token,
        duration_sec: item.duration_sec,
        is_pay: false,
        paid_by: null,
        tier: 'admin',
        z_cost: null,
      });
      await this.history.insert({
        username: admin,
        friendly_token: item.friendly_token,
        title: item.title,
        tier: 'admin',
        z_cost: 0,
        request_id: null,
        uid: added.uid,
      });
      return { success: true, uid: added.uid, refunded };
    });
  }

  /**
   * Refund every paid item still in the queue, the one playing included (`admin_clear`), then
   * clear. Items that already played out are not refunded (they were delivered). If a refund
   * fails, that item is kept (everything else is deleted one by one instead of a clear), so no Z
   * is lost.
   */
  clear(opts: { keepLoop?: boolean } = {}): Promise<ClearResult> {
    return this.mutex.runExclusive(async () => {
      const result: ClearResult = { success: true, refunded: 0, refunded_z: 0, kept: [], kept_loop: 0 };
      const live = (await this.insert.readBack())?.uids ?? this.shadow.items().map((i) => i.uid);
      const inQueue = new Set(live);
      const pending = (await this.journal.findRecordedUnrefunded()).filter(
        (row) => row.uid !== null && inQueue.has(row.uid),
      );
      for (const row of pending) {
        try {
          const r = await this.refunds.refundRequest(row, 'admin_clear');
          if (r.kind === 'refunded') {
            result.refunded++;
            result.refunded_z += r.refunded_z;
          } else if (r.kind === 'rejected' && row.uid !== null) {
            result.kept.push(row.uid);
          }
        } catch (err) {
          this.logger.error(`admin_clear refund of ${row.request_id} failed: ${(err as Error).message}`);
          if (row.uid !== null) result.kept.push(row.uid);
        }
      }
      const kept = new Set(result.kept);
      if (opts.keepLoop) {
        // The channel's own permanent items stay; everything else goes one by one.
        for (const item of this.shadow.items()) {
          if (isLoopItem(item) && inQueue.has(item.uid)) kept.add(item.uid);
        }
        result.kept_loop = kept.size - result.kept.length;
      }
      if (kept.size === 0) {
        await this.apiGate.playlistClear();
      } else {
        result.success = result.kept.length === 0;
        for (const uid of live.filter((u) => !kept.has(u))) await this.insert.deleteQuietly(uid);
      }
      for (const item of this.shadow.items().filter((i) => !kept.has(i.uid))) {
        await this.shadow.remove(item.uid);
      }
      return result;
    });
  }

  /** Refund if paid (`admin_remove`), delete, drop from the shadow. Works on any uid. */
  async remove(uid: number): Promise<RemovalOutcome & { success: boolean }> {
    const out = await this.removal.removeItem(uid, 'admin_remove', { requireRefund: false });
    return { success: out.removed, ...out };
  }

  /**
   * api-gate jump (fire-and-forget; probably a no-op on a real Robot). The paid items it goes past
   * wait for the list to come round; with `refundSkipped` they are refunded (`admin_jump`) and
   * taken out instead.
   */
  jump(uid: number, opts: { refundSkipped?: boolean } = {}): Promise<JumpResult> {
    return this.mutex.runExclusive(async () => {
      const skipped = jumpSkips(this.shadow.items(), this.shadow.nowPlayingUid(), uid).filter(
        (i) => i.is_pay,
      );
      const result: JumpResult = {
        success: true,
        skipped_paid: skipped.map((i) => ({ uid: i.uid, title: i.title, paid_by: i.paid_by })),
        refunded: 0,
        refunded_z: 0,
      };
      if (opts.refundSkipped) {
        for (const item of skipped) {
          const out = await this.removal.removeItemLocked(item.uid, 'admin_jump', { requireRefund: true });
          if (out.refunded) {
            result.refunded++;
            result.refunded_z += out.refunded_z ?? 0;
          }
        }
      }
      await this.apiGate.playlistJump(uid);
      return result;
    });
  }

  /**
   * Put `uid` right after `afterUid` (an admin reorder), confirmed by read-back like every insert.
   * @throws NotInQueueException (404) when either item is not in the queue; 400 for itself.
   */
  move(uid: number, afterUid: number): Promise<{ success: boolean; moved: boolean; error?: string }> {
    return this.mutex.runExclusive(async () => {
      if (uid === afterUid) throw new BadQueueRequestException('An item cannot be moved after itself');
      const live = (await this.insert.readBack())?.uids ?? this.shadow.items().map((i) => i.uid);
      for (const u of [uid, afterUid]) if (!live.includes(u)) throw new NotInQueueException(u);
      const placed = await this.insert.place(uid, afterUid);
      if (!placed.ok) return { success: false, moved: false, error: placed.error };
      const item = this.shadow.get(uid);
      if (item) {
        await this.shadow.upsertAfter(afterUid, uid, {
          media_type: item.media_type,
          media_id: item.media_id,
        });
      }
      return { success: true, moved: placed.moved };
    });
  }

  private async assertAdminUnlocked(): Promise<void> {
    const lock = await this.locks.adminPayLock();
    if (lock.locked) throw new QueueLockedException(lock.message, lock.kind);
  }
}
