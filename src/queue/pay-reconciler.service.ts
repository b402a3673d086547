import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { SpendRequestEntity } from '../economy/entities/spend-request.entity';
import { RefundService } from '../economy/refund.service';
import { SpendJournal } from '../economy/spend-journal.repository';
import { ApiGateClient } from '../kryten/api-gate.client';
import type { PlaylistItem } from '../kryten/api-gate.types';
import { PaySagaService } from './pay-saga.service';
import { QueueMutex } from './queue-mutex';
import { QueueShadowService } from './queue-shadow.service';

export interface ReconcileSummary {
  examined: number;
  recorded: number;
  refunded: number;
  no_spend: number;
  orphans_deleted: number;
  left: number;
  error?: string;
}

const REASON = 'saga_interrupted';

/**
 * Settles pay-to-play sagas that did not finish (a crash, or a refund the economy could not take
 * at the time), against the live playlist:
 * - `pending`: the spend may or may not have happened. Never replay it (that would spend);
 *   refund the same request_id instead — `unknown_request_id` means nothing was charged.
 * - `spent`: no uid journaled. If the add happened anyway, the only unclaimed playlist entry
 *   with our media id is ours (CyTube refuses duplicates): delete it. Refund.
 * - `added`: never confirmed in place: delete it if present, refund.
 * - `positioned`: confirmed in place: if still in the playlist, record it (it plays as bought);
 *   if gone, refund.
 * Runs at start-up and every minute, always under the QueueMutex (so never beside a live saga).
 */
@Injectable()
export class PayReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger('PayReconciler');

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly journal: SpendJournal,
    private readonly refunds: RefundService,
    private readonly saga: PaySagaService,
    private readonly shadow: QueueShadowService,
    private readonly mutex: QueueMutex,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const summary = await this.tick();
    if (summary.examined > 0) this.logger.log(`start-up reconcile: ${JSON.stringify(summary)}`);
  }

  @Interval(60_000)
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
      orphans_deleted: 0,
      left: 0,
    };
    const rows = await this.journal.findUnfinished();
    summary.examined = rows.length;
    if (rows.length === 0) return summary;
    let playlist: PlaylistItem[];
    try {
      playlist = await this.apiGate.getPlaylist();
    } catch (err) {
      summary.left = rows.length;
      summary.error = (err as Error).message;
      this.logger.warn(`reconcile postponed, playlist unavailable: ${summary.error}`);
      return summary;
    }
    const claimed = await this.claimedUids();
    for (const row of rows) {
      try {
        await this.settle(row, playlist, claimed, summary);
      } catch (err) {
        summary.left++;
        this.logger.error(`reconcile of ${row.request_id} (${row.state}) failed: ${(err as Error).message}`);
      }
    }
    return summary;
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
      await this.apiGate.playlistDelete(orphan);
      await this.shadow.remove(orphan);
      summary.orphans_deleted++;
    }
    const result = await this.refunds.refundRequest(row, REASON);
    if (result.kind === 'refunded') summary.refunded++;
    else if (result.kind === 'no_spend') summary.no_spend++;
    else summary.left++;
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
