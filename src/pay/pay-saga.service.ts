import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainException } from '../common/domain-exception';
import { RandomSource } from '../common/random';
import type { CatalogItemEntity } from '../catalog/entities/catalog-item.entity';
import type { SpendRequestEntity } from '../economy/entities/spend-request.entity';
import { QueueHistory } from '../economy/queue-history.service';
import { RefundService } from '../economy/refund.service';
import { SpendJournal } from '../economy/spend-journal.service';
import { ApiGateClient } from '../kryten/api-gate.client';
import type { QueueSpendResult } from '../kryten/api-gate.types';
import { LiveEvent, type PaidInsertRecordedEvent, type SagaStepEvent } from '../live/live.events';
import { announcementText } from './announcement.rules';
import { chooseAnchor, noAnchorMessage, playOffset } from '../queue/ordering.rules';
import {
  PayFailedException,
  PayUnavailableException,
  QueueLockedException,
  SpendUncertainException,
} from './pay.exception';
import { SchedulesService } from '../schedules/schedules.service';
import { SagaHooks, SagaInterrupted } from './pay-saga.hooks';
import { type PlaceOutcome, QueueInsertService, type StartedPlacement } from '../queue/queue-insert.service';
import type { ShadowItemMetadata } from '../queue/queue-shadow.types';
import { QueueMutex } from '../queue/queue-mutex';
import { QueueShadowService } from '../queue/queue-shadow.service';

export interface PaidInsertRequest {
  username: string;
  item: CatalogItemEntity;
  tier: string;
  duration_sec: number;
  /** The preview's price (the spend's own cost_z replaces it once known). */
  cost_z: number;
  client_key: string | null;
}

export interface PaidInsertResult {
  success: true;
  uid: number;
  request_id: string;
  replay?: boolean;
}

/** A saga's place in the arrival order. */
interface Turn {
  wait: Promise<void>;
  pass: () => void;
}

/** Where a delivered item ended up (for the announcement). */
interface Delivered {
  uid: number;
  uids: number[];
  nowPlayingUid: number | null;
}

/** A paid item that was just recorded (the saga still holds the QueueMutex). */
export type RecordedPaidInsert = PaidInsertRecordedEvent;

/**
 * The pay-to-play insert as a journaled saga in `spend_requests`: the row is written BEFORE the
 * spend and advanced after every step
 *   pending → spent → added → positioned → recorded
 * and every failure after a successful spend is compensated (refund with its reason, and the
 * item we added must leave the channel). A spend call without a usable answer becomes
 * `uncertain`: the economy may still apply it, so the reconciler settles it from the economy's
 * transactions. A crash anywhere leaves a row the reconciler can settle.
 *
 * Only positioning holds the QueueMutex (read the order, add, move, confirm, record): the spend
 * runs outside it, so a slow economy never makes buyers queue behind each other.
 */
@Injectable()
export class PaySagaService {
  private readonly logger = new Logger('PaySaga');
  /** request_ids of sagas running in this process: the reconciler leaves them alone. */
  private readonly running = new Set<string>();
  /**
   * First come, first served: spends run side by side, but each saga queues at the QueueMutex
   * only after the saga that arrived before it has (or has given up), so items are placed in the
   * order the viewers bought them.
   */
  private turnTail: Promise<void> = Promise.resolve();

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly journal: SpendJournal,
    private readonly history: QueueHistory,
    private readonly refunds: RefundService,
    private readonly shadow: QueueShadowService,
    private readonly insert: QueueInsertService,
    private readonly hooks: SagaHooks,
    private readonly random: RandomSource,
    private readonly events: EventEmitter2,
    private readonly locks: SchedulesService,
    private readonly mutex: QueueMutex,
  ) {}

  /** Whether this process is still working on the saga (its row must not be reconciled). */
  isRunning(requestId: string): boolean {
    return this.running.has(requestId);
  }

  /** `started` learns the request_id before anything is journaled (the purchase deadline needs it). */
  async run(req: PaidInsertRequest, started?: (requestId: string) => void): Promise<PaidInsertResult> {
    const turn = this.takeTurn();
    const requestId = this.random.uuid();
    started?.(requestId);
    this.running.add(requestId);
    try {
      return await this.runSteps(requestId, req, turn);
    } finally {
      turn.pass();
      this.running.delete(requestId);
    }
  }

  private takeTurn(): Turn {
    const wait = this.turnTail;
    let pass!: () => void;
    this.turnTail = new Promise<void>((resolve) => (pass = resolve));
    return { wait, pass };
  }

  private async runSteps(requestId: string, req: PaidInsertRequest, turn: Turn): Promise<PaidInsertResult> {
    const row = await this.journal.create({
      request_id: requestId,
      username: req.username,
      friendly_token: req.item.friendly_token,
      tier: req.tier,
      z_cost: req.cost_z,
      client_key: req.client_key,
      title: req.item.title,
      media_type: 'cm',
      media_id: req.item.manifest_url,
      duration_sec: req.duration_sec,
    });
    this.step(row);
    await this.hooks.after('pending', row);

    let spend: QueueSpendResult;
    try {
      spend = await this.apiGate.queueSpend({
        username: req.username,
        duration_sec: req.duration_sec,
        tier: req.tier,
        request_id: row.request_id,
      });
    } catch (err) {
      if (err instanceof SagaInterrupted) throw err;
      return this.settleUncertainSpend(row, err as Error);
    }
    await this.hooks.after('spend_returned', row);
    if (!spend.success) {
      // A 200 with success:false is a business refusal: nothing was charged.
      const code = spend.error_code ?? 'spend_failed';
      await this.journal.advance(row, { state: 'failed', error: code });
      this.step(row);
      throw new PayUnavailableException(code, { request_id: row.request_id });
    }
    await this.journal.advance(row, { state: 'spent', z_cost: spend.cost_z ?? req.cost_z });
    this.step(row);
    await this.hooks.after('spent', row);

    let delivered: Delivered;
    try {
      await turn.wait;
      if (this.insert.confirmsOutsideMutex()) {
        const staging = this.mutex.runExclusive(() => this.stage(row, req));
        turn.pass(); // queued at the mutex: the next buyer may queue behind us
        delivered = await this.finish(row, await staging);
      } else {
        const delivering = this.mutex.runExclusive(async () => {
          const started = await this.stage(row, req);
          return this.finishLocked(row, started, await this.insert.confirmPlacement(started));
        });
        turn.pass();
        delivered = await delivering;
      }
    } catch (err) {
      if (err instanceof SagaInterrupted || err instanceof DomainException) throw err;
      this.logger.error(`saga ${row.request_id} failed unexpectedly: ${(err as Error).message}`);
      return this.mutex.runExclusive(() => this.fail(row, 'internal_error', 'Queue insert failed', row.uid));
    }
    await this.announce(row, delivered.uids, delivered.nowPlayingUid);
    return { success: true, uid: delivered.uid, request_id: row.request_id };
  }

  /**
   * Steps after the money moved, under the QueueMutex: lock check (a fire may have started while
   * the spend ran), plan, add, send the move, and hold the item in the shadow where it goes, so
   * the next buyer's plan sees it. Its confirmation waits outside the mutex (`finish`).
   */
  private async stage(
    row: SpendRequestEntity,
    req: PaidInsertRequest,
  ): Promise<StartedPlacement & { ok: true }> {
    const lock = await this.locks.viewerPayLock();
    if (lock.locked) {
      return this.fail(row, 'queue_locked', lock.message, null, true, (detail, extra) => {
        return new QueueLockedException(detail, lock.kind, extra);
      });
    }
    const mode = req.tier === 'playnext' ? 'playnext' : 'queue';
    const plan = await this.insert.plan();
    const anchor = chooseAnchor(plan.entries, plan.nowPlayingUid, mode);
    if (!anchor.ok) return this.fail(row, 'no_now_playing', noAnchorMessage(mode, false), null, true);

    const before = new Set(plan.entries.map((e) => e.uid));
    const added = await this.insert.add('cm', req.item.manifest_url, before);
    await this.hooks.after('add_returned', row);
    if (!added.ok) return this.fail(row, added.reason, added.error, null);
    await this.journal.advance(row, { state: 'added', uid: added.uid });
    this.step(row);
    await this.hooks.after('added', row);

    const started = await this.insert.startPlacement(added.uid, anchor.anchor_uid, [
      ...plan.entries.map((e) => e.uid),
      added.uid,
    ]);
    if (!started.ok) return this.fail(row, 'move_failed', started.error, added.uid);
    await this.shadow.upsertAfter(anchor.anchor_uid, added.uid, paidMetadata(row));
    return started;
  }

  /**
   * Confirm the placement (outside the mutex: a read shared with the other buyers waiting), then
   * take the mutex again for the last step, ahead of the next buyer's `stage`.
   */
  private async finish(
    row: SpendRequestEntity,
    started: StartedPlacement & { ok: true },
  ): Promise<Delivered> {
    const placed = await this.insert.confirmPlacement(started);
    return this.mutex.runExclusive(() => this.finishLocked(row, started, placed), FINISHING);
  }

  /** Under the QueueMutex: positioned, record, the paid-insert listeners — or the compensation. */
  private async finishLocked(
    row: SpendRequestEntity,
    started: StartedPlacement & { ok: true },
    placed: PlaceOutcome,
  ): Promise<Delivered> {
    if (!placed.ok) {
      if (placed.vanished) await this.shadow.remove(started.uid);
      return this.fail(row, 'move_failed', placed.error, placed.vanished ? null : started.uid);
    }
    await this.journal.advance(row, { state: 'positioned' });
    this.step(row);
    await this.hooks.after('positioned', row);

    await this.record(row, started.anchorUid);
    await this.hooks.after('recorded', row);
    await this.notifyPaidInsert({ uid: started.uid, request_id: row.request_id, username: row.username });
    return { uid: started.uid, uids: placed.uids, nowPlayingUid: placed.nowPlayingUid };
  }

  /**
   * Make a positioned item official: shadow (paid metadata), history, journal `recorded`.
   * Idempotent, so the reconciler can finish a saga that stopped half-way through this.
   */
  async record(row: SpendRequestEntity, anchorUid: number | null): Promise<void> {
    const uid = row.uid as number;
    await this.shadow.upsertAfter(anchorUid, uid, paidMetadata(row));
    await this.history.insertOnce({
      username: row.username,
      friendly_token: row.friendly_token,
      title: row.title,
      tier: row.tier,
      z_cost: row.z_cost ?? 0,
      request_id: row.request_id,
      uid,
    });
    await this.journal.advance(row, { state: 'recorded', error: null });
    this.step(row);
  }

  /** `LiveEvent.PaidInsertRecorded`, awaited under the mutex; a failing listener never fails the purchase. */
  private async notifyPaidInsert(paid: RecordedPaidInsert): Promise<void> {
    try {
      await this.events.emitAsync(LiveEvent.PaidInsertRecorded, paid);
    } catch (err) {
      this.logger.error(`paid-insert work failed for uid ${paid.uid}: ${(err as Error).message}`);
    }
  }

  /** The chat line (§3.6); a failure is only logged. */
  private async announce(
    row: SpendRequestEntity,
    uids: number[],
    nowPlayingUid: number | null,
  ): Promise<void> {
    const text = announcementText(
      row.title ?? 'Something',
      row.username,
      playOffset(uids, nowPlayingUid, row.uid as number),
    );
    if (!text) return;
    try {
      await this.apiGate.sendChat(text);
    } catch (err) {
      this.logger.warn(`announcement failed: ${(err as Error).message}`);
    }
  }

  /**
   * Compensate a failure after the spend: refund with `reason`, make the item we added (if any)
   * leave the channel, and answer 400. The uid is journaled as `removal_uid` before the delete,
   * so a delete that fails or is silently dropped is retried by the reconciler until a read-back
   * shows the item gone. If the refund can't be made now, the row stays unfinished and the
   * reconciler refunds it later — the Z is never lost.
   */
  private async fail(
    row: SpendRequestEntity,
    reason: string,
    error: string,
    orphanUid: number | null,
    sayRefunded = false,
    exception: (detail: string, extra: Record<string, unknown>) => Error = (detail, extra) =>
      new PayFailedException(detail, reason, extra),
  ): Promise<never> {
    await this.journal.advance(row, { error, ...(orphanUid !== null ? { removal_uid: orphanUid } : {}) });
    if (orphanUid !== null) {
      await this.insert.deleteQuietly(orphanUid);
      await this.shadow.remove(orphanUid);
    }
    let refunded = false;
    try {
      refunded = (await this.refunds.refundRequest(row, reason)).kind === 'refunded';
    } catch (err) {
      this.logger.warn(
        `refund ${reason} for ${row.request_id} failed, left for the reconciler: ${(err as Error).message}`,
      );
    }
    this.step(row, error);
    const detail = !refunded ? `${error}; refund pending` : sayRefunded ? `${error}; refunded` : error;
    throw exception(detail, { refunded, charged: true, request_id: row.request_id });
  }

  /**
   * The spend call got no usable answer (a plain 500 after the economy's 5 s timeout, a dropped
   * connection): it may have charged, or may still charge a moment later. Never replay it. Ask
   * the economy to refund the same request_id at once (idempotent): `refunded` settles it; anything
   * else leaves the row `uncertain` for the reconciler, which looks for the spend in the economy's
   * transactions until the horizon.
   */
  private async settleUncertainSpend(row: SpendRequestEntity, cause: Error): Promise<never> {
    this.logger.warn(`spend ${row.request_id} uncertain: ${cause.message}`);
    let refunded = false;
    try {
      refunded = (await this.refunds.refundRequest(row, 'spend_uncertain')).kind === 'refunded';
    } catch (err) {
      this.logger.warn(`refund probe for ${row.request_id} failed too: ${(err as Error).message}`);
    }
    if (!refunded) {
      await this.journal.advance(row, { state: 'uncertain', error: `spend uncertain: ${cause.message}` });
    }
    this.step(row, cause.message);
    throw new SpendUncertainException(refunded, row.request_id);
  }

  private step(row: SpendRequestEntity, error?: string): void {
    this.events.emit(LiveEvent.SagaStep, {
      request_id: row.request_id,
      username: row.username,
      state: row.state,
      z_cost: row.z_cost,
      uid: row.uid,
      title: row.title,
      error: error ?? row.error,
    } satisfies SagaStepEvent);
  }
}

/** Queue-mutex priority of a purchase's last step: it goes before the next buyer's placing. */
const FINISHING = 1;

/** What the shadow holds about a paid item. */
function paidMetadata(row: SpendRequestEntity): ShadowItemMetadata {
  return {
    media_type: row.media_type ?? 'cm',
    media_id: row.media_id ?? '',
    title: row.title,
    friendly_token: row.friendly_token,
    duration_sec: row.duration_sec,
    is_pay: true,
    paid_by: row.username,
    tier: row.tier,
    z_cost: row.z_cost,
    request_id: row.request_id,
  };
}
