/**
 * An in-memory sliding-window limiter: at most `limit` events per `windowMs` per key, with the
 * time passed in (so a ManualClock drives it in tests). State is lost on restart, which is fine
 * for login throttling in a single process.
 */
export interface LimitVerdict {
  allowed: boolean;
  /** Whole seconds until one more event would be allowed (0 when allowed now). */
  retryAfterSec: number;
}

export class SlidingWindowLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Above this many keys, stale keys are pruned on the next record (memory bound). */
    private readonly maxKeys = 100_000,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('limit must be a positive integer');
    if (!(windowMs > 0)) throw new Error('windowMs must be positive');
  }

  /** Would one more event be allowed now? Does not record anything. */
  check(key: string, nowMs: number): LimitVerdict {
    const recent = this.recent(key, nowMs);
    if (recent.length < this.limit) return { allowed: true, retryAfterSec: 0 };
    const freesAt = recent[recent.length - this.limit] + this.windowMs;
    return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((freesAt - nowMs) / 1000)) };
  }

  /** Record one event, allowed or not. */
  record(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    this.events.set(key, recent);
    if (this.events.size > this.maxKeys) this.prune(nowMs);
  }

  /** check + record when allowed. */
  hit(key: string, nowMs: number): LimitVerdict {
    const verdict = this.check(key, nowMs);
    if (verdict.allowed) this.record(key, nowMs);
    return verdict;
  }

  /** Take back one event recorded at `atMs` (an attempt reserved up front that turned out fine). */
  forgive(key: string, atMs: number): void {
    const all = this.events.get(key);
    const at = all?.lastIndexOf(atMs) ?? -1;
    if (!all || at < 0) return;
    all.splice(at, 1);
    if (all.length === 0) this.events.delete(key);
  }

  /** Events currently inside the window for a key. */
  count(key: string, nowMs: number): number {
    return this.recent(key, nowMs).length;
  }

  reset(key: string): void {
    this.events.delete(key);
  }

  /** Drop keys with no event inside the window; returns how many were dropped. */
  prune(nowMs: number): number {
    let dropped = 0;
    for (const key of [...this.events.keys()]) {
      if (this.recent(key, nowMs).length === 0) {
        this.events.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  get size(): number {
    return this.events.size;
  }

  private recent(key: string, nowMs: number): number[] {
    const all = this.events.get(key);
    if (!all) return [];
    const cutoff = nowMs - this.windowMs;
    let first = 0;
    while (first < all.length && all[first] <= cutoff) first++;
    if (first === 0) return all;
    const kept = all.slice(first);
    if (kept.length === 0) this.events.delete(key);
    else this.events.set(key, kept);
    return kept;
  }
}
