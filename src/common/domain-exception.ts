/**
 * Base of every expected failure. The global exception filter turns it into
 * `{detail, code}` with `status` for API routes, or the error page for HTML routes.
 * Feature modules subclass it (e.g. QueueLockedException) with their own codes.
 */
export class DomainException extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** Extra fields merged into the JSON body (e.g. retry_after_sec). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}
