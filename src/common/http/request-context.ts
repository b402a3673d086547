import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** A caller's own id is kept when it looks like one (nginx `$request_id`, a load balancer's). */
const GOOD_ID = /^[A-Za-z0-9._:-]{8,100}$/;

const accessLog = new Logger('Access');

/** Told once about every request, when its response is done, with how long it took. */
export type RequestObserver = (req: Request, res: Response, seconds: number) => void;

/** The request id of this request (set by `requestContext`). */
export function requestIdOf(req: Request): string {
  return (req as Request & { requestId?: string }).requestId ?? 'unknown';
}

/**
 * First on every request: a request id (the caller's `X-Request-Id`, or a new one), echoed in the
 * `X-Request-Id` response header and put in every error body, and when the response is done the
 * observers (metrics) and one access-log line (JSON like every log line; level `info`, so quiet
 * at `warning` and in tests, and then not even built). One 'finish' listener serves them all.
 */
export function requestContext(
  ...observers: RequestObserver[]
): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && GOOD_ID.test(given) ? given : randomUUID();
    (req as Request & { requestId?: string }).requestId = id;
    res.setHeader('X-Request-Id', id);
    const started = performance.now();
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      for (const observe of observers) observe(req, res, seconds);
      if (!Logger.isLevelEnabled('log')) return;
      accessLog.log({
        trace_id: id,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round(seconds * 10_000) / 10,
        ip: req.ip,
      });
    });
    next();
  };
}
