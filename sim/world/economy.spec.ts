import { DEFAULT_ECONOMY_CONFIG, Economy, EconomyEnvelopeError, priceFor, rankIndex } from './economy';
import { cronMatches, withinCronWindow } from './cron';

function setup(config = {}) {
  let now = Date.UTC(2026, 5, 14, 12, 0, 0);
  const economy = new Economy(() => now, config);
  const advanceMin = (minutes: number): void => {
    now += minutes * 60_000;
  };
  return { economy, advanceMin };
}

const spend = (economy: Economy, id: string, duration = 600, username = 'alice') =>
  economy.spend({ username, duration_sec: duration, tier: 'queue', request_id: id });

describe('economy pricing', () => {
  it('picks the first bracket covering the duration, else the last', () => {
    const c = DEFAULT_ECONOMY_CONFIG;
    expect(priceFor(c, 900, 0)).toMatchObject({
      base_cost: 250,
      cost_z: 250,
      tier_label: 'Short / Music Video',
    });
    expect(priceFor(c, 901, 0)).toMatchObject({ base_cost: 500, tier_label: '30-min Episode' });
    expect(priceFor(c, 3900, 0)).toMatchObject({ base_cost: 750 });
    expect(priceFor(c, 3901, 0)).toMatchObject({ base_cost: 1000, tier_label: 'Movie' });
    expect(priceFor(c, 999_999, 0)).toMatchObject({ base_cost: 1000 });
  });

  it('discounts rank index × 0.02, floors, and never goes below 1', () => {
    const c = DEFAULT_ECONOMY_CONFIG;
    expect(rankIndex(c, 40_000)).toBe(4);
    expect(priceFor(c, 600, 40_000)).toMatchObject({ cost_z: 230, discount_pct: 8 });
    expect(priceFor(c, 6000, 5_000_000)).toMatchObject({ cost_z: 820, discount_pct: 18 });
    expect(
      priceFor(
        { ...c, queue_tiers: [{ max_minutes: 999, label: 'x', cost: 1 }], spend_discount_per_rank: 0.5 },
        60,
        5_000,
      ),
    ).toMatchObject({
      cost_z: 1,
    });
  });
});

describe('economy spend and refund', () => {
  it('spends, debits and writes a transaction', () => {
    const { economy } = setup();
    economy.setBalance('alice', 1000);
    expect(spend(economy, 'r1')).toEqual({
      success: true,
      cost_z: 250,
      tier: 'queue',
      tier_label: 'Short / Music Video',
      new_balance: 750,
      request_id: 'r1',
    });
    const txs = economy.listTransactions('alice', 20, 0).transactions as {
      amount: number;
      trigger_id: string;
      created_at: string;
    }[];
    expect(txs[0]).toMatchObject({
      amount: -250,
      trigger_id: 'spend.queue.r1',
      type: 'spend',
      created_at: '2026-06-14 12:00:00',
    });
    expect(txs[1]).toMatchObject({ amount: 1000, type: 'admin_adjust' });
  });

  it('is idempotent on request_id (replay, no second charge, no re-check)', () => {
    const { economy } = setup();
    economy.setBalance('alice', 300);
    spend(economy, 'r1');
    expect(spend(economy, 'r1', 99_999)).toEqual({
      success: true,
      cost_z: 250,
      tier: 'queue',
      request_id: 'r1',
      idempotent_replay: true,
    });
    expect(economy.account('alice')?.balance).toBe(50);
  });

  it('returns business failures as values, in eligibility order', () => {
    const { economy, advanceMin } = setup({ max_queues_per_day: 2 });
    expect(spend(economy, 'x')).toEqual({ success: false, cost_z: 250, error_code: 'insufficient_balance' });
    economy.setBalance('alice', 10_000);
    spend(economy, 'a');
    expect(spend(economy, 'b')).toMatchObject({ success: false, error_code: 'cooldown_active' });
    advanceMin(30);
    expect(spend(economy, 'c')).toMatchObject({ success: true });
    advanceMin(31);
    // daily limit beats cooldown and balance
    economy.setBalance('alice', 0);
    expect(spend(economy, 'd')).toMatchObject({ success: false, error_code: 'daily_limit_reached' });
    economy.blackoutForced = true;
    expect(spend(economy, 'e')).toMatchObject({ success: false, error_code: 'blackout_active' });
  });

  it('previews with cooldown_remaining_sec only during a cooldown', () => {
    const { economy, advanceMin } = setup();
    economy.setBalance('alice', 10_000);
    expect(economy.preview({ username: 'alice', duration_sec: 600 })).toEqual({
      available: true,
      cost_z: 250,
      base_cost: 250,
      tier_label: 'Short / Music Video',
      discount_pct: 0,
      daily_remaining: 3,
      error_code: null,
    });
    spend(economy, 'a');
    advanceMin(10);
    expect(economy.preview({ username: 'alice', duration_sec: 600 })).toMatchObject({
      available: false,
      error_code: 'cooldown_active',
      cooldown_remaining_sec: 1200,
      daily_remaining: 2,
    });
  });

  it('resets the daily count at the UTC date change', () => {
    const { economy, advanceMin } = setup({ max_queues_per_day: 1, queue_cooldown_minutes: 0 });
    economy.setBalance('alice', 10_000);
    spend(economy, 'a');
    expect(spend(economy, 'b')).toMatchObject({ error_code: 'daily_limit_reached' });
    advanceMin(12 * 60);
    expect(spend(economy, 'c')).toMatchObject({ success: true });
  });

  it('refunds in full, once; unknown ids fail; cooldown and daily count stay used (0.8.x)', () => {
    const { economy } = setup();
    economy.setBalance('alice', 1000);
    spend(economy, 'r1');
    expect(economy.refund({ username: 'alice', request_id: 'r1', reason: 'add_failed' })).toEqual({
      success: true,
      refunded: 250,
      new_balance: 1000,
      request_id: 'r1',
    });
    expect(economy.refund({ username: 'alice', request_id: 'r1', reason: 'add_failed' })).toEqual({
      success: true,
      refunded: 250,
      request_id: 'r1',
      idempotent_replay: true,
    });
    expect(economy.account('alice')).toMatchObject({ balance: 1000, lifetime_earned: 250 });
    expect(economy.refund({ username: 'alice', request_id: 'nope', reason: 'x' })).toEqual({
      success: false,
      error: 'unknown_request_id',
    });
    expect(economy.preview({ username: 'alice', duration_sec: 600 })).toMatchObject({
      error_code: 'cooldown_active',
      daily_remaining: 2,
    });
  });

  it('restores the cooldown and daily count on refund when the 0.15.3 switch is on', () => {
    const { economy } = setup({ refund_restores_quota: true });
    economy.setBalance('alice', 1000);
    spend(economy, 'r1');
    economy.refund({ username: 'alice', request_id: 'r1', reason: 'add_failed' });
    expect(economy.preview({ username: 'alice', duration_sec: 600 })).toMatchObject({
      available: true,
      daily_remaining: 3,
    });
  });

  it('rejects envelope-level problems by throwing (the gate answers 502)', () => {
    const { economy } = setup();
    expect(() => economy.spend({ username: 'a', duration_sec: 0, request_id: 'r' })).toThrow(
      new EconomyEnvelopeError('duration_sec must be positive'),
    );
    expect(() => economy.spend({ username: 'a', duration_sec: 10, request_id: ' ' })).toThrow(
      'request_id is required',
    );
    expect(() => economy.preview({ username: 'a', duration_sec: -5 })).toThrow(
      'duration_sec must be positive',
    );
    expect(() => economy.refund({ username: 'a', request_id: 'r' })).toThrow('reason is required');
  });

  it('lists transactions newest first with paging, balance with rank name', () => {
    const { economy, advanceMin } = setup({ queue_cooldown_minutes: 0 });
    economy.setBalance('alice', 1000, 1500);
    spend(economy, 'a');
    advanceMin(1);
    spend(economy, 'b');
    const page = economy.listTransactions('alice', 1, 1).transactions as { trigger_id: string }[];
    expect(page.map((t) => t.trigger_id)).toEqual(['spend.queue.a']);
    expect(economy.balance('alice')).toMatchObject({ found: true, balance: 510, rank_name: 'Grip' });
    expect(economy.balance('nobody')).toEqual({ found: false });
    expect(economy.listTransactions('nobody', 20, 0).transactions).toEqual([]);
  });

  it('applies cron blackout windows', () => {
    const { economy } = setup({
      blackout_windows: [{ name: 'noon', cron: '0 11 * * *', duration_hours: 2 }],
    });
    economy.setBalance('alice', 1000);
    expect(economy.preview({ username: 'alice', duration_sec: 60 })).toMatchObject({
      error_code: 'blackout_active',
      daily_remaining: 3,
    });
    expect(cronMatches('*/15 9-17 * * 1-5', Date.UTC(2026, 5, 15, 9, 45))).toBe(true);
    expect(cronMatches('*/15 9-17 * * 1-5', Date.UTC(2026, 5, 14, 9, 45))).toBe(false);
    expect(withinCronWindow('0 20 * * *', 1, Date.UTC(2026, 5, 14, 21, 30))).toBe(false);
  });
});
