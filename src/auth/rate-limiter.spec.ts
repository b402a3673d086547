import { SlidingWindowLimiter } from './rate-limiter';

describe('SlidingWindowLimiter', () => {
  const t0 = 1_000_000;

  it('allows `limit` events per window, then refuses with the seconds until the oldest leaves', () => {
    const limiter = new SlidingWindowLimiter(3, 300_000);
    expect(limiter.hit('a', t0).allowed).toBe(true);
    expect(limiter.hit('a', t0 + 10_000).allowed).toBe(true);
    expect(limiter.hit('a', t0 + 20_000).allowed).toBe(true);
    expect(limiter.hit('a', t0 + 30_000)).toEqual({ allowed: false, retryAfterSec: 270 });
    // a refused hit is not recorded
    expect(limiter.count('a', t0 + 30_000)).toBe(3);
  });

  it('slides: an event exactly one window old no longer counts', () => {
    const limiter = new SlidingWindowLimiter(2, 60_000);
    limiter.record('k', t0);
    limiter.record('k', t0 + 30_000);
    expect(limiter.check('k', t0 + 59_999).allowed).toBe(false);
    expect(limiter.check('k', t0 + 59_999).retryAfterSec).toBe(1);
    expect(limiter.check('k', t0 + 60_000)).toEqual({ allowed: true, retryAfterSec: 0 });
    expect(limiter.count('k', t0 + 60_000)).toBe(1);
  });

  it('keeps keys apart and rounds retry-after up to whole seconds (at least 1)', () => {
    const limiter = new SlidingWindowLimiter(1, 10_500);
    limiter.record('x', t0);
    expect(limiter.check('y', t0).allowed).toBe(true);
    expect(limiter.check('x', t0 + 1).retryAfterSec).toBe(11);
    expect(limiter.check('x', t0 + 10_499).retryAfterSec).toBe(1);
  });

  it('record counts even past the limit (failures), and reset forgets a key', () => {
    const limiter = new SlidingWindowLimiter(2, 1000);
    for (let i = 0; i < 5; i++) limiter.record('f', t0);
    expect(limiter.count('f', t0)).toBe(5);
    limiter.reset('f');
    expect(limiter.count('f', t0)).toBe(0);
  });

  it('forgives one event recorded at a given time', () => {
    const limiter = new SlidingWindowLimiter(2, 1000);
    limiter.record('f', t0);
    limiter.record('f', t0 + 1);
    limiter.forgive('f', t0 + 1);
    limiter.forgive('f', t0 + 999); // nothing recorded then: no-op
    expect(limiter.count('f', t0 + 1)).toBe(1);
    limiter.forgive('f', t0);
    expect(limiter.size).toBe(0);
  });

  it('prunes keys whose events have all left the window', () => {
    const limiter = new SlidingWindowLimiter(5, 1000);
    limiter.record('old', t0);
    limiter.record('new', t0 + 900);
    expect(limiter.prune(t0 + 1500)).toBe(1);
    expect(limiter.size).toBe(1);
  });

  it('bounds memory by pruning when there are too many keys', () => {
    const limiter = new SlidingWindowLimiter(1, 1000, 3);
    for (let i = 0; i < 3; i++) limiter.record(`k${i}`, t0);
    limiter.record('late', t0 + 5000);
    expect(limiter.size).toBe(1);
  });

  it('rejects nonsense settings', () => {
    expect(() => new SlidingWindowLimiter(0, 1000)).toThrow();
    expect(() => new SlidingWindowLimiter(1, 0)).toThrow();
  });
});
