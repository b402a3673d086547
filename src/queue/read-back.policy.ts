import { Injectable } from '@nestjs/common';

/**
 * How long to look for the effect of a CyTube command in the playlist. Moves and deletes are
 * fire-and-forget (api-gate only publishes them) and an add can answer 504 yet land later, so
 * callers read the playlist back a few times before they decide. Tests replace this provider to
 * turn each wait into a simulator flush.
 */
@Injectable()
export class ReadBackPolicy {
  /** Read-backs of the playlist before a move (or a clear) is declared not applied. */
  readonly confirmAttempts: number = 5;
  /** Read-backs after an ambiguous add (504, timeout, no uid) before it is declared failed. */
  readonly lateAddAttempts: number = 6;

  /** Wait before read-back number `attempt` (0-based): 250 ms, 500 ms, 1 s, 2 s, 2 s, … */
  wait(attempt: number): Promise<void> {
    const ms = Math.min(2000, 250 * 2 ** attempt);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
