import { Injectable } from '@nestjs/common';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogItemEntity } from '../catalog/entities/catalog-item.entity';
import { DomainException } from '../common/domain-exception';
import { balanceAfter, baseCostOf, discountAmount, eligibilityMessage } from '../economy/pricing.rules';
import { SpendJournal } from '../economy/spend-journal.service';
import { ApiGateClient } from '../kryten/api-gate.client';
import type { QueuePreview } from '../kryten/api-gate.types';
import { AppConfig } from '../config/app-config';
import { DuplicateClientKeyError } from '../economy/spend-journal.service';
import {
  AlreadyQueuedException,
  BadQueueRequestException,
  NoCostException,
  NoDurationException,
  PayFailedException,
  PayInProgressException,
  PayUnavailableException,
  PurchaseStillWorkingException,
  QueueLockedException,
  SpendUncertainException,
} from './pay.exception';
import { SchedulesService } from '../schedules/schedules.service';
import { PaySagaService, type PaidInsertResult } from './pay-saga.service';
import { QueueShadowService } from '../queue/queue-shadow.service';

export interface PayRequest {
  username: string;
  friendly_token: string | undefined;
  tier: string;
  client_key: string | null;
}

export type PreviewView = QueuePreview & {
  friendly_token: string;
  title: string;
  duration_sec: number;
  tier: string;
  base_cost: number;
  discount_amount: number;
  balance: number | null;
  balance_after: number | null;
  /** Ours: why not, in words (receipt modal), and whether a lock would refuse the purchase. */
  message: string;
  locked: boolean;
  lock_message: string | null;
  /** Ours: the title is on the playlist already, so Confirm would be refused (before any charge). */
  already_queued: boolean;
};

/**
 * `POST /queue/add`, `/queue/playnext` and `GET /queue/preview`: the double-click guard
 * (client_key), every check that needs no economy call (lock, item, duration, already on the
 * playlist), the economy's preview, then the saga, answered within the purchase deadline.
 */
@Injectable()
export class PayService {
  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly catalog: CatalogService,
    private readonly journal: SpendJournal,
    private readonly locks: SchedulesService,
    private readonly saga: PaySagaService,
    private readonly shadow: QueueShadowService,
    private readonly config: AppConfig,
  ) {}

  async buy(req: PayRequest): Promise<PaidInsertResult> {
    const token = req.friendly_token?.trim() ?? '';
    if (token === '') {
      throw new BadQueueRequestException('friendly_token required', 'friendly_token_required');
    }
    // A second click with the same key returns the first result (never a second spend).
    if (req.client_key && (await this.journal.findByClientKey(req.client_key))) {
      return this.replay(req.client_key, req.username);
    }
    // Everything that can be checked without the economy, so a refusal costs no cooldown or slot.
    await this.assertUnlocked();
    const item = await this.catalog.getPayableItem(token);
    const duration = durationOf(item);
    if (this.shadow.hasMedia(item.manifest_url)) throw new AlreadyQueuedException();
    const preview = await this.apiGate.queuePreview({
      username: req.username,
      duration_sec: duration,
      tier: req.tier,
    });
    if (preview.available === false) {
      throw new PayUnavailableException(preview.error_code ?? 'unavailable', unavailableExtra(preview));
    }
    if (typeof preview.cost_z !== 'number') throw new NoCostException();
    let requestId: string | null = null;
    const purchase = this.saga.run(
      {
        username: req.username,
        item,
        tier: req.tier,
        duration_sec: duration,
        cost_z: preview.cost_z,
        client_key: req.client_key,
      },
      (id) => (requestId = id),
    );
    try {
      return await withDeadline(purchase, this.config.purchase_deadline_sec * 1000, () => {
        // the saga goes on; its outcome is journaled (and replayable by client_key)
        purchase.catch(() => undefined);
        return new PurchaseStillWorkingException(requestId);
      });
    } catch (err) {
      // The same client_key raced past the first check: the journal's unique key stopped the
      // second row, so answer with the first purchase's outcome.
      if (err instanceof DuplicateClientKeyError && req.client_key) {
        return this.replay(req.client_key, req.username);
      }
      throw err;
    }
  }

  /** The receipt: economy preview + item + display values. Checks no locks (it reports them). */
  async preview(username: string, friendlyToken: string | undefined, tier: string): Promise<PreviewView> {
    const token = friendlyToken?.trim() ?? '';
    if (token === '') {
      throw new BadQueueRequestException('friendly_token required', 'friendly_token_required');
    }
    const item = await this.catalog.getPayableItem(token);
    const duration = durationOf(item);
    const [preview, balance, lock] = await Promise.all([
      this.apiGate.queuePreview({ username, duration_sec: duration, tier }),
      this.apiGate.getBalance(username).catch(() => null),
      this.locks.viewerPayLock(),
    ]);
    if (typeof preview.cost_z !== 'number') throw new NoCostException();
    const balanceValue = balance?.found ? balance.balance : null;
    return {
      ...preview,
      available: preview.available !== false,
      friendly_token: item.friendly_token,
      title: item.title,
      duration_sec: duration,
      tier,
      base_cost: baseCostOf(preview),
      discount_amount: discountAmount(preview),
      balance: balanceValue,
      balance_after: balanceAfter(balanceValue, preview.cost_z),
      message:
        preview.available === false
          ? eligibilityMessage(preview.error_code, preview.cooldown_remaining_sec)
          : '',
      locked: lock.locked,
      lock_message: lock.locked ? lock.message : null,
      already_queued: this.shadow.hasMedia(item.manifest_url),
    };
  }

  private async assertUnlocked(): Promise<void> {
    const lock = await this.locks.viewerPayLock();
    if (lock.locked) throw new QueueLockedException(lock.message, lock.kind);
  }

  /** The first outcome of a purchase with this client_key. */
  private async replay(clientKey: string, username: string): Promise<PaidInsertResult> {
    const row = await this.journal.findByClientKey(clientKey);
    if (!row) throw new BadQueueRequestException('unknown client_key');
    if (row.username !== username) {
      throw new DomainException(409, 'client_key_conflict', 'This client_key was used by someone else');
    }
    switch (row.state) {
      case 'recorded':
        return { success: true, uid: row.uid as number, request_id: row.request_id, replay: true };
      case 'refunded':
        throw new PayFailedException(row.error ?? 'Refunded', row.refund_reason ?? 'refunded', {
          refunded: true,
          request_id: row.request_id,
          replay: true,
        });
      case 'failed':
        throw new PayUnavailableException(row.error ?? 'unavailable', {
          request_id: row.request_id,
          replay: true,
        });
      case 'uncertain':
        throw new SpendUncertainException(false, row.request_id);
      case 'pending':
      case 'spent':
      case 'added':
      case 'positioned':
        throw new PayInProgressException(row.request_id);
    }
  }
}

/**
 * The promise's outcome, or `timeout()` thrown once `ms` have passed (the promise is not
 * cancelled). The timer never keeps the process alive.
 */
async function withDeadline<T>(promise: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whole seconds for the economy; an item without a duration can't be priced. */
function durationOf(item: CatalogItemEntity): number {
  const duration = Math.round(item.duration_sec ?? 0);
  if (duration <= 0) throw new NoDurationException();
  return duration;
}

function unavailableExtra(preview: QueuePreview): Record<string, unknown> {
  return {
    message: eligibilityMessage(preview.error_code, preview.cooldown_remaining_sec),
    ...(preview.cooldown_remaining_sec !== undefined
      ? { cooldown_remaining_sec: preview.cooldown_remaining_sec }
      : {}),
  };
}
