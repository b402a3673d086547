import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CsrfRejectedException } from './auth.exceptions';
import { checkOrigin } from './auth.rules';

const SKIP_CSRF = 'wq:skip-csrf';

/**
 * For a route authenticated by something other than the session cookie (a device's link code or
 * bearer key): skips the Origin check. Never use it on cookie-authenticated routes.
 */
export const SkipCsrf = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_CSRF, true);

/**
 * Global (APP_GUARD): every POST/PUT/PATCH/DELETE must come from our own origin — `Origin`, or
 * `Referer` when Origin is absent, against the request's own host (`req.host`, which honours
 * trusted proxies); with neither, `Sec-Fetch-Site: same-origin`. Anything else gets 403
 * `csrf_rejected` (rules in `checkOrigin`).
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(SKIP_CSRF, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const req = context.switchToHttp().getRequest<Request>();
    const verdict = checkOrigin({
      method: req.method,
      origin: req.headers.origin,
      referer: req.headers.referer,
      host: req.host,
      secure: req.secure,
      fetchSite: req.headers['sec-fetch-site'],
    });
    if (verdict === 'cross-site') throw new CsrfRejectedException();
    if (verdict === 'no-header') {
      throw new CsrfRejectedException(
        'Refused: a request that changes something must come from this site (send an Origin header)',
      );
    }
    return true;
  }
}
