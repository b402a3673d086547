import { DomainException } from '../common/domain-exception';

/** 423: a pay-to-play lock (pre-fire or event) is on. */
export class QueueLockedException extends DomainException {
  constructor(message: string, kind: string) {
    super(423, 'queue_locked', message, { lock: kind });
  }
}

/** 400: the economy says this viewer can't queue now; `detail` and `code` are the error_code. */
export class PayUnavailableException extends DomainException {
  constructor(errorCode: string, extra: Record<string, unknown> = {}) {
    super(400, errorCode, errorCode, extra);
  }
}

/** 400: the insert failed (refunded when money had moved). `code` is the refund reason or cause. */
export class PayFailedException extends DomainException {
  constructor(detail: string, code: string, extra: Record<string, unknown> = {}) {
    super(400, code, detail, extra);
  }
}

/** 409: the same client_key is still being processed. */
export class PayInProgressException extends DomainException {
  constructor(requestId: string) {
    super(409, 'already_in_progress', 'This purchase is already in progress', { request_id: requestId });
  }
}

/** 503: the economy could not be reached (nothing was charged, or the charge was refunded). */
export class EconomyUnavailableException extends DomainException {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(503, 'economy_unavailable', detail, extra);
  }
}

/** 502: the preview answered without a price. */
export class NoCostException extends DomainException {
  constructor() {
    super(502, 'no_cost', 'Cost preview returned no cost value');
  }
}

/** 400: an item without a duration can't be priced by the economy. */
export class NoDurationException extends DomainException {
  constructor() {
    super(400, 'no_duration', 'This item has no duration and cannot be queued');
  }
}

/** 400 for admin modes and the like. */
export class BadQueueRequestException extends DomainException {
  constructor(detail: string, code = 'bad_request') {
    super(400, code, detail);
  }
}
