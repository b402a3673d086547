import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ApiGateClient } from '../kryten/api-gate.client';
import type { SpendRequestEntity } from './entities/spend-request.entity';
import { RefundService } from './refund.service';
import { SpendJournal } from './spend-journal.service';
import { hasSpendDebit, uncertainVerdict } from './spend-settlement.rules';

/** Transactions read per page (the economy's maximum) and pages looked at per check. */
const PAGE = 100;
const MAX_PAGES = 10;

export type SettlementOutcome = 'refunded' | 'no_spend' | 'open';

/**
 * Settles `pending`/`uncertain` spends from the economy's own records: refund when the debit is
 * there, close as never charged at the horizon, otherwise leave it open (the ledger lists it).
 * @throws api-gate errors when the economy can't be read (the row stays as it was).
 */
@Injectable()
export class SpendSettlementService {
  private readonly logger = new Logger('SpendSettlement');

  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly journal: SpendJournal,
    private readonly refunds: RefundService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async settle(row: SpendRequestEntity): Promise<SettlementOutcome> {
    const charged = await this.economyHasDebit(row.username, row.request_id);
    const verdict = uncertainVerdict({
      charged,
      createdAt: row.created_at,
      now: this.clock.now(),
      horizonMs: this.config.uncertain_spend_horizon_minutes * 60_000,
    });
    if (verdict === 'refund') {
      const result = await this.refunds.refundRequest(row, 'spend_uncertain');
      return result.kind === 'refunded' ? 'refunded' : 'open';
    }
    if (verdict === 'close') {
      await this.journal.advance(row, { state: 'failed', error: 'the spend never reached the economy' });
      this.logger.log(`spend ${row.request_id} closed: no charge at the horizon`);
      return 'no_spend';
    }
    if (row.state === 'pending') {
      await this.journal.advance(row, { state: 'uncertain', error: row.error ?? 'spend outcome unknown' });
    }
    return 'open';
  }

  /** Newest first; a spend older than the pages looked at is taken as not there. */
  private async economyHasDebit(username: string, requestId: string): Promise<boolean> {
    for (let page = 0; page < MAX_PAGES; page++) {
      const { transactions } = await this.apiGate.getTransactions(username, PAGE, page * PAGE);
      if (hasSpendDebit(transactions, requestId)) return true;
      if (transactions.length < PAGE) return false;
    }
    return false;
  }
}
