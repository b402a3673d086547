import { DomainException } from '../common/domain-exception';

export class LinkCodeInvalidException extends DomainException {
  constructor() {
    super(
      400,
      'link_code_invalid',
      'That link code is not valid: check it on your dashboard (it looks like ACDF-GHJK)',
    );
  }
}

export class LinkCodeExpiredException extends DomainException {
  constructor() {
    super(
      400,
      'link_code_expired',
      'That link code has expired or was already used: make a new one on your dashboard',
    );
  }
}

export class DeviceNotFoundException extends DomainException {
  constructor() {
    super(404, 'device_not_found', 'No such linked device');
  }
}
