import { signSession } from '../../src/auth/session-token';
import type { TestApp } from './app';

/**
 * A `Cookie` header value for a logged-in user, signed with the test app's secret, for
 * tests of features behind ViewerOnly/AdminOnly. (The real login flow has its own tests.)
 */
export function sessionCookieFor(t: TestApp, username: string, rank = 1, nowMs = Date.now()): string {
  return `session=${signSession({ username, rank }, t.config.secret_key, nowMs, t.config.session_ttl_hours)}`;
}
