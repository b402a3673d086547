import { LRUCache } from 'lru-cache';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** What a session says about its holder. */
export interface SessionUser {
  username: string;
  rank: number;
}

export interface SessionClaims {
  sub: string;
  rank: number;
  iat: number;
  exp: number;
  /** Token id, so one session can be revoked (logout) without touching others. */
  jti: string;
}

export type SessionCheck =
  { ok: true; claims: SessionClaims } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/**
 * An HS256 JWT `{sub, rank, iat, exp, jti}`, signed with secret_key. Written out here (node:crypto,
 * timing-safe compare, one fixed header) rather than with a JWT library: every caller — guards,
 * the page middleware, the socket handshake, a hundred test helpers — needs it synchronously, and
 * the maintained libraries (jose) are async only.
 */
export function signSession(user: SessionUser, secret: string, nowMs: number, ttlHours: number): string {
  const iat = Math.floor(nowMs / 1000);
  const claims: SessionClaims = {
    sub: user.username,
    rank: user.rank,
    iat,
    exp: iat + Math.round(ttlHours * 3600),
    jti: randomUUID(),
  };
  const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${body}.${sign(body, secret)}`;
}

/**
 * Tokens whose signature checked out, with the secret that checked it: a viewer's browser sends
 * the same token with every request, and its HMAC is the same every time. Expiry is checked on
 * every ask; revocation is the callers' (SessionRevocations). One per viewer of a busy channel.
 */
const VERIFIED = new LRUCache<string, { secret: string; claims: Readonly<SessionClaims> }>({ max: 5000 });

/** Verify signature, algorithm and expiry. Never throws. */
export function verifySession(token: string | undefined, secret: string, nowMs: number): SessionCheck {
  if (!token) return { ok: false, reason: 'missing' };
  const known = VERIFIED.get(token);
  if (known && known.secret === secret) {
    return known.claims.exp * 1000 <= nowMs
      ? { ok: false, reason: 'expired' }
      : { ok: true, claims: known.claims };
  }
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'invalid' };
  const [header, payload, signature] = parts;
  if (header !== HEADER) return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'invalid' };
  }
  let claims: SessionClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (
    typeof claims.sub !== 'string' ||
    typeof claims.rank !== 'number' ||
    typeof claims.exp !== 'number' ||
    typeof claims.jti !== 'string'
  ) {
    return { ok: false, reason: 'invalid' };
  }
  VERIFIED.set(token, { secret, claims: Object.freeze(claims) });
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

function sign(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
