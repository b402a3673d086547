/**
 * The throttle of bulk adds: `delay` between consecutive
 * items (not before the first); a 422 queueFail is retried up to `maxRetries` times, waiting
 * `retryDelay × attempt` before retry n; anything else is not retried.
 */
export interface BulkAddThrottle {
  delaySec: number;
  maxRetries: number;
}

/** Wait before item `index` (0-based), in ms. */
export function delayBeforeItem(index: number, throttle: BulkAddThrottle): number {
  return index === 0 ? 0 : Math.round(throttle.delaySec * 1000);
}

/** Wait before retry `attempt` (1-based) of a 422, in ms; null when retries are exhausted. */
export function delayBeforeRetry(attempt: number, throttle: BulkAddThrottle): number | null {
  if (attempt > throttle.maxRetries) return null;
  const retryDelaySec = throttle.delaySec || 0.5;
  return Math.round(retryDelaySec * attempt * 1000);
}
