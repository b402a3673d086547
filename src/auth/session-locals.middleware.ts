import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { AdminRankService } from './admin-rank.service';
import { requestSession } from './session.guard';
import { SessionRevocations } from './session-revocations.service';

/**
 * Every page gets `user` ({username, rank} or null) for the navbar; any bad or logged-out
 * cookie means anonymous. The rank shown is the last one read live, when there is one (so the
 * Admin link follows a promotion or demotion); it is display only — AdminOnly decides access.
 */
@Injectable()
export class SessionLocalsMiddleware implements NestMiddleware {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
    private readonly ranks: AdminRankService,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const check = requestSession(req, this.config.secret_key, this.clock.nowMs());
    res.locals.user =
      check.ok && !this.revocations.isRevoked(check.claims.jti)
        ? {
            username: check.claims.sub,
            rank: this.ranks.lastKnown(check.claims.sub) ?? check.claims.rank,
          }
        : null;
    next();
  }
}
