import { UpstreamAuthError, UpstreamRejectedError, type UpstreamService } from './kryten.errors';
import { type HttpTransport, type HttpResponse } from './kryten.http';
import { backoffMs } from './retry-after';

/** Waits (injected: tests never sleep for real). */
export type SleepFn = (ms: number) => Promise<void>;

/**
 * GET with the metadata services' 429 back-off: `Retry-After` honoured, otherwise doubling,
 * ≤ 60 s, 4 tries. 401 → UpstreamAuthError (our key), other non-2xx are returned for the client.
 */
export async function getWithBackoff(
  http: HttpTransport,
  service: UpstreamService,
  url: string,
  sleep: SleepFn,
  nowMs: () => number = Date.now,
): Promise<HttpResponse> {
  for (let attempt = 1; ; attempt++) {
    const res = await http.send({ method: 'GET', url });
    if (res.status === 429) {
      const wait = backoffMs(attempt, res.headers['retry-after'] ?? null, nowMs());
      if (wait === null) {
        throw new UpstreamRejectedError(service, 'rate limited (HTTP 429) after 4 tries', 429);
      }
      await sleep(wait);
      continue;
    }
    if (res.status === 401) {
      const body = res.body as { status_message?: unknown; Error?: unknown } | null;
      const why =
        typeof body?.status_message === 'string'
          ? body.status_message
          : typeof body?.Error === 'string'
            ? body.Error
            : 'HTTP 401';
      throw new UpstreamAuthError(service, why);
    }
    return res;
  }
}
