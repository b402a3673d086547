import request from './http';
import { signSession } from '../../src/auth/session-token';
import type { SimControl } from '../../sim/sim-control';
import type { TestApp } from './app';

/**
 * A `Cookie` header value for a logged-in user, signed with the test app's secret, for
 * tests of features behind ViewerOnly/AdminOnly. (The real login flow has its own tests.)
 * Admin routes also re-check the live rank with api-gate: the user must be in the simulator's
 * channel with rank ≥ 3 (`sim.addUser({name, rank: 3})`).
 */
export function sessionCookieFor(t: TestApp, username: string, rank = 1, nowMs = Date.now()): string {
  return `session=${signSession({ username, rank }, t.config.secret_key, nowMs, t.config.session_ttl_hours)}`;
}

/** The code in the newest login PM the simulator delivered to exactly `username`. */
export async function readLoginCode(sim: SimControl, username: string): Promise<string> {
  await sim.flush(); // PMs are fire-and-forget: the simulator applies them on flush/advance
  const pms = await sim.pms(username);
  const match = /Your login code: (\d{6}) \(expires in 5 minutes\)/.exec(pms.at(-1)?.message ?? '');
  if (!match) throw new Error(`no login code PM for ${username} (PMs: ${JSON.stringify(pms)})`);
  return match[1];
}

/**
 * The real login flow against the simulator: request a code, read the PM, verify. Returns the
 * `Cookie` header value (`session=...`). The app must point at the simulator (api_gate_url).
 */
export async function loginThroughSim(t: TestApp, sim: SimControl, username: string): Promise<string> {
  await request(t.url).post('/auth/otp/request').send({ username }).expect(200);
  const code = await readLoginCode(sim, username);
  const res = await request(t.url).post('/auth/otp/verify').send({ username, code }).expect(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const session = setCookie.find((c) => c.startsWith('session='));
  if (!session) throw new Error('verify set no session cookie');
  return session.split(';')[0];
}
