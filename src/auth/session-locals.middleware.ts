import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { SESSION_COOKIE } from './session.guard';
import { verifySession } from './session-token';

/** Every page gets `user` ({username, rank} or null) for the navbar; any bad cookie means anonymous. */
@Injectable()
export class SessionLocalsMiddleware implements NestMiddleware {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const check = verifySession(
      req.cookies?.[SESSION_COOKIE] as string | undefined,
      this.config.secret_key,
      this.clock.nowMs(),
    );
    res.locals.user = check.ok ? { username: check.claims.sub, rank: check.claims.rank } : null;
    next();
  }
}
