import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { AUTH_LEVEL, type AuthLevel } from './auth.decorators';
import { AdminRequiredException, NotAuthenticatedException } from './auth.exceptions';
import { type SessionUser, verifySession } from './session-token';

export const ADMIN_RANK = 3;
export const SESSION_COOKIE = 'session';

/**
 * Checks the `session` cookie for ViewerOnly/AdminOnly routes and puts the user on the
 * request. Failures throw; the global filter turns them into 401/403 JSON or, for
 * pages, a redirect to the login page.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const level = this.reflector.getAllAndOverride<AuthLevel | undefined>(AUTH_LEVEL, [
      context.getHandler(),
      context.getClass(),
    ]);
    const req = context.switchToHttp().getRequest<Request & { user?: SessionUser }>();
    const check = verifySession(
      req.cookies?.[SESSION_COOKIE] as string | undefined,
      this.config.secret_key,
      this.clock.nowMs(),
    );
    if (!check.ok) {
      throw new NotAuthenticatedException(
        check.reason === 'expired'
          ? 'Session expired'
          : check.reason === 'invalid'
            ? 'Invalid session'
            : 'Not authenticated',
      );
    }
    req.user = { username: check.claims.sub, rank: check.claims.rank };
    if (level === 'admin' && req.user.rank < ADMIN_RANK) throw new AdminRequiredException();
    return true;
  }
}
