/**
 * Job manager rules: parameter validation against a job's
 * schema, the run-body reading of `POST /admin/jobs/:name/run`, failure messages, the progress
 * throttle and the one-line run summaries the dashboard shows. Pure functions only.
 */

export const JOB_PARAM_TYPES = ['string', 'int', 'float', 'bool', 'enum', 'playlist'] as const;
export type JobParamType = (typeof JOB_PARAM_TYPES)[number];

export type JobParamValue = string | number | boolean | null;
export type JobParams = Record<string, JobParamValue>;

export interface JobParamOption {
  value: string | number;
  label: string;
}

/** One schema field: `{name, type, default, label, required, options}`. */
export interface JobParamField {
  name: string;
  type: JobParamType;
  label: string;
  default?: JobParamValue;
  required?: boolean;
  /** enum: plain values or `{value, label}`; playlist: filled from the saved playlists. */
  options?: readonly (string | number | JobParamOption)[];
}

export type ParamsCheck = { ok: true; params: JobParams } | { ok: false; errors: string[]; message: string };

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function optionValue(option: string | number | JobParamOption): string | number {
  return typeof option === 'object' ? option.value : option;
}

/** `[best, good, medium]` as the "must be one of" message shows it. */
export function formatOptions(options: readonly (string | number | JobParamOption)[]): string {
  return `[${options.map((o) => String(optionValue(o))).join(', ')}]`;
}

type Coerced = { ok: true; value: JobParamValue } | { ok: false; error: string };

function parseNumber(value: unknown, integer: boolean): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return integer ? (Number.isInteger(value) ? value : null) : value;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const pattern = integer ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
  if (!pattern.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) && (!integer || Number.isSafeInteger(n)) ? n : null;
}

function coerce(field: JobParamField, value: unknown): Coerced {
  const invalid: Coerced = { ok: false, error: `${field.label} is invalid` };
  switch (field.type) {
    case 'int':
    case 'float': {
      const n = parseNumber(value, field.type === 'int');
      return n === null ? invalid : { ok: true, value: n };
    }
    case 'bool':
      if (typeof value === 'boolean') return { ok: true, value };
      if (typeof value === 'number') return { ok: true, value: value === 1 };
      if (typeof value === 'string') {
        return { ok: true, value: TRUE_WORDS.includes(value.trim().toLowerCase()) };
      }
      return invalid;
    case 'enum': {
      const options = field.options ?? [];
      const match = options.map(optionValue).find((o) => String(o) === String(value));
      return match === undefined || typeof value === 'object'
        ? { ok: false, error: `${field.label} must be one of ${formatOptions(options)}` }
        : { ok: true, value: match };
    }
    case 'playlist':
      // Passed through (the job checks the playlist exists); only scalars are accepted.
      return typeof value === 'string' || typeof value === 'number' ? { ok: true, value } : invalid;
    case 'string':
    default:
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? { ok: true, value: String(value) }
        : invalid;
  }
}

/**
 * Validates raw params against a schema: absent values (missing, null or "") take the default
 * (or fail "<label> is required"), present ones are coerced by type; unknown keys are dropped.
 * Every error is collected and the message joins them with "; ".
 */
export function validateParams(schema: readonly JobParamField[], raw: Record<string, unknown>): ParamsCheck {
  const params: JobParams = {};
  const errors: string[] = [];
  for (const field of schema) {
    const value = Object.hasOwn(raw, field.name) ? raw[field.name] : undefined;
    if (!isPresent(value)) {
      if (field.required) errors.push(`${field.label} is required`);
      else params[field.name] = field.default ?? null;
      continue;
    }
    const coerced = coerce(field, value);
    if (coerced.ok) params[field.name] = coerced.value;
    else errors.push(coerced.error);
  }
  return errors.length > 0 ? { ok: false, errors, message: errors.join('; ') } : { ok: true, params };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The raw params of a run request: `{params:{…}}`, else the body itself; anything else is none. */
export function paramsFromBody(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) return {};
  if (Object.hasOwn(body, 'params')) return isPlainObject(body.params) ? body.params : {};
  return body;
}

/** What a failed run records: an expected failure's clean message, else `Type: message`. */
export function failureMessage(err: unknown, expected: boolean): string {
  if (!(err instanceof Error)) return `Error: ${String(err)}`;
  if (expected) return err.message;
  const ctorName = (err.constructor as { name?: string } | undefined)?.name;
  const type = err.name && err.name !== 'Error' ? err.name : ctorName || 'Error';
  return err.message ? `${type}: ${err.message}` : type;
}

/** Milliseconds a progress write waits: 0 = write now, otherwise the rest of the gap. */
export function progressDelay(lastWriteMs: number | null, nowMs: number, gapMs: number): number {
  if (lastWriteMs === null) return 0;
  return Math.max(0, lastWriteMs + gapMs - nowMs);
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

const SUMMARY_KEYS = [
  'phase',
  'scanned',
  'matched',
  'committed',
  'would_enrich',
  'seen',
  'new',
  'updated',
  'gone',
  'errors',
  'skipped',
  'failed',
  'downloaded',
  'uploaded',
] as const;

/**
 * The dashboard's Detail column: the failure message for a failed run, otherwise a compact
 * `key: value` list of the counts in the detail (a sync's new/updated/gone, a scan's matched…).
 */
export function runSummary(status: RunStatus, detail: unknown): string {
  if (status === 'interrupted') return 'Interrupted by a restart';
  if (status === 'cancelled') return 'Cancelled';
  if (status === 'failed') {
    return isPlainObject(detail) && typeof detail.error === 'string' ? detail.error : 'Failed';
  }
  if (!isPlainObject(detail)) return status === 'running' ? 'Running…' : '';
  const parts: string[] = [];
  for (const key of SUMMARY_KEYS) {
    const v = detail[key];
    if (typeof v === 'number' || (typeof v === 'string' && v !== '')) parts.push(`${key}: ${v}`);
    else if (Array.isArray(v)) parts.push(`${key}: ${v.length}`);
  }
  if (detail.dry_run === true) parts.push('dry run');
  return parts.join(', ');
}

/** Parses a stored JSON text column; text that is not JSON comes back as the string. */
export function parseStoredJson(text: string | null): unknown {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
