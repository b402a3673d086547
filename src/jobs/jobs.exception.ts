import { DomainException } from '../common/domain-exception';

export enum JobErrorCode {
  UnknownJob = 'unknown_job',
  InvalidParams = 'invalid_params',
  AlreadyRunning = 'already_running',
  NotRunning = 'not_running',
  NotCancellable = 'not_cancellable',
}

/** 404 `Unknown job: <name>`. */
export class UnknownJobException extends DomainException {
  constructor(name: string) {
    super(404, JobErrorCode.UnknownJob, `Unknown job: ${name}`);
  }
}

/** 400 with the validation errors joined by "; ". */
export class JobParamsException extends DomainException {
  constructor(message: string, errors: string[]) {
    super(400, JobErrorCode.InvalidParams, message, { errors });
  }
}

/** 409 `already_running`: the job (or, for catalog_sync, the catalog's own sync) is running. */
export class JobAlreadyRunningException extends DomainException {
  constructor(name: string) {
    super(409, JobErrorCode.AlreadyRunning, `Job ${name} is already running`, { reason: 'already_running' });
  }
}

/** 409 on cancel when the job is not running. */
export class JobNotRunningException extends DomainException {
  constructor(name: string) {
    super(409, JobErrorCode.NotRunning, `Job ${name} is not running`);
  }
}

/** 409 on cancel of a job that cannot stop part-way (catalog_sync). */
export class JobNotCancellableException extends DomainException {
  constructor(name: string) {
    super(409, JobErrorCode.NotCancellable, `Job ${name} cannot be cancelled; it stops on its own`);
  }
}

/**
 * An expected failure inside a job (a missing tool or setting, bad input found late): the run
 * is recorded `failed` with `{"error": message}` and no stack trace.
 */
export class JobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobError';
  }
}
