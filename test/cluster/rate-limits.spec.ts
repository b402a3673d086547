import Redis from 'ioredis';
import { MemoryRateLimits, type RateLimits, RedisRateLimits } from '../../src/cluster/rate-limits';
import { TEST_REDIS_URL } from './cluster-harness';

/** The same steps against both stores: what one instance sees in memory, several see in Redis. */
describe.each([
  ['memory (one instance)', 'memory'],
  ['Redis (counted by two instances together)', 'redis'],
])('shared rate limits: %s', (_label, kind) => {
  const clients: Redis[] = [];
  let a: RateLimits;
  let b: RateLimits;
  beforeEach(async () => {
    if (kind === 'memory') {
      a = b = new MemoryRateLimits();
      return;
    }
    const first = new Redis(TEST_REDIS_URL);
    const second = new Redis(TEST_REDIS_URL);
    clients.push(first, second);
    await first.flushdb();
    a = new RedisRateLimits(first);
    b = new RedisRateLimits(second);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });

  it('allows the limit across both, refuses the next with when to retry, and forgets after the window', async () => {
    const t0 = 1_800_000_000_000;
    const onA = a.create('link', 3, 60_000);
    const onB = b.create('link', 3, 60_000);
    expect(await onA.hit('1.2.3.4', t0)).toEqual({ allowed: true, retryAfterSec: 0 });
    expect(await onB.hit('1.2.3.4', t0 + 1_000)).toEqual({ allowed: true, retryAfterSec: 0 });
    expect(await onA.hit('1.2.3.4', t0 + 2_000)).toEqual({ allowed: true, retryAfterSec: 0 });
    expect(await onB.hit('1.2.3.4', t0 + 10_000)).toEqual({ allowed: false, retryAfterSec: 50 });
    expect(await onA.count('1.2.3.4', t0 + 10_000)).toBe(3);
    expect(await onB.hit('5.6.7.8', t0 + 10_000)).toMatchObject({ allowed: true }); // another key
    expect(await onA.hit('1.2.3.4', t0 + 60_001)).toMatchObject({ allowed: true }); // the first fell out
  });

  it('concurrent attempts never slip past the limit, and a forgiven one frees its place', async () => {
    const t0 = 1_800_000_000_000;
    const limits = [a.create('otp', 5, 60_000), b.create('otp', 5, 60_000)];
    const verdicts = await Promise.all(Array.from({ length: 40 }, (_, i) => limits[i % 2].hit('user', t0)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
    await limits[0].forgive('user', t0);
    expect(await limits[1].check('user', t0 + 1)).toEqual({ allowed: true, retryAfterSec: 0 });
    await limits[1].reset('user');
    expect(await limits[0].count('user', t0 + 1)).toBe(0);
  });
});
