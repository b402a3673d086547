import type { NextFunction, Request, Response } from 'express';
import { DomainException } from '../domain-exception';

/** Deeper than any of our DTOs nest (a few levels); deeper bodies only cost the validators. */
export const MAX_BODY_DEPTH = 12;
/** Keys that reach an object's prototype when copied or merged. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What is wrong with a parsed request body, in words, or null. Walks iteratively, so a hostile
 * nesting depth can't overflow the stack here either.
 */
export function bodyProblem(body: unknown): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value: body, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) {
      return `Request body is nested too deeply (at most ${MAX_BODY_DEPTH} levels)`;
    }
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key)) return `Request body may not use the key "${key}"`;
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return null;
}

/** Express middleware after the body parsers: 400 for bodies no route should see. */
export function bodyGuard(req: Request, _res: Response, next: NextFunction): void {
  const problem = bodyProblem(req.body as unknown);
  next(problem === null ? undefined : new DomainException(400, 'bad_request', problem));
}
