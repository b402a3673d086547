import type { EconomyTransaction } from '../kryten/api-gate.types';

/**
 * Settling a spend whose call never got a usable answer. kryten-economy debits a queue spend
 * with `trigger_id` `spend.queue.<request_id>`, and may do so after api-gate has already answered
 * a plain 500 (its NATS wait is 5 s; the economy finishes the work anyway). So:
 * - the debit is in the economy's transactions → refund it (by the same request_id);
 * - not there yet, and the horizon has not passed → wait and look again;
 * - not there at the horizon → close the row: nothing was charged.
 */
export type UncertainVerdict = 'refund' | 'close' | 'wait';

export function uncertainVerdict(input: {
  charged: boolean;
  createdAt: Date;
  now: Date;
  horizonMs: number;
}): UncertainVerdict {
  if (input.charged) return 'refund';
  return input.now.getTime() - input.createdAt.getTime() >= input.horizonMs ? 'close' : 'wait';
}

export function spendTriggerId(requestId: string): string {
  return `spend.queue.${requestId}`;
}

/** Whether a page of transactions holds the debit of this spend. */
export function hasSpendDebit(transactions: readonly EconomyTransaction[], requestId: string): boolean {
  const trigger = spendTriggerId(requestId);
  return transactions.some((tx) => tx.trigger_id === trigger && tx.amount < 0);
}
