import type { SpendState } from './entities/spend-request.entity';

/**
 * The money report (admin ledger): every Z spent is refunded, delivered (recorded), or still in
 * flight in an unfinished saga. The identity `spent = refunded + delivered + in_flight` must hold.
 */

export interface LedgerRow {
  state: SpendState;
  z_cost: number | null;
  refunded: boolean;
  refunded_z: number | null;
  refund_reason: string | null;
}

export interface LedgerBucket {
  count: number;
  z: number;
}

export interface Ledger {
  spent: number;
  refunded: number;
  delivered: number;
  in_flight: number;
  /** `pending` rows: the spend may or may not have happened (resolved at start-up). */
  uncertain: LedgerBucket;
  /** Spends the economy refused (never charged). */
  failed: LedgerBucket;
  per_reason: Record<string, LedgerBucket>;
  per_state: Record<string, LedgerBucket>;
  balanced: boolean;
  discrepancy: number;
}

const IN_FLIGHT: ReadonlySet<SpendState> = new Set(['spent', 'added', 'positioned']);

function add(map: Record<string, LedgerBucket>, key: string, z: number): void {
  const b = (map[key] ??= { count: 0, z: 0 });
  b.count++;
  b.z += z;
}

export function computeLedger(rows: readonly LedgerRow[]): Ledger {
  const ledger: Ledger = {
    spent: 0,
    refunded: 0,
    delivered: 0,
    in_flight: 0,
    uncertain: { count: 0, z: 0 },
    failed: { count: 0, z: 0 },
    per_reason: {},
    per_state: {},
    balanced: true,
    discrepancy: 0,
  };
  for (const row of rows) {
    const z = row.z_cost ?? 0;
    add(ledger.per_state, row.state, z);
    if (row.state === 'pending') {
      ledger.uncertain.count++;
      ledger.uncertain.z += z;
      continue;
    }
    if (row.state === 'failed') {
      ledger.failed.count++;
      ledger.failed.z += z;
      continue;
    }
    ledger.spent += z;
    if (row.state === 'refunded' || row.refunded) {
      const back = row.refunded_z ?? z;
      ledger.refunded += back;
      add(ledger.per_reason, row.refund_reason ?? 'unknown', back);
    } else if (row.state === 'recorded') {
      ledger.delivered += z;
    } else if (IN_FLIGHT.has(row.state)) {
      ledger.in_flight += z;
    }
  }
  ledger.discrepancy = ledger.spent - (ledger.refunded + ledger.delivered + ledger.in_flight);
  ledger.balanced = ledger.discrepancy === 0;
  return ledger;
}
