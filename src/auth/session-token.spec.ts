import { signSession, verifySession } from './session-token';

const SECRET = 'a-secret-key-that-is-long-enough-0123456789';
const OTHER = 'another-secret-key-that-is-long-enough-98765';
const NOW = Date.UTC(2026, 11, 3, 12);
const HOUR = 3600_000;

describe('session tokens', () => {
  const token = signSession({ username: 'alice', rank: 2 }, SECRET, NOW, 24);

  it('verifies its own token, again and again, with the claims it was given', () => {
    for (let i = 0; i < 2; i++) {
      const check = verifySession(token, SECRET, NOW + HOUR);
      expect(check).toMatchObject({ ok: true, claims: { sub: 'alice', rank: 2 } });
    }
  });

  it('refuses a token verified before when asked with another secret, or tampered with', () => {
    verifySession(token, SECRET, NOW);
    expect(verifySession(token, OTHER, NOW)).toEqual({ ok: false, reason: 'invalid' });
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), rank: 3 }),
    );
    expect(verifySession(`${header}.${forged.toString('base64url')}.${signature}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verifySession(`${token}x`, SECRET, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifySession(undefined, SECRET, NOW)).toEqual({ ok: false, reason: 'missing' });
  });

  it('expires a token verified before once its time is up', () => {
    expect(verifySession(token, SECRET, NOW + 23 * HOUR).ok).toBe(true);
    expect(verifySession(token, SECRET, NOW + 24 * HOUR)).toEqual({ ok: false, reason: 'expired' });
  });

  it('hands out claims no caller can change for the next', () => {
    const check = verifySession(token, SECRET, NOW);
    if (!check.ok) throw new Error('not verified');
    expect(() => {
      (check.claims as { rank: number }).rank = 3;
    }).toThrow(TypeError);
    expect(verifySession(token, SECRET, NOW)).toMatchObject({ claims: { rank: 2 } });
  });
});
