import { Injectable } from '@nestjs/common';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogItemEntity } from '../catalog/entities/catalog-item.entity';
import { DomainException } from '../common/domain-exception';
import { balanceAfter, baseCostOf, discountAmount, eligibilityMessage } from '../economy/pricing.rules';
import { SpendJournal } from '../economy/spend-journal.repository';
import { ApiGateClient } from '../kryten/api-gate.client';
import type { QueuePreview } from '../kryten/api-gate.types';
import {
  BadQueueRequestException,
  NoCostException,
  NoDurationException,
  PayFailedException,
  PayInProgressException,
  PayUnavailableException,
  QueueLockedException,
} from './pay.exception';
import { PayLockService } from './pay-lock.service';
import { PaySagaService, type PaidInsertResult } from './pay-saga.service';
import { QueueMutex } from './queue-mutex';

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
};

/**
 * `POST /queue/add`, `/queue/playnext` and `GET /queue/preview` (BEHAVIOUR.md §3.1): the route
 * checks in order, the double-click guard (client_key), then the saga under the QueueMutex.
 */
@Injectable()
export class PayService {
  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly catalog: CatalogService,
    private readonly journal: SpendJournal,
    private readonly locks: PayLockService,
    private readonly saga: PaySagaService,
    private readonly mutex: QueueMutex,
  ) {}

  async buy(req: PayRequest): Promise<PaidInsertResult> {
    const token = req.friendly_token?.trim() ?? '';
    if (token === '') {
      throw new BadQueueRequestException('friendly_token required', 'friendly_token_required');
    }
    // A second click with the same key returns the first result (never a second spend).
    if (req.client_key && (await this.journal.findByClientKey(req.client_key))) {
      return this.mutex.runExclusive(() => this.replay(req.client_key as string, req.username));
    }
    await this.assertUnlocked();
    const item = await this.catalog.getPayableItem(token);
    const duration = durationOf(item);
    const preview = await this.apiGate.queuePreview({
      username: req.username,
      duration_sec: duration,
      tier: req.tier,
    });
    if (preview.available === false) {
      throw new PayUnavailableException(preview.error_code ?? 'unavailable', unavailableExtra(preview));
    }
    if (typeof preview.cost_z !== 'number') throw new NoCostException();
    return this.mutex.runExclusive(async () => {
      if (req.client_key && (await this.journal.findByClientKey(req.client_key))) {
        return this.replay(req.client_key, req.username);
      }
      await this.assertUnlocked(); // a fire may have started while we waited for the mutex
      return this.saga.run({
        username: req.username,
        item,
        tier: req.tier,
        duration_sec: duration,
        cost_z: preview.cost_z,
        client_key: req.client_key,
      });
    });
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
      this.locks.viewerLock(),
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
    };
  }

  private async assertUnlocked(): Promise<void> {
    const lock = await this.locks.viewerLock();
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
      case 'pending':
      case 'spent':
      case 'added':
      case 'positioned':
        throw new PayInProgressException(row.request_id);
    }
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
