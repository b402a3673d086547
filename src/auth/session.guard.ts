import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { AdminRankService } from './admin-rank.service';
import { AUTH_LEVEL, type AuthLevel } from './auth.decorators';
import { NotAuthenticatedException } from './auth.exceptions';
import { SessionRevocations } from './session-revocations.service';
import { type SessionCheck, type SessionClaims, type SessionUser, verifySession } from './session-token';

export { ADMIN_RANK } from './admin-rank.service';
export const SESSION_COOKIE = 'session';

const CHECKED = new WeakMap<Request, { token: string | undefined; check: SessionCheck }>();

/**
 * The session cookie of this request, verified once: the page middleware (navbar) and the guard
 * both ask, and an HMAC per ask is measurable on a page served from cache.
 */
export function requestSession(req: Request, secret: string, nowMs: number): SessionCheck {
  const token = req.cookies?.[SESSION_COOKIE] as string | undefined;
  const seen = CHECKED.get(req);
  if (seen && seen.token === token) return seen.check;
  const check = verifySession(token, secret, nowMs);
  CHECKED.set(req, { token, check });
  return check;
}

/** A request that passed SessionGuard. */
export type AuthedRequest = Request & { user?: SessionUser; sessionClaims?: SessionClaims };

/**
 * Checks the `session` cookie for ViewerOnly/AdminOnly routes and puts the user on the
 * request. Logged-out tokens (revoked by jti) are refused. Admin routes re-check the live rank
 * (AdminRankService: at most every 60 s per user) and put that rank on `req.user`; viewer routes
 * put the effective rank there (a demoted admin loses the admin extras within a minute). Failures
 * throw; the global filter turns them into 401/403/503 JSON or, for pages, a redirect to login.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly revocations: SessionRevocations,
    private readonly ranks: AdminRankService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.getAllAndOverride<AuthLevel | undefined>(AUTH_LEVEL, [
      context.getHandler(),
      context.getClass(),
    ]);
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const check = requestSession(req, this.config.secret_key, this.clock.nowMs());
    if (!check.ok) {
      throw new NotAuthenticatedException(
        check.reason === 'expired'
          ? 'Session expired'
          : check.reason === 'invalid'
            ? 'Invalid session'
            : 'Not authenticated',
      );
    }
    if (this.revocations.isRevoked(check.claims.jti)) throw new NotAuthenticatedException('Invalid session');
    req.sessionClaims = check.claims;
    req.user = { username: check.claims.sub, rank: check.claims.rank };
    // One source of truth for the rank: the token's is only a hint once someone was an admin.
    req.user.rank =
      level === 'admin'
        ? await this.ranks.confirmAdmin(req.user.username)
        : await this.ranks.effectiveRank(req.user.username, req.user.rank);
    return true;
  }
}
