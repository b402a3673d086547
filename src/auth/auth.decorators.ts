import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { SessionGuard } from './session.guard';
import type { SessionUser } from './session-token';

export const AUTH_LEVEL = 'wq:auth-level';
export type AuthLevel = 'viewer' | 'admin';

/** Needs a valid session: 401 JSON for API calls, a redirect to /auth/login for pages. */
export const ViewerOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(AUTH_LEVEL, 'viewer'), UseGuards(SessionGuard));

/** Needs an admin session (rank ≥ 3): 403 JSON / redirect for pages. */
export const AdminOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(AUTH_LEVEL, 'admin'), UseGuards(SessionGuard));

/** The logged-in user (set by SessionGuard). Use only on guarded routes. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): SessionUser => {
  const req = ctx.switchToHttp().getRequest<Request & { user?: SessionUser }>();
  if (!req.user) throw new Error('CurrentUser used on a route without ViewerOnly/AdminOnly');
  return req.user;
});
