import { DomainException } from '../common/domain-exception';

export class NotAuthenticatedException extends DomainException {
  constructor(detail: 'Not authenticated' | 'Session expired' | 'Invalid session' = 'Not authenticated') {
    super(401, 'not_authenticated', detail);
  }
}

export class AdminRequiredException extends DomainException {
  constructor(detail = 'Admin required') {
    super(403, 'admin_required', detail);
  }
}

/** The live rank of an admin could not be re-read and the last known one is too old. */
export class AdminRankUnavailableException extends DomainException {
  constructor() {
    super(
      503,
      'admin_rank_unavailable',
      'Cannot confirm your admin rank right now (kryten-api-gate is unavailable). Try again shortly.',
    );
  }
}

export class UsernameRequiredException extends DomainException {
  constructor(detail: 'username required' | 'username and code required' = 'username required') {
    super(400, 'bad_request', detail);
  }
}

export class UsernameTooLongException extends DomainException {
  constructor(max: number) {
    super(400, 'bad_request', `username must be at most ${max} characters`);
  }
}

export class InvalidCodeException extends DomainException {
  constructor() {
    super(401, 'invalid_code', 'Invalid or expired code');
  }
}

/** 429 `{detail, code:'rate_limited', retry_after_sec}`; the filter adds the Retry-After header. */
export class RateLimitedException extends DomainException {
  constructor(detail: string, retryAfterSec: number) {
    super(429, 'rate_limited', detail, { retry_after_sec: retryAfterSec });
  }
}

export class PmFailedException extends DomainException {
  constructor() {
    super(
      503,
      'pm_failed',
      'Could not send your login code: the CyTube bot (kryten-api-gate) is not answering. Try again in a minute.',
    );
  }
}

export class CsrfRejectedException extends DomainException {
  constructor(detail = 'Cross-site request refused') {
    super(403, 'csrf_rejected', detail);
  }
}
