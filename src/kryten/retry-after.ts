/**
 * HTTP 429 back-off shared by the metadata clients: honour `Retry-After` (seconds or an HTTP
 * date), otherwise double from one second, never more than 60 s, at most 4 tries in all.
 * Pure: the caller sleeps.
 */

export const MAX_TRIES = 4;
export const MAX_WAIT_MS = 60_000;

/** Milliseconds to wait before try `attempt + 1` (attempt counts from 1), or null to give up. */
export function backoffMs(attempt: number, retryAfter: string | null, nowMs: number): number | null {
  if (attempt >= MAX_TRIES) return null;
  const fallback = Math.min(MAX_WAIT_MS, 1000 * 2 ** (attempt - 1));
  if (retryAfter === null || retryAfter.trim() === '') return fallback;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.min(MAX_WAIT_MS, Math.max(0, seconds * 1000));
  const date = Date.parse(retryAfter);
  if (Number.isFinite(date)) return Math.min(MAX_WAIT_MS, Math.max(0, date - nowMs));
  return fallback;
}
