import { adminRefundReasonText } from './pricing.rules';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock } from '../common/clock';
import { ApiGateClient } from '../kryten/api-gate.client';
import { LiveEvent, type RefundEvent } from '../live/live.events';
import type { SpendRequestEntity, SpendState } from './entities/spend-request.entity';
import { QueueHistory } from './queue-history.service';
import { SpendJournal, UNFINISHED_STATES } from './spend-journal.service';

/** States in which the spend call never got an answer: the economy may apply it later. */
const MAY_STILL_LAND: readonly SpendState[] = ['pending', 'uncertain'];

export interface RefundOutcome {
  refunded: boolean;
  refunded_z: number | null;
  request_id: string | null;
  username: string | null;
}

/** What the economy said about a refund by request_id. */
export type RefundResult =
  | { kind: 'refunded'; refunded_z: number }
  /** The economy never saw a spend with this id (`unknown_request_id`): nothing was charged. */
  | { kind: 'no_spend' }
  | { kind: 'rejected'; error: string };

/**
 * Refunds pay-to-play spends. The economy's refund is idempotent on
 * request_id and always for the full amount, so calling it twice is safe.
 *
 * Does NOT take the queue mutex: callers that also change the queue (removal, clear, the saga)
 * already hold it, and async-mutex is not re-entrant.
 */
@Injectable()
export class RefundService {
  private readonly logger = new Logger('Refunds');

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly journal: SpendJournal,
    private readonly history: QueueHistory,
    private readonly events: EventEmitter2,
    private readonly clock: Clock,
  ) {}

  /**
   * Refund the unrefunded spend behind a CyTube uid. No refundable spend (free, admin or
   * scheduled items, or already refunded) → `refunded:false`, logged.
   * @throws the api-gate client's typed errors when the economy can't be reached (nothing is
   *   marked: the caller must not remove the item, or the viewer would lose the Z).
   */
  async refundItem(uid: number, reason: string): Promise<RefundOutcome> {
    const row = await this.journal.findRefundableByUid(uid);
    if (!row) {
      this.logger.log(`refund ${reason} for uid ${uid}: no refundable spend`);
      return { refunded: false, refunded_z: null, request_id: null, username: null };
    }
    const result = await this.refundRequest(row, reason);
    return {
      refunded: result.kind === 'refunded',
      refunded_z: result.kind === 'refunded' ? result.refunded_z : null,
      request_id: row.request_id,
      username: row.username,
    };
  }

  /**
   * Refund one journaled spend by its request_id and record the outcome (spend_requests,
   * queue_history, a `LiveEvent.Refund`). Also the safe way to probe a spend that may or may not
   * have happened: `no_spend` means the economy has no charge for it now (a row whose spend got
   * an answer becomes `failed`; a `pending`/`uncertain` one stays, as the charge may land later).
   * @throws on transport failures (the row is left as it was).
   */
  async refundRequest(row: SpendRequestEntity, reason: string): Promise<RefundResult> {
    const answer = await this.apiGate.queueRefund({
      username: row.username,
      request_id: row.request_id,
      reason,
    });
    let result: RefundResult;
    if (answer.success) {
      const refundedZ = answer.refunded_z ?? row.z_cost ?? 0;
      await this.journal.advance(row, {
        state: 'refunded',
        refunded: true,
        refunded_at: this.clock.now(),
        refunded_z: refundedZ,
        refund_reason: reason,
      });
      await this.history.markRefunded(row.request_id, reason);
      result = { kind: 'refunded', refunded_z: refundedZ };
      this.logger.log(`refunded ${refundedZ} Z to ${row.username} (${reason}, ${row.request_id})`);
    } else if (answer.error === 'unknown_request_id') {
      // Not known YET: a spend whose call got no answer may still land, so such rows are closed
      // only by the reconciler, from the economy's transactions, at the horizon.
      if (UNFINISHED_STATES.includes(row.state) && !MAY_STILL_LAND.includes(row.state)) {
        await this.journal.advance(row, { state: 'failed', error: row.error ?? 'spend not made' });
      }
      result = { kind: 'no_spend' };
    } else {
      result = { kind: 'rejected', error: answer.error ?? 'refund refused' };
      this.logger.warn(`refund ${reason} for ${row.request_id} refused: ${result.error}`);
    }
    this.events.emit(LiveEvent.Refund, {
      request_id: row.request_id,
      username: row.username,
      uid: row.uid,
      reason,
      reason_text: adminRefundReasonText(reason),
      success: result.kind === 'refunded',
      refunded_z: result.kind === 'refunded' ? result.refunded_z : null,
    } satisfies RefundEvent);
    return result;
  }
}
