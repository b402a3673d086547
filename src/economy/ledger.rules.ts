import type { SpendState } from './entities/spend-request.entity';
import { formatZ, adminRefundReasonText } from './pricing.rules';

/**
 * The money report (admin ledger): every Z spent is refunded, delivered (recorded), or still in
 * flight in an unfinished saga. The identity `spent = refunded + delivered + in_flight` must hold.
 */

export interface LedgerRow {
  username: string;
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
  /** `pending`/`uncertain` rows: the spend may or may not have happened (settled by the reconciler). */
  uncertain: LedgerBucket;
  /** Spends the economy refused (never charged). */
  failed: LedgerBucket;
  per_reason: Record<string, LedgerBucket>;
  per_state: Record<string, LedgerBucket>;
  /** Per viewer: what they spent and where it went (the same identity holds per viewer). */
  per_user: Record<string, UserTotals>;
  balanced: boolean;
  discrepancy: number;
}

export interface UserTotals {
  purchases: number;
  spent: number;
  delivered: number;
  refunded: number;
  in_flight: number;
  /** Charges not confirmed yet. */
  uncertain: number;
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
    per_user: {},
    balanced: true,
    discrepancy: 0,
  };
  for (const row of rows) {
    const z = row.z_cost ?? 0;
    add(ledger.per_state, row.state, z);
    const user = (ledger.per_user[row.username] ??= {
      purchases: 0,
      spent: 0,
      delivered: 0,
      refunded: 0,
      in_flight: 0,
      uncertain: 0,
    });
    user.purchases++;
    if (row.state === 'pending' || row.state === 'uncertain') {
      ledger.uncertain.count++;
      ledger.uncertain.z += z;
      user.uncertain += z;
      continue;
    }
    if (row.state === 'failed') {
      ledger.failed.count++;
      ledger.failed.z += z;
      continue;
    }
    ledger.spent += z;
    user.spent += z;
    if (row.state === 'refunded' || row.refunded) {
      const back = row.refunded_z ?? z;
      ledger.refunded += back;
      user.refunded += back;
      add(ledger.per_reason, row.refund_reason ?? 'unknown', back);
    } else if (row.state === 'recorded') {
      ledger.delivered += z;
      user.delivered += z;
    } else if (IN_FLIGHT.has(row.state)) {
      ledger.in_flight += z;
      user.in_flight += z;
    }
  }
  ledger.discrepancy = ledger.spent - (ledger.refunded + ledger.delivered + ledger.in_flight);
  ledger.balanced = ledger.discrepancy === 0;
  return ledger;
}

/** A spend that is not settled yet, as the ledger page lists it. */
export interface OpenSpendRow {
  request_id: string;
  username: string;
  title: string | null;
  state: SpendState;
  z_cost: number | null;
  created_at: Date;
  removal_uid: number | null;
}

export interface OpenSpendView {
  request_id: string;
  username: string;
  title: string | null;
  state: SpendState;
  z_cost: number | null;
  created_at: string;
  /** What is going on, in words. */
  what: string;
}

/** The open items of the journal in words, oldest first; `horizonMs` is how long a charge is looked for. */
export function openSpendViews(rows: readonly OpenSpendRow[], horizonMs: number): OpenSpendView[] {
  return rows.map((row) => ({
    request_id: row.request_id,
    username: row.username,
    title: row.title,
    state: row.state,
    z_cost: row.z_cost,
    created_at: row.created_at.toISOString(),
    what: openSpendText(row, horizonMs),
  }));
}

function openSpendText(row: OpenSpendRow, horizonMs: number): string {
  switch (row.state) {
    case 'pending':
    case 'uncertain': {
      const until = new Date(row.created_at.getTime() + horizonMs).toISOString().slice(11, 16);
      return `The economy never confirmed this charge. If it shows up in the economy's records by ${until} UTC it is refunded; otherwise it is closed as never charged.`;
    }
    case 'spent':
      return 'Paid, not in the queue yet: it is placed, or refunded if it cannot be.';
    case 'added':
      return 'Paid and added, but its place in the queue was not confirmed: it will be removed and refunded.';
    case 'positioned':
      return 'Paid and placed: it is being recorded.';
    case 'recorded':
    case 'refunded':
    case 'failed':
      return row.removal_uid !== null
        ? `Refunded; the item (uid ${row.removal_uid}) is still being removed from the playlist.`
        : 'Settled.';
  }
}

const STATE_WORDS: Record<SpendState, string> = {
  pending: 'Charge not confirmed',
  uncertain: 'Charge not confirmed',
  spent: 'Paid, being placed',
  added: 'Paid, placement not confirmed',
  positioned: 'Paid and placed',
  recorded: 'Delivered',
  refunded: 'Refunded, still being removed',
  failed: 'Never charged',
};

/** The ledger for the admin page: totals, refunds by reason and what is still open, all in words. */
export function ledgerPage(
  ledger: Ledger & { open: OpenSpendView[] },
  viewer: string | null = null,
): Record<string, unknown> {
  return {
    viewer,
    users: Object.entries(ledger.per_user)
      .sort((a, b) => b[1].spent - a[1].spent || a[0].localeCompare(b[0]))
      .map(([username, t]) => ({
        username,
        href: `/admin/economy/ledger/page?user=${encodeURIComponent(username)}`,
        purchases: t.purchases,
        spent: formatZ(t.spent),
        delivered: formatZ(t.delivered),
        refunded: formatZ(t.refunded),
        open: formatZ(t.in_flight + t.uncertain),
      })),
    balanced: ledger.balanced,
    discrepancy_text: formatZ(Math.abs(ledger.discrepancy)),
    totals: [
      { label: 'Spent by viewers', value: formatZ(ledger.spent) },
      { label: 'Delivered (queued items)', value: formatZ(ledger.delivered) },
      { label: 'Refunded', value: formatZ(ledger.refunded) },
      { label: 'In flight (being placed)', value: formatZ(ledger.in_flight) },
      { label: 'Charges not confirmed', value: `${ledger.uncertain.count} (${formatZ(ledger.uncertain.z)})` },
      { label: 'Refused by the economy (never charged)', value: String(ledger.failed.count) },
    ],
    reasons: Object.entries(ledger.per_reason)
      .sort((a, b) => b[1].z - a[1].z)
      .map(([reason, bucket]) => ({
        reason: adminRefundReasonText(reason),
        count: bucket.count,
        z: formatZ(bucket.z),
      })),
    open: ledger.open.map((row) => ({
      ...row,
      state_text: STATE_WORDS[row.state],
      when_text: `${row.created_at.slice(0, 10)} ${row.created_at.slice(11, 16)} UTC`,
      z_text: row.z_cost === null ? '—' : formatZ(row.z_cost),
    })),
  };
}
