import { DomainException } from '../common/domain-exception';

/** 423: a pay-to-play lock (pre-fire or event) is on. */
export class QueueLockedException extends DomainException {
  constructor(message: string, kind: string, extra: Record<string, unknown> = {}) {
    super(423, 'queue_locked', message, { lock: kind, ...extra });
  }
}

/** 409: the title is on the live playlist already (CyTube would refuse it); checked before any charge. */
export class AlreadyQueuedException extends DomainException {
  constructor() {
    super(409, 'already_queued', 'This title is already on the playlist', { charged: false });
  }
}

/**
 * 503: the economy gave no usable answer to the spend. Either it was refunded at once, or the
 * charge is unknown and the reconciler will refund it if it shows up in the economy's records.
 */
export class SpendUncertainException extends DomainException {
  constructor(refunded: boolean, requestId: string) {
    super(
      503,
      'spend_uncertain',
      refunded
        ? 'We could not confirm the payment, so it was refunded. Please try again.'
        : 'We could not confirm the charge. If it went through, it will be refunded automatically.',
      { refunded, charged: refunded ? true : 'unknown', request_id: requestId },
    );
  }
}

/**
 * 202: the purchase is taking longer than the deadline. It goes on in the background and ends
 * in a queued item or a refund; the viewer is told so instead of waiting on a gateway timeout.
 */
export class PurchaseStillWorkingException extends DomainException {
  constructor(requestId: string | null) {
    super(
      202,
      'purchase_pending',
      'Your purchase is taking longer than usual. It will appear in the queue, or be refunded automatically.',
      { pending: true, request_id: requestId },
    );
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

/** 404: the item is not (or no longer) in the live queue. */
export class NotInQueueException extends DomainException {
  constructor(uid: number) {
    super(404, 'not_in_queue', `Item ${uid} is not in the queue (it may have just played)`);
  }
}
