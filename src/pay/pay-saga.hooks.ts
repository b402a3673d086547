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
 * The crash seams of the saga. Production: no-ops. Tests replace this provider to crash between
 * any two steps (throw SagaInterrupted from `after`). The read-back waits are ReadBackPolicy's.
 */
@Injectable()
export class SagaHooks {
  /** Called after each step (the journal already reflects it, except at `*_returned`). */
  async after(_point: SagaPoint, _row: SpendRequestEntity | null): Promise<void> {}
}
