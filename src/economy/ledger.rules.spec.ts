import { computeLedger, type LedgerRow } from './ledger.rules';

const row = (over: Partial<LedgerRow>): LedgerRow => ({
  state: 'recorded',
  z_cost: 100,
  refunded: false,
  refunded_z: null,
  refund_reason: null,
  ...over,
});

describe('ledger rules', () => {
  it('balances spent against refunded + delivered + in flight', () => {
    const ledger = computeLedger([
      row({}),
      row({ state: 'refunded', refunded: true, refunded_z: 250, z_cost: 250, refund_reason: 'admin_clear' }),
      row({ state: 'refunded', refunded: true, refunded_z: null, z_cost: 50, refund_reason: 'admin_clear' }),
      row({ state: 'added', z_cost: 70 }),
      row({ state: 'pending', z_cost: 30 }),
      row({ state: 'failed', z_cost: 500 }),
    ]);
    expect(ledger).toMatchObject({
      spent: 470,
      refunded: 300,
      delivered: 100,
      in_flight: 70,
      uncertain: { count: 1, z: 30 },
      failed: { count: 1, z: 500 },
      balanced: true,
      discrepancy: 0,
    });
    expect(ledger.per_reason.admin_clear).toEqual({ count: 2, z: 300 });
    expect(ledger.per_state.refunded).toEqual({ count: 2, z: 300 });
  });

  it('reports a discrepancy when a refund differs from the spend', () => {
    const ledger = computeLedger([row({ state: 'refunded', refunded: true, refunded_z: 90, z_cost: 100 })]);
    expect(ledger.balanced).toBe(false);
    expect(ledger.discrepancy).toBe(10);
  });
});
