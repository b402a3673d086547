import { computeLedger, ledgerPage, type LedgerRow, type OpenSpendRow, openSpendViews } from './ledger.rules';

const row = (over: Partial<LedgerRow>): LedgerRow => ({
  username: 'alice',
  state: 'recorded',
  z_cost: 100,
  refunded: false,
  refunded_z: null,
  refund_reason: null,
  ...over,
});

describe('ledger rules', () => {
  it('per viewer: purchases, spent, delivered, refunded and open, the same identity per viewer', () => {
    const ledger = computeLedger([
      row({ username: 'alice', z_cost: 500 }),
      row({ username: 'alice', state: 'refunded', refunded: true, refunded_z: 250, z_cost: 250 }),
      row({ username: 'bob', state: 'uncertain', z_cost: 750 }),
      row({ username: 'bob', state: 'spent', z_cost: 1000 }),
      row({ username: 'bob', state: 'failed', z_cost: 100 }),
    ]);
    expect(ledger.per_user).toEqual({
      alice: { purchases: 2, spent: 750, delivered: 500, refunded: 250, in_flight: 0, uncertain: 0 },
      bob: { purchases: 3, spent: 1000, delivered: 0, refunded: 0, in_flight: 1000, uncertain: 750 },
    });
    const page = ledgerPage({ ...ledger, open: [] }, null) as { users: { username: string; open: string }[] };
    expect(page.users.map((u) => [u.username, u.open])).toEqual([
      ['bob', '1,750 Z'],
      ['alice', '0 Z'],
    ]);
  });

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

describe('open spends in words', () => {
  const open = (over: Partial<OpenSpendRow>): OpenSpendRow => ({
    request_id: 'r1',
    username: 'alice',
    title: 'Film',
    state: 'uncertain',
    z_cost: 250,
    created_at: new Date('2026-06-14T12:00:00Z'),
    removal_uid: null,
    ...over,
  });

  it.each([
    [
      'uncertain',
      open({}),
      "The economy never confirmed this charge. If it shows up in the economy's records by 12:30 UTC it is refunded; otherwise it is closed as never charged.",
    ],
    ['pending (a crash mid-spend)', open({ state: 'pending' }), expect.stringContaining('by 12:30 UTC')],
    [
      'spent',
      open({ state: 'spent' }),
      'Paid, not in the queue yet: it is placed, or refunded if it cannot be.',
    ],
    [
      'added',
      open({ state: 'added' }),
      'Paid and added, but its place in the queue was not confirmed: it will be removed and refunded.',
    ],
    ['positioned', open({ state: 'positioned' }), 'Paid and placed: it is being recorded.'],
    [
      'refunded, item still there',
      open({ state: 'refunded', removal_uid: 140 }),
      'Refunded; the item (uid 140) is still being removed from the playlist.',
    ],
  ])('%s', (_name, row, what) => {
    expect(openSpendViews([row], 30 * 60_000)[0].what).toEqual(what);
  });

  it('the page shows totals, reasons by amount and open rows in words', () => {
    const ledger = {
      ...computeLedger([
        row({ state: 'refunded', refunded: true, refunded_z: 100, refund_reason: 'move_failed' }),
        row({ state: 'refunded', refunded: true, refunded_z: 900, z_cost: 900, refund_reason: 'owner_left' }),
        row({ state: 'uncertain', z_cost: 250 }),
      ]),
      open: openSpendViews([open({})], 30 * 60_000),
    };
    const page = ledgerPage(ledger);
    expect(page.balanced).toBe(true);
    expect(page.totals).toContainEqual({ label: 'Charges not confirmed', value: '1 (250 Z)' });
    expect(page.reasons).toEqual([
      { reason: 'The viewer left the channel', count: 1, z: '900 Z' },
      { reason: 'It could not be placed in the queue', count: 1, z: '100 Z' },
    ]);
    expect(page.open).toEqual([
      expect.objectContaining({
        state_text: 'Charge not confirmed',
        z_text: '250 Z',
        when_text: '2026-06-14 12:00 UTC',
      }),
    ]);
  });
});
