import { Injectable, Logger } from '@nestjs/common';
import { QueueHistory } from '../economy/queue-history.service';
import { RefundService } from '../economy/refund.service';
import { SpendJournal } from '../economy/spend-journal.service';
import { ApiGateClient } from '../kryten/api-gate.client';
import { QueueMutex } from './queue-mutex';
import { QueueShadowService } from './queue-shadow.service';

export interface RemovalOptions {
  /** PM the payer about the refund (best effort). */
  notifyOwner?: boolean;
  /**
   * A paid item (shadow `is_pay`) with no refundable spend is left in place unless this is
   * false (presence: keep it; admin remove: remove anyway). Default true.
   */
  requireRefund?: boolean;
}

export interface RemovalOutcome {
  /** The delete was sent to CyTube and the item dropped from the shadow. */
  removed: boolean;
  refunded: boolean;
  refunded_z: number | null;
  request_id: string | null;
  username: string | null;
  /** Lead-in promos removed with it. */
  lead_ins_removed: number[];
  /** Why it was left in place, when it was. */
  kept_because?: 'refund_refused' | 'no_refundable_spend';
}

/**
 * Take one item out of the live queue without losing anyone's Z: refund first (if paid) → delete
 * from CyTube → drop from the shadow → remove its lead-in promo → the shadow emits the live update.
 * A paid item whose refund the economy refuses is NOT deleted. If the economy can't be reached
 * the refund error propagates and nothing is deleted.
 *
 * `removeItem` takes the QueueMutex itself; code already inside `QueueMutex.runExclusive`
 * (admin clear, play-next-refund, fire) must call `removeItemLocked`.
 */
@Injectable()
export class QueueRemovalService {
  private readonly logger = new Logger('QueueRemoval');

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly refunds: RefundService,
    private readonly journal: SpendJournal,
    private readonly history: QueueHistory,
    private readonly shadow: QueueShadowService,
    private readonly mutex: QueueMutex,
  ) {}

  removeItem(uid: number, reason: string, opts: RemovalOptions = {}): Promise<RemovalOutcome> {
    return this.mutex.runExclusive(() => this.removeItemLocked(uid, reason, opts));
  }

  async removeItemLocked(uid: number, reason: string, opts: RemovalOptions = {}): Promise<RemovalOutcome> {
    const item = this.shadow.get(uid);
    const outcome: RemovalOutcome = {
      removed: false,
      refunded: false,
      refunded_z: null,
      request_id: null,
      username: null,
      lead_ins_removed: [],
    };
    const row = await this.journal.findRefundableByUid(uid);
    if (row) {
      const result = await this.refunds.refundRequest(row, reason);
      outcome.request_id = row.request_id;
      outcome.username = row.username;
      if (result.kind === 'rejected') return { ...outcome, kept_because: 'refund_refused' };
      if (result.kind === 'refunded') {
        outcome.refunded = true;
        outcome.refunded_z = result.refunded_z;
      }
    } else if (item?.is_pay && opts.requireRefund !== false) {
      this.logger.log(`uid ${uid} is paid but has no refundable spend; left in place (${reason})`);
      return { ...outcome, kept_because: 'no_refundable_spend' };
    }

    // A refunded item must leave: journaled first, so the reconciler repeats a lost delete.
    if (row && outcome.refunded) await this.journal.advance(row, { removal_uid: uid });
    await this.deleteQuietly(uid);
    await this.shadow.remove(uid);
    if (!row) await this.history.markRemoved(uid);
    for (const leadIn of this.shadow.items().filter((i) => i.lead_in_for_uid === uid)) {
      await this.deleteQuietly(leadIn.uid);
      await this.shadow.remove(leadIn.uid);
      outcome.lead_ins_removed.push(leadIn.uid);
    }
    outcome.removed = true;
    if (opts.notifyOwner && outcome.refunded && outcome.username) {
      const title = item?.title || row?.title || 'your item';
      try {
        await this.apiGate.sendPm(
          outcome.username,
          `"${title}" was removed from the queue and ${outcome.refunded_z ?? 0} Z were refunded.`,
        );
      } catch (err) {
        this.logger.warn(`refund PM to ${outcome.username} failed: ${(err as Error).message}`);
      }
    }
    return outcome;
  }

  /** CyTube delete is fire-and-forget; a transport error is logged (the next poll shows the truth). */
  private async deleteQuietly(uid: number): Promise<void> {
    try {
      await this.apiGate.playlistDelete(uid);
    } catch (err) {
      this.logger.error(`delete ${uid} failed: ${(err as Error).message}`);
    }
  }
}
