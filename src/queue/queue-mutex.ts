import { Injectable } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import { SharedLock } from '../cluster/shared-lock';

/** The shared-lock name of the queue (every instance's queue changes take turns under it). */
export const QUEUE_LOCK = 'queue';

/**
 * THE queue-mutation mutex: every change webqueue makes to the
 * live CyTube playlist — paid and admin inserts, admin clear/remove/jump, fire, import, presence
 * cancels, promos — runs inside `runExclusive`, so no two of them interleave.
 *
 * Not re-entrant: code already inside `runExclusive` must call the `*Locked` variants of other
 * services (e.g. `QueueRemovalService.removeItemLocked`), never `runExclusive` again.
 * The shadow's own poll mutex is separate (it only mirrors CyTube, it never changes it).
 *
 * With several instances it holds across them: inside this process's mutex, the shared lock
 * (a PostgreSQL advisory lock) is taken too, so one instance at a time changes the queue.
 */
@Injectable()
export class QueueMutex {
  private readonly mutex = new Mutex();

  constructor(private readonly shared: SharedLock) {}

  /**
   * `priority`: waiters with a higher one go first (same priority: first come, first served). A
   * purchase finishing an item already placed uses it, so a rush of buyers does not make every
   * confirmed purchase wait behind every buyer still to be placed.
   */
  runExclusive<T>(fn: () => Promise<T> | T, priority = 0): Promise<T> {
    return this.mutex.runExclusive(() => this.shared.runExclusive(QUEUE_LOCK, async () => fn()), priority);
  }

  isLocked(): boolean {
    return this.mutex.isLocked();
  }

  /** Resolves when the mutex is free (tests, shutdown). */
  waitForUnlock(): Promise<void> {
    return this.mutex.waitForUnlock();
  }
}
