import { LRUCache } from 'lru-cache';

/**
 * Answers kept by key, least recently used out first. Askers of a key being computed share the
 * one computation; a failed answer is dropped at once, so the next asker tries again.
 */
export class PromiseCache<T extends object | string | number | boolean> {
  private readonly entries: LRUCache<string, Promise<T>>;

  constructor(options: { max: number; ttlMs?: number }) {
    this.entries = new LRUCache<string, Promise<T>>({
      max: options.max,
      ...(options.ttlMs ? { ttl: options.ttlMs } : {}),
    });
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const work = compute();
    this.entries.set(key, work);
    work.catch(() => {
      if (this.entries.peek(key) === work) this.entries.delete(key);
    });
    return work;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
