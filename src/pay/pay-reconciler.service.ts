import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Leadership } from '../cluster/leadership';
import { ConfigInterval } from '../scheduling/config-interval';
import type { SpendRequestEntity } from '../economy/entities/spend-request.entity';
import { RefundService } from '../economy/refund.service';
import { SpendJournal, UNFINISHED_STATES } from '../economy/spend-journal.service';
import { SpendSettlementService } from '../economy/spend-settlement.service';
import { ApiGateClient } from '../kryten/api-gate.client';
import type { PlaylistItem } from '../kryten/api-gate.types';
import { PaySagaService } from './pay-saga.service';
import { QueueMutex } from '../queue/queue-mutex';
import { QueueShadowService } from '../queue/queue-shadow.service';

export interface ReconcileSummary {
  examined: number;
  recorded: number;
  refunded: number;
  no_spend: number;
  /** Spends still unknown (not in the economy's records yet, horizon not reached). */
  uncertain: number;
  /** Deletes (re)sent for refunded items still in the playlist. */
  orphans_deleted: number;
  /** Refunded items a read-back showed gone (their removal is done). */
  removals_confirmed: number;
  left: number;
  error?: string;
}

const REASON = 'saga_interrupted';
const MAY_STILL_LAND: ReadonlySet<string> = new Set(['pending', 'uncertain']);

/**
 * Settles pay-to-play sagas that did not finish (a crash, a spend without an answer, a refund the
 * economy could not take at the time), and makes refunded items leave the channel:
 * - `pending`/`uncertain`: the spend may have landed, or may land later. Never replay it; look
 *   for its debit in the economy's transactions: there → refund; not there at the horizon →
 *   closed as never charged; else left open (listed on the ledger).
 * - `spent`: no uid journaled. If the add happened anyway, the only unclaimed playlist entry
 *   with our media id is ours (CyTube refuses duplicates): it must leave. Refund.
 * - `added`: never confirmed in place: it must leave if present; refund.
 * - `positioned`: confirmed in place: if still in the playlist, record it (it plays as bought);
 *   if gone, refund.
 * - a refunded row with `removal_uid`: delete it again while the playlist still shows it; clear
 *   the mark once a read-back shows it gone.
 * Sagas still running in this process are left alone. Runs at start-up and every minute, under
 * the QueueMutex.
 */
@Injectable()
export class PayReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger('PayReconciler');

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly journal: SpendJournal,
    private readonly refunds: RefundService,
    private readonly settlement: SpendSettlementService,
    private readonly saga: PaySagaService,
    private readonly shadow: QueueShadowService,
    private readonly mutex: QueueMutex,
    private readonly leadership: Leadership,
  ) {}

  /** At start, and when this instance takes over from a leader that died mid-purchase. */
  async onApplicationBootstrap(): Promise<void> {
    await this.leadership.whenLeader('reconcile unfinished purchases', async () => {
      const summary = await this.tick();
      if (summary.examined > 0) this.logger.log(`start-up reconcile: ${JSON.stringify(summary)}`);
    });
  }

  @ConfigInterval('pay-reconcile', () => 60_000)
  interval(): Promise<ReconcileSummary> {
    return this.tick();
  }

  tick(): Promise<ReconcileSummary> {
    return this.mutex.runExclusive(() => this.reconcileLocked());
  }

  /** For callers that already hold the QueueMutex. */
  async reconcileLocked(): Promise<ReconcileSummary> {
    const summary: ReconcileSummary = {
      examined: 0,
      recorded: 0,
      refunded: 0,
      no_spend: 0,
      uncertain: 0,
      orphans_deleted: 0,
      removals_confirmed: 0,
      left: 0,
    };
    const unfinished = (await this.journal.findUnfinished()).filter(
      (r) => !this.saga.isRunning(r.request_id),
    );
    const removals = (await this.journal.findAwaitingRemoval()).filter(
      (r) => !UNFINISHED_STATES.includes(r.state) && !this.saga.isRunning(r.request_id),
    );
    summary.examined = unfinished.length + removals.length;

    // partition first: settling patches the row objects' state
    const unknown = unfinished.filter((r) => MAY_STILL_LAND.has(r.state));
    const placed = unfinished.filter((r) => !MAY_STILL_LAND.has(r.state));
    for (const row of unknown) await this.settleUnknown(row, summary);

    if (placed.length === 0 && removals.length === 0) return summary;
    let playlist: PlaylistItem[];
    try {
      playlist = await this.apiGate.getPlaylist();
    } catch (err) {
      summary.left += placed.length + removals.length;
      summary.error = (err as Error).message;
      this.logger.warn(`reconcile postponed, playlist unavailable: ${summary.error}`);
      return summary;
    }
    const claimed = await this.claimedUids();
    for (const row of placed) {
      try {
        await this.settle(row, playlist, claimed, summary);
      } catch (err) {
        summary.left++;
        this.logger.warn(`reconcile of ${row.request_id} (${row.state}) failed: ${(err as Error).message}`);
      }
    }
    const present = new Set(playlist.map((p) => p.uid));
    for (const row of removals) {
      try {
        await this.ensureGone(row, present, summary);
      } catch (err) {
        summary.left++;
        this.logger.warn(`removal of uid ${row.removal_uid} failed: ${(err as Error).message}`);
      }
    }
    return summary;
  }

  private async settleUnknown(row: SpendRequestEntity, summary: ReconcileSummary): Promise<void> {
    try {
      const outcome = await this.settlement.settle(row);
      if (outcome === 'refunded') summary.refunded++;
      else if (outcome === 'no_spend') summary.no_spend++;
      else summary.uncertain++;
    } catch (err) {
      summary.left++;
      this.logger.warn(`uncertain spend ${row.request_id} not settled now: ${(err as Error).message}`);
    }
  }

  private async settle(
    row: SpendRequestEntity,
    playlist: PlaylistItem[],
    claimed: Set<number>,
    summary: ReconcileSummary,
  ): Promise<void> {
    const uids = playlist.map((p) => p.uid);
    if (row.state === 'positioned' && row.uid !== null && uids.includes(row.uid)) {
      const at = uids.indexOf(row.uid);
      await this.saga.record(row, at > 0 ? uids[at - 1] : null);
      summary.recorded++;
      return;
    }
    let orphan: number | null = null;
    if ((row.state === 'added' || row.state === 'positioned') && row.uid !== null && uids.includes(row.uid)) {
      orphan = row.uid;
    } else if (row.state === 'spent' && row.media_id) {
      orphan = playlist.find((p) => p.media.id === row.media_id && !claimed.has(p.uid))?.uid ?? null;
    }
    if (orphan !== null) {
      // journaled first: if this delete is lost, the next round sends it again
      await this.journal.advance(row, { removal_uid: orphan });
      await this.deleteFromChannel(orphan, summary);
    }
    const result = await this.refunds.refundRequest(row, REASON);
    if (result.kind === 'refunded') summary.refunded++;
    else if (result.kind === 'no_spend') summary.no_spend++;
    else summary.left++;
  }

  /** A refunded item must not play for free: delete until the playlist no longer has it. */
  private async ensureGone(
    row: SpendRequestEntity,
    present: Set<number>,
    summary: ReconcileSummary,
  ): Promise<void> {
    const uid = row.removal_uid as number;
    if (!present.has(uid)) {
      await this.journal.advance(row, { removal_uid: null });
      summary.removals_confirmed++;
      return;
    }
    await this.deleteFromChannel(uid, summary);
  }

  private async deleteFromChannel(uid: number, summary: ReconcileSummary): Promise<void> {
    await this.apiGate.playlistDelete(uid);
    await this.shadow.remove(uid);
    summary.orphans_deleted++;
  }

  /** uids that belong to someone: a recorded spend, or a shadow item with webqueue metadata. */
  private async claimedUids(): Promise<Set<number>> {
    const claimed = new Set<number>();
    for (const row of await this.journal.all()) {
      if (row.uid !== null && row.state === 'recorded') claimed.add(row.uid);
    }
    for (const item of this.shadow.items()) {
      if (item.is_pay || item.tier !== null || item.is_promo || item.schedule_id !== null) {
        claimed.add(item.uid);
      }
    }
    return claimed;
  }
}
