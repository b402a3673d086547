import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The pure rules of logging in: code generation and hashing, input
 * normalising, the rank read at login, the same-origin check behind CSRF protection, and
 * where to send the browser afterwards. No Nest, no clock, no I/O.
 */

/** A code lives exactly this long. */
export const OTP_TTL_MS = 5 * 60 * 1000;
export const OTP_DIGITS = 6;
/**
 * Only the newest this-many unused, unexpired codes of a user are accepted: a second "Send code"
 * click still lets the user type the first PM they see, yet old codes die quickly.
 */
export const LIVE_CODES_PER_USER = 2;
/** CyTube names are at most 20 characters; the login field allows 50. */
export const USERNAME_MAX_LENGTH = 50;
/** Rank when api-gate answers without a rank, or fails. */
export const DEFAULT_RANK = 1;

/** A uniformly random, zero-padded 6-digit code from a CSPRNG-backed `secureInt(max)`. */
export function generateCode(secureInt: (max: number) => number): string {
  return String(secureInt(10 ** OTP_DIGITS)).padStart(OTP_DIGITS, '0');
}

/** HMAC-SHA256 (hex) of the code, keyed with secret_key and bound to the exact username. */
export function hashCode(username: string, code: string, secret: string): string {
  return createHmac('sha256', secret).update(`otp\u0000${username}\u0000${code}`).digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Trimmed username, or null when blank/not a string. Case is kept (CyTube names are case-sensitive). */
export function normaliseUsername(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.trim();
  return name === '' ? null : name;
}

/** Spaces and dashes people type or paste are dropped; null when blank. */
export function normaliseCode(raw: unknown): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const code = String(raw).replace(/[\s-]/g, '');
  return code === '' ? null : code;
}

export function isWellFormedCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/** The rate-limit key for a username: CyTube delivers PMs case-insensitively, so limits are too. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function loginCodeMessage(code: string): string {
  return `Your login code: ${code} (expires in 5 minutes)`;
}

/** What `/state/user` told us at login, as the rank rule needs it. */
export type PresenceReading =
  { kind: 'online'; rank: number | undefined } | { kind: 'offline' } | { kind: 'error' };

/**
 * The rank put into the session at login: the live rank when online; 1 when
 * the field is missing or the call failed; 0 when api-gate says offline. (An admin who logs in
 * while offline is not stuck at 0 for admin work: AdminOnly re-reads the live rank.)
 */
export function rankAtLogin(reading: PresenceReading): number {
  switch (reading.kind) {
    case 'online':
      return typeof reading.rank === 'number' && Number.isFinite(reading.rank) ? reading.rank : DEFAULT_RANK;
    case 'offline':
      return 0;
    case 'error':
      return DEFAULT_RANK;
  }
}

export interface OriginCheckInput {
  method: string;
  origin: string | undefined;
  referer: string | undefined;
  /** The request's own `host[:port]` (Express `req.host`, which honours trusted proxies). */
  host: string | undefined;
  /** Whether the request arrived over HTTPS (`req.secure`). */
  secure: boolean;
  /** The browser's `Sec-Fetch-Site` header, if any. */
  fetchSite?: string | undefined;
}

export type OriginVerdict = 'safe-method' | 'no-header' | 'same-origin' | 'cross-site';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF rule: a state-changing request must show that it comes from our own origin. `Origin` is
 * used, or `Referer` when Origin is absent; `Origin: null` (sandboxed frames, some redirects) is
 * refused. With neither header, only `Sec-Fetch-Site: same-origin` (sent by every current
 * browser) lets it through; anything else is `no-header` and refused, so a client that strips
 * both headers can't ride on a viewer's cookie. Non-browser clients send an `Origin` of this site.
 */
export function checkOrigin(input: OriginCheckInput): OriginVerdict {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return 'safe-method';
  const source = input.origin ?? input.referer;
  if (source === undefined || source === '') {
    return input.fetchSite?.toLowerCase() === 'same-origin' ? 'same-origin' : 'no-header';
  }
  if (!input.host) return 'cross-site';
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return 'cross-site'; // includes the literal "null"
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'cross-site';
  if (input.secure && url.protocol !== 'https:') return 'cross-site';
  return url.host.toLowerCase() === input.host.toLowerCase() ? 'same-origin' : 'cross-site';
}

export const AFTER_LOGIN_PATH = '/catalog';

/**
 * A same-site path to go to after login, or the catalog. Only a path on this site is accepted
 * (no scheme, no `//host`, no backslash tricks, not the login page itself).
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return AFTER_LOGIN_PATH;
  if (next.includes('\\') || [...next].some((ch) => ch.charCodeAt(0) < 0x20)) return AFTER_LOGIN_PATH;
  let url: URL;
  try {
    url = new URL(next, 'http://same.invalid');
  } catch {
    return AFTER_LOGIN_PATH;
  }
  if (url.origin !== 'http://same.invalid') return AFTER_LOGIN_PATH;
  if (url.pathname === '/auth/login' || url.pathname.startsWith('/auth/')) return AFTER_LOGIN_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The Secure flag of the session cookie: config `cookie_secure`, or "auto" = only over HTTPS. */
export function cookieIsSecure(setting: 'auto' | 'always' | 'never', requestIsHttps: boolean): boolean {
  return setting === 'always' || (setting === 'auto' && requestIsHttps);
}
