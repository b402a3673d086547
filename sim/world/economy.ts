import { sqlTimestamp, utcDate } from './clock';
import { withinCronWindow } from './cron';

/**
 * kryten-economy's queue spending rules, 0.8.13.
 * Business failures are returned as values; envelope failures throw EconomyEnvelopeError,
 * which the gate turns into 502 `{detail}`.
 */

export interface QueueTier {
  max_minutes: number;
  label: string;
  cost: number;
}

export interface EconomyRank {
  name: string;
  min_lifetime_earned: number;
}

export interface BlackoutWindow {
  name: string;
  cron: string;
  duration_hours: number;
}

export interface EconomyConfig {
  channel: string;
  queue_tiers: QueueTier[];
  spend_discount_per_rank: number;
  ranks: EconomyRank[];
  max_queues_per_day: number;
  queue_cooldown_minutes: number;
  blackout_windows: BlackoutWindow[];
  /** 0.15.3 behaviour: a refund gives back the daily slot and the cooldown. Default off (0.8.x). */
  refund_restores_quota: boolean;
}

export const DEFAULT_ECONOMY_CONFIG: EconomyConfig = {
  channel: 'simchannel',
  queue_tiers: [
    { max_minutes: 15, label: 'Short / Music Video', cost: 250 },
    { max_minutes: 35, label: '30-min Episode', cost: 500 },
    { max_minutes: 65, label: '60-min Episode', cost: 750 },
    { max_minutes: 999, label: 'Movie', cost: 1000 },
  ],
  spend_discount_per_rank: 0.02,
  ranks: [
    { name: 'Extra', min_lifetime_earned: 0 },
    { name: 'Grip', min_lifetime_earned: 1_000 },
    { name: 'Key Grip', min_lifetime_earned: 5_000 },
    { name: 'Gaffer', min_lifetime_earned: 15_000 },
    { name: 'Best Boy', min_lifetime_earned: 40_000 },
    { name: 'Associate Producer', min_lifetime_earned: 100_000 },
    { name: 'Producer', min_lifetime_earned: 250_000 },
    { name: 'Director', min_lifetime_earned: 500_000 },
    { name: 'Executive Producer', min_lifetime_earned: 1_000_000 },
    { name: 'Studio Mogul', min_lifetime_earned: 5_000_000 },
  ],
  max_queues_per_day: 3,
  queue_cooldown_minutes: 30,
  blackout_windows: [],
  refund_restores_quota: false,
};

export type EligibilityError =
  'blackout_active' | 'daily_limit_reached' | 'cooldown_active' | 'insufficient_balance';

export class EconomyEnvelopeError extends Error {}

export interface Account {
  username: string;
  balance: number;
  lifetime_earned: number;
  lifetime_spent: number;
}

export interface Transaction {
  id: number;
  username: string;
  channel: string;
  amount: number;
  type: string;
  reason: string;
  trigger_id: string | null;
  related_user: string | null;
  metadata: string | null;
  created_at: string;
  /** Internal: epoch ms, for the cooldown rule. */
  atMs: number;
}

interface SpendRequest {
  request_id: string;
  username: string;
  cost_z: number;
  tier: string;
  refunded: boolean;
  date: string;
}

export interface Price {
  base_cost: number;
  cost_z: number;
  tier_label: string;
  discount: number;
  discount_pct: number;
}

/** Base price by duration bracket, minus the rank discount (pure). */
export function priceFor(config: EconomyConfig, durationSec: number, lifetimeEarned: number): Price {
  const minutes = durationSec / 60;
  const tier =
    config.queue_tiers.find((t) => minutes <= t.max_minutes) ??
    config.queue_tiers[config.queue_tiers.length - 1];
  const discount = config.spend_discount_per_rank * rankIndex(config, lifetimeEarned);
  return {
    base_cost: tier.cost,
    tier_label: tier.label,
    discount,
    cost_z: Math.max(1, Math.floor(tier.cost * (1 - discount))),
    discount_pct: Math.round(discount * 1000) / 10,
  };
}

/** The last rank whose threshold the lifetime earnings reach. */
export function rankIndex(config: EconomyConfig, lifetimeEarned: number): number {
  let index = 0;
  config.ranks.forEach((rank, i) => {
    if (rank.min_lifetime_earned <= lifetimeEarned) index = i;
  });
  return index;
}

function required(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new EconomyEnvelopeError(`${name} is required`);
  return value;
}

function positiveDuration(value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new EconomyEnvelopeError('duration_sec must be positive');
  return Math.trunc(n);
}

export class Economy {
  config: EconomyConfig;
  /** Forces a blackout on, whatever the windows say. */
  blackoutForced = false;
  private readonly accounts = new Map<string, Account>();
  private readonly transactions: Transaction[] = [];
  private readonly requests = new Map<string, SpendRequest>();
  private readonly dailyUsed = new Map<string, number>();
  private nextTxId = 1;

  constructor(
    private readonly now: () => number,
    config: Partial<EconomyConfig> = {},
  ) {
    this.config = { ...DEFAULT_ECONOMY_CONFIG, ...config };
  }

  account(username: string): Account | undefined {
    return this.accounts.get(username);
  }

  allAccounts(): Account[] {
    return [...this.accounts.values()];
  }

  /** Sim control: set a balance directly (creates the account; writes an admin_adjust row). */
  setBalance(username: string, balance: number, lifetimeEarned?: number): Account {
    const account = this.ensure(username);
    const delta = balance - account.balance;
    account.balance = balance;
    if (lifetimeEarned !== undefined) account.lifetime_earned = lifetimeEarned;
    if (delta !== 0) this.record(username, delta, 'admin_adjust', 'Simulator balance set', 'admin.sim');
    return account;
  }

  balance(username: string): Record<string, unknown> {
    const account = this.accounts.get(username);
    if (!account) return { found: false };
    return {
      found: true,
      username,
      channel: this.config.channel,
      balance: account.balance,
      lifetime_earned: account.lifetime_earned,
      rank_name: this.config.ranks[rankIndex(this.config, account.lifetime_earned)].name,
    };
  }

  /** Newest first by id. */
  listTransactions(username: string, limit: number, offset: number): Record<string, unknown> {
    const rows = this.transactions
      .filter((tx) => tx.username === username)
      .sort((a, b) => b.id - a.id)
      .slice(offset, offset + limit)
      .map(({ atMs: _atMs, ...tx }) => tx);
    return { username, channel: this.config.channel, limit, offset, transactions: rows };
  }

  preview(body: Record<string, unknown>): Record<string, unknown> {
    const username = required(body.username, 'username');
    const duration = positiveDuration(body.duration_sec);
    const check = this.check(username, duration);
    const out: Record<string, unknown> = {
      available: check.error === null,
      cost_z: check.price.cost_z,
      base_cost: check.price.base_cost,
      tier_label: check.price.tier_label,
      discount_pct: check.price.discount_pct,
      daily_remaining: check.dailyRemaining,
      error_code: check.error,
    };
    if (check.error === 'cooldown_active') out.cooldown_remaining_sec = check.cooldownRemainingSec;
    return out;
  }

  spend(body: Record<string, unknown>): Record<string, unknown> {
    const username = required(body.username, 'username');
    const requestId = required(body.request_id, 'request_id');
    const duration = positiveDuration(body.duration_sec);
    const tier = typeof body.tier === 'string' && body.tier !== '' ? body.tier : 'queue';
    const stored = this.requests.get(requestId);
    if (stored) {
      return {
        success: true,
        cost_z: stored.cost_z,
        tier: stored.tier,
        request_id: requestId,
        idempotent_replay: true,
      };
    }
    const check = this.check(username, duration);
    if (check.error) return { success: false, cost_z: check.price.cost_z, error_code: check.error };
    const account = this.accounts.get(username) as Account;
    account.balance -= check.price.cost_z;
    account.lifetime_spent += check.price.cost_z;
    this.record(
      username,
      -check.price.cost_z,
      'spend',
      `Queue spend (${check.price.tier_label})`,
      `spend.queue.${requestId}`,
    );
    const date = utcDate(this.now());
    this.requests.set(requestId, {
      request_id: requestId,
      username,
      cost_z: check.price.cost_z,
      tier,
      refunded: false,
      date,
    });
    this.dailyUsed.set(`${username}|${date}`, this.used(username) + 1);
    return {
      success: true,
      cost_z: check.price.cost_z,
      tier,
      tier_label: check.price.tier_label,
      new_balance: account.balance,
      request_id: requestId,
    };
  }

  refund(body: Record<string, unknown>): Record<string, unknown> {
    const username = required(body.username, 'username');
    const requestId = required(body.request_id, 'request_id');
    const reason = required(body.reason, 'reason');
    const stored = this.requests.get(requestId);
    if (!stored) return { success: false, error: 'unknown_request_id' };
    if (stored.refunded) {
      return { success: true, refunded: stored.cost_z, request_id: requestId, idempotent_replay: true };
    }
    const account = this.ensure(username);
    account.balance += stored.cost_z;
    account.lifetime_earned += stored.cost_z;
    this.record(username, stored.cost_z, 'refund', `Queue refund: ${reason}`, `refund.queue.${requestId}`);
    stored.refunded = true;
    if (this.config.refund_restores_quota) {
      const key = `${stored.username}|${utcDate(this.now())}`;
      if (stored.date === utcDate(this.now())) {
        this.dailyUsed.set(key, Math.max(0, (this.dailyUsed.get(key) ?? 0) - 1));
      }
    }
    return { success: true, refunded: stored.cost_z, new_balance: account.balance, request_id: requestId };
  }

  /** The shared eligibility order: blackout → daily limit → cooldown → balance. */
  private check(username: string, durationSec: number) {
    const account = this.accounts.get(username);
    const price = priceFor(this.config, durationSec, account?.lifetime_earned ?? 0);
    const max = this.config.max_queues_per_day;
    const used = this.used(username);
    const result = {
      price,
      dailyRemaining: Math.max(0, max - used),
      error: null as EligibilityError | null,
      cooldownRemainingSec: 0,
    };
    if (this.inBlackout()) return { ...result, dailyRemaining: max, error: 'blackout_active' as const };
    if (used >= max) return { ...result, error: 'daily_limit_reached' as const };
    const remaining = this.cooldownRemainingSec(username);
    if (remaining > 0) {
      return { ...result, error: 'cooldown_active' as const, cooldownRemainingSec: remaining };
    }
    if (!account || account.balance < price.cost_z) {
      return { ...result, error: 'insufficient_balance' as const };
    }
    return result;
  }

  private inBlackout(): boolean {
    if (this.blackoutForced) return true;
    return this.config.blackout_windows.some((w) => withinCronWindow(w.cron, w.duration_hours, this.now()));
  }

  private used(username: string): number {
    return this.dailyUsed.get(`${username}|${utcDate(this.now())}`) ?? 0;
  }

  private cooldownRemainingSec(username: string): number {
    const newest = this.transactions
      .filter((tx) => tx.username === username && tx.trigger_id?.startsWith('spend.queue'))
      .filter((tx) => {
        if (!this.config.refund_restores_quota) return true;
        const id = (tx.trigger_id ?? '').slice('spend.queue.'.length);
        return !this.requests.get(id)?.refunded;
      })
      .sort((a, b) => b.id - a.id)[0];
    if (!newest) return 0;
    const endsAt = newest.atMs + this.config.queue_cooldown_minutes * 60_000;
    return Math.max(0, Math.ceil((endsAt - this.now()) / 1000));
  }

  private ensure(username: string): Account {
    let account = this.accounts.get(username);
    if (!account) {
      account = { username, balance: 0, lifetime_earned: 0, lifetime_spent: 0 };
      this.accounts.set(username, account);
    }
    return account;
  }

  private record(username: string, amount: number, type: string, reason: string, triggerId: string): void {
    const at = this.now();
    this.transactions.push({
      id: this.nextTxId++,
      username,
      channel: this.config.channel,
      amount,
      type,
      reason,
      trigger_id: triggerId,
      related_user: null,
      metadata: null,
      created_at: sqlTimestamp(at),
      atMs: at,
    });
  }
}
