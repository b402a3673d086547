import { Injectable } from '@nestjs/common';
import type { SpendRequestEntity } from '../economy/entities/spend-request.entity';

/**
 * The points between two steps of the pay-to-play saga. `*_returned` points are the dangerous
 * gaps: the outside call has happened but the journal does not know yet.
 */
export type SagaPoint =
  'pending' | 'spend_returned' | 'spent' | 'add_returned' | 'added' | 'positioned' | 'recorded';

export const SAGA_POINTS: readonly SagaPoint[] = [
  'pending',
  'spend_returned',
  'spent',
  'add_returned',
  'added',
  'positioned',
  'recorded',
];

/**
 * Thrown by a hook to stop a saga dead, as if the process had died there: no compensation runs,
 * the journal stays as it is, and the start-up reconciler must settle it.
 */
export class SagaInterrupted extends Error {
  constructor(readonly point: SagaPoint) {
    super(`saga interrupted after ${point}`);
  }
}

/**
 * Seams of the saga. Production: no-op hooks and real waits. Tests replace this provider to crash
 * between any two steps (throw SagaInterrupted from `after`) and to replace the waits by a
 * simulator flush (no real sleeping in tests).
 */
@Injectable()
export class SagaHooks {
  /** Read-backs of the playlist before a move is declared not applied. */
  readonly confirmAttempts: number = 5;
  /** Read-backs after an ambiguous add (504, timeout, no uid) before we refund. */
  readonly lateAddAttempts: number = 6;

  /** Called after each step (the journal already reflects it, except at `*_returned`). */
  async after(_point: SagaPoint, _row: SpendRequestEntity | null): Promise<void> {}

  /** Wait before read-back number `attempt` (0-based): 250 ms, 500 ms, 1 s, 2 s, 2 s, … */
  wait(attempt: number): Promise<void> {
    const ms = Math.min(2000, 250 * 2 ** attempt);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
