import { DomainException } from '../common/domain-exception';

export class NotAuthenticatedException extends DomainException {
  constructor(detail: 'Not authenticated' | 'Session expired' | 'Invalid session' = 'Not authenticated') {
    super(401, 'not_authenticated', detail);
  }
}

export class AdminRequiredException extends DomainException {
  constructor() {
    super(403, 'admin_required', 'Admin required');
  }
}
