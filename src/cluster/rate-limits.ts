import type Redis from 'ioredis';
import { type LimitVerdict, SlidingWindowLimiter } from '../auth/rate-limiter';

/** A sliding-window limit that every instance counts against together. */
export interface SharedLimit {
  check(key: string, nowMs: number): Promise<LimitVerdict>;
  record(key: string, nowMs: number): Promise<void>;
  /** check + record when allowed, as one step (concurrent callers cannot both slip through). */
  hit(key: string, nowMs: number): Promise<LimitVerdict>;
  forgive(key: string, atMs: number): Promise<void>;
  count(key: string, nowMs: number): Promise<number>;
  reset(key: string): Promise<void>;
  /** Drop idle keys (memory only; Redis expires them itself). */
  prune(nowMs: number): number;
}

/** Where limits live: this process's memory, or Redis for several instances. */
export abstract class RateLimits {
  abstract create(name: string, limit: number, windowMs: number): SharedLimit;
}

export class MemoryRateLimits extends RateLimits {
  /** One limiter per name, as in Redis: whoever creates `name` counts against the same one. */
  private readonly byName = new Map<string, SharedLimit>();

  create(name: string, limit: number, windowMs: number): SharedLimit {
    const known = this.byName.get(name);
    if (known) return known;
    const inner = new SlidingWindowLimiter(limit, windowMs);
    const shared: SharedLimit = {
      check: (key, nowMs) => Promise.resolve(inner.check(key, nowMs)),
      record: (key, nowMs) => Promise.resolve(inner.record(key, nowMs)),
      hit: (key, nowMs) => Promise.resolve(inner.hit(key, nowMs)),
      forgive: (key, atMs) => Promise.resolve(inner.forgive(key, atMs)),
      count: (key, nowMs) => Promise.resolve(inner.count(key, nowMs)),
      reset: (key) => Promise.resolve(inner.reset(key)),
      prune: (nowMs) => inner.prune(nowMs),
    };
    this.byName.set(name, shared);
    return shared;
  }
}

/**
 * One sorted set per key (score = event time), trimmed to the window and expiring with it. The
 * verdict is computed by a script, so check-and-record is atomic across instances.
 * Returns {allowed (1/0), retry-after seconds}.
 */
const HIT_SCRIPT = `
local key, now, window, limit, record = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local n = redis.call('ZCARD', key)
if n < limit then
  if record == '1' then
    redis.call('ZADD', key, now, now .. ':' .. redis.call('INCR', key .. ':seq'))
    redis.call('PEXPIRE', key, window)
    redis.call('PEXPIRE', key .. ':seq', window)
  end
  return {1, 0}
end
local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
local frees = tonumber(oldest[2]) + window
return {0, math.max(1, math.ceil((frees - now) / 1000))}
`;

export class RedisRateLimits extends RateLimits {
  constructor(private readonly redis: Redis) {
    super();
  }

  create(name: string, limit: number, windowMs: number): SharedLimit {
    const redis = this.redis;
    const keyOf = (key: string): string => `webqueue:limit:${name}:${key}`;
    const run = async (key: string, nowMs: number, record: boolean): Promise<LimitVerdict> => {
      const [allowed, retry] = (await redis.eval(
        HIT_SCRIPT,
        1,
        keyOf(key),
        nowMs,
        windowMs,
        limit,
        record ? '1' : '0',
      )) as [number, number];
      return { allowed: allowed === 1, retryAfterSec: retry };
    };
    return {
      check: (key, nowMs) => run(key, nowMs, false),
      hit: (key, nowMs) => run(key, nowMs, true),
      record: async (key, nowMs) => {
        await redis
          .multi()
          .zadd(keyOf(key), nowMs, `${nowMs}:${Math.random()}`)
          .pexpire(keyOf(key), windowMs)
          .exec();
      },
      forgive: async (key, atMs) => {
        const [member] = await redis.zrangebyscore(keyOf(key), atMs, atMs, 'LIMIT', 0, 1);
        if (member !== undefined) await redis.zrem(keyOf(key), member);
      },
      count: async (key, nowMs) => {
        await redis.zremrangebyscore(keyOf(key), '-inf', nowMs - windowMs);
        return redis.zcard(keyOf(key));
      },
      reset: async (key) => {
        await redis.del(keyOf(key));
      },
      prune: () => 0,
    };
  }
}
