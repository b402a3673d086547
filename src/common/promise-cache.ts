import { LRUCache } from 'lru-cache';

/**
 * Answers kept by key, least recently used out first. Askers of a key being computed share the
 * one computation; a failed answer is dropped at once, so the next asker tries again.
 */
export class PromiseCache<T extends object | string | number | boolean> {
  private readonly entries: LRUCache<string, Promise<T>>;
  private generation: string | number | undefined;

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

  /**
   * Drops every entry when `generation` is not the one last given. For answers keyed by a
   * version: once it moves nobody asks for the older keys again, and left to the LRU they would
   * fill the cache (a sync moves the catalog's version every few seconds) and stay there.
   */
  keepOnly(generation: string | number): void {
    if (generation === this.generation) return;
    this.generation = generation;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
