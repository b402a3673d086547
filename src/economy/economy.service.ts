import { Injectable } from '@nestjs/common';
import { ApiGateClient } from '../kryten/api-gate.client';
import type { BalanceResult, TransactionsPage } from '../kryten/api-gate.types';
import { AppConfig } from '../config/app-config';
import { computeLedger, type Ledger, type OpenSpendView, openSpendViews } from './ledger.rules';
import { formatZ, refundReasonText, transactionReasonText, signedZ, transactionLabel } from './pricing.rules';
import { QueueHistory } from './queue-history.service';
import { SpendJournal } from './spend-journal.service';

export interface HistoryItemView {
  id: number;
  title: string | null;
  friendly_token: string | null;
  tier: string;
  z_cost: number;
  queued_at: string;
  status: string;
  refund_reason: string | null;
  refund_reason_text: string;
  uid: number | null;
}

/** The viewer's money views and the admin ledger. */
@Injectable()
export class EconomyService {
  constructor(
    private readonly apiGate: ApiGateClient,
    private readonly journal: SpendJournal,
    private readonly history: QueueHistory,
    private readonly config: AppConfig,
  ) {}

  /** api-gate passthrough; an outage throws UpstreamUnavailableError (503). */
  balance(username: string): Promise<BalanceResult> {
    return this.apiGate.getBalance(username);
  }

  transactions(username: string, limit: number, offset: number): Promise<TransactionsPage> {
    return this.apiGate.getTransactions(username, limit, offset);
  }

  async historyPage(
    username: string,
    limit: number,
    offset: number,
  ): Promise<{ items: HistoryItemView[]; total: number; limit: number; offset: number }> {
    const { items, total } = await this.history.page(username, limit, offset);
    return {
      items: items.map((h) => ({
        id: h.id,
        title: h.title,
        friendly_token: h.friendly_token,
        tier: h.tier,
        z_cost: h.z_cost,
        queued_at: h.queued_at.toISOString(),
        status: h.status,
        refund_reason: h.refund_reason,
        refund_reason_text: refundReasonText(h.refund_reason),
        uid: h.uid,
      })),
      total,
      limit,
      offset,
    };
  }

  /** The ledger of every viewer, or of one (`username`). */
  async ledger(username?: string): Promise<Ledger & { open: OpenSpendView[] }> {
    const [rows, open] = await Promise.all([this.journal.ledgerRows(username), this.journal.findOpen()]);
    return {
      ...computeLedger(rows),
      open: openSpendViews(
        username ? open.filter((r) => r.username === username) : open,
        this.config.uncertain_spend_horizon_minutes * 60_000,
      ),
    };
  }

  /** Everything the dashboard page shows; upstream failures degrade to "unavailable" notes. */
  async dashboard(username: string): Promise<Record<string, unknown>> {
    const [balance, txs, history] = await Promise.all([
      this.balance(username).catch(() => null),
      this.transactions(username, 20, 0).catch(() => null),
      this.historyPage(username, 20, 0),
    ]);
    return {
      balance_found: balance?.found === true,
      balance_text: balance?.found ? formatZ(balance.balance) : null,
      economy_rank: balance?.found ? balance.rank_name : null,
      balance_unavailable: balance === null,
      history: history.items.map((h) => ({
        ...h,
        cost_text: formatZ(h.z_cost),
        status_label: h.status.charAt(0).toUpperCase() + h.status.slice(1),
      })),
      history_total: history.total,
      transactions_unavailable: txs === null,
      transactions: (txs?.transactions ?? []).map((tx) => ({
        label: transactionLabel(tx),
        reason: transactionReasonText(tx.reason),
        amount_text: signedZ(tx.amount),
        kind: tx.amount >= 0 ? 'credit' : 'debit',
        created_at: tx.created_at.includes('T') ? tx.created_at : `${tx.created_at.replace(' ', 'T')}Z`,
      })),
    };
  }
}
