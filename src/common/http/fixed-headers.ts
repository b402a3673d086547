import type { NextFunction, Request, Response } from 'express';

type Middleware = (req: Request, res: Response, next: (err?: unknown) => void) => void;
type HeaderValue = number | string | readonly string[];

/**
 * A header-only middleware whose answer does not depend on the request (helmet with no function
 * in its directives, as ours), asked once at start-up and replayed on every response: the same
 * headers without walking its fourteen steps and re-joining the policy per request.
 */
export function fixedHeaders(
  middleware: Middleware,
): (req: Request, res: Response, next: NextFunction) => void {
  // In helmet's order; a removal is a header with no value.
  const steps: [string, HeaderValue | undefined][] = [];
  const recorder = {
    setHeader: (name: string, value: HeaderValue) => steps.push([name, value]),
    removeHeader: (name: string) => steps.push([name, undefined]),
  };
  let outcome: { err: unknown } | undefined;
  middleware({} as Request, recorder as unknown as Response, (err) => {
    outcome = { err };
  });
  if (!outcome || outcome.err !== undefined) {
    throw new Error('the security headers could not be worked out at start-up', { cause: outcome?.err });
  }
  return (_req, res, next) => {
    for (const [name, value] of steps) {
      if (value === undefined) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}
