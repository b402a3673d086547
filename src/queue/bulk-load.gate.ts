import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';

/**
 * Marks the bulk loads of the live playlist (a schedule fire with its fallback, an import to
 * live). While one runs, and until a poll taken after it ended has been applied, the promo
 * director makes no decision: a half-loaded playlist is neither content that played nor a place
 * for a promo. Loads run under the QueueMutex too; the gate says what the mutex cannot (that the
 * playlist just changed wholesale).
 */
@Injectable()
export class BulkLoadGate {
  private readonly running = new Map<number, string>();
  private nextId = 1;
  private endedAtMs = 0;
  private loads = 0;

  constructor(private readonly clock: Clock) {}

  /** Run `work` as a bulk load named `label` (e.g. `fire`, `import to live`). */
  async during<T>(label: string, work: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    this.running.set(id, label);
    try {
      return await work();
    } finally {
      this.running.delete(id);
      this.loads++;
      this.endedAtMs = this.clock.nowMs();
    }
  }

  /** The load in progress, or null. */
  current(): string | null {
    const first = this.running.values().next();
    return first.done ? null : first.value;
  }

  /** When the last load ended (ms; 0 = none since start) and how many have ended. */
  lastEnded(): { at_ms: number; count: number } {
    return { at_ms: this.endedAtMs, count: this.loads };
  }
}
