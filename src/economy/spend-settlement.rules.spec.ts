import type { EconomyTransaction } from '../kryten/api-gate.types';
import { hasSpendDebit, uncertainVerdict } from './spend-settlement.rules';

const created = new Date('2026-06-14T12:00:00Z');
const minutes = (n: number): Date => new Date(created.getTime() + n * 60_000);

describe('uncertainVerdict', () => {
  it.each([
    ['charged, early', true, 1, 'refund'],
    ['charged, past the horizon', true, 90, 'refund'],
    ['not charged, early', false, 1, 'wait'],
    ['not charged, just before the horizon', false, 29.9, 'wait'],
    ['not charged, at the horizon', false, 30, 'close'],
    ['not charged, long after', false, 600, 'close'],
  ] as const)('%s → %s', (_name, charged, at, verdict) => {
    expect(uncertainVerdict({ charged, createdAt: created, now: minutes(at), horizonMs: 30 * 60_000 })).toBe(
      verdict,
    );
  });
});

describe('hasSpendDebit', () => {
  const tx = (trigger_id: string | null, amount: number): EconomyTransaction => ({
    id: 1,
    username: 'alice',
    channel: 'c',
    amount,
    type: amount < 0 ? 'spend' : 'refund',
    reason: null,
    trigger_id,
    related_user: null,
    metadata: null,
    created_at: '2026-06-14 12:00:00',
  });

  it.each([
    ['the debit of this spend', [tx('spend.queue.r1', -250)], true],
    ['another spend only', [tx('spend.queue.r2', -250)], false],
    ['only the refund of it', [tx('refund.queue.r1', 250)], false],
    ['a prefix of the id is not a match', [tx('spend.queue.r10', -250)], false],
    ['no trigger ids', [tx(null, -5)], false],
    ['nothing', [], false],
  ] as const)('%s → %s', (_name, txs, found) => {
    expect(hasSpendDebit(txs, 'r1')).toBe(found);
  });
});
