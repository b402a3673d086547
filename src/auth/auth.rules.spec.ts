import {
  AFTER_LOGIN_PATH,
  checkOrigin,
  cookieIsSecure,
  generateCode,
  hashCode,
  hashesEqual,
  isWellFormedCode,
  loginCodeMessage,
  normaliseCode,
  normaliseUsername,
  rankAtLogin,
  safeNextPath,
  usernameKey,
} from './auth.rules';

const SECRET = 'a-secret-that-is-long-enough-for-tests-0123';

describe('login codes', () => {
  it('are six digits, zero-padded, drawn over the whole range from secureInt', () => {
    const asked: number[] = [];
    expect(
      generateCode((max) => {
        asked.push(max);
        return 42;
      }),
    ).toBe('000042');
    expect(generateCode(() => 999_999)).toBe('999999');
    expect(generateCode(() => 0)).toBe('000000');
    expect(asked).toEqual([1_000_000]);
  });

  it('hash with the secret and the exact username, so the same code differs per user and per key', () => {
    const h = hashCode('TacoBelmont', '123456', SECRET);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain('123456');
    expect(hashCode('TacoBelmont', '123456', SECRET)).toBe(h);
    expect(hashCode('tacobelmont', '123456', SECRET)).not.toBe(h);
    expect(hashCode('TacoBelmont', '123457', SECRET)).not.toBe(h);
    expect(hashCode('TacoBelmont', '123456', `${SECRET}x`)).not.toBe(h);
  });

  it('compare hashes exactly (and safely for different lengths)', () => {
    const h = hashCode('a', '000001', SECRET);
    expect(hashesEqual(h, h)).toBe(true);
    expect(hashesEqual(h, hashCode('a', '000002', SECRET))).toBe(false);
    expect(hashesEqual(h, h.slice(1))).toBe(false);
  });

  it('read the message the old service sent', () => {
    expect(loginCodeMessage('012345')).toBe('Your login code: 012345 (expires in 5 minutes)');
  });
});

describe('input normalising', () => {
  it('trims usernames but keeps their case; blank or non-strings are null', () => {
    expect(normaliseUsername('  TacoBelmont ')).toBe('TacoBelmont');
    expect(normaliseUsername('   ')).toBeNull();
    expect(normaliseUsername(undefined)).toBeNull();
    expect(normaliseUsername(42)).toBeNull();
  });

  it('drops spaces and dashes from typed codes; only six digits are well formed', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('123-456')).toBe('123456');
    expect(normaliseCode('')).toBeNull();
    expect(normaliseCode(null)).toBeNull();
    expect(isWellFormedCode('123456')).toBe(true);
    expect(isWellFormedCode('12345')).toBe(false);
    expect(isWellFormedCode('12345a')).toBe(false);
    expect(isWellFormedCode('1234567')).toBe(false);
  });

  it('limits per username case-insensitively (CyTube delivers PMs that way)', () => {
    expect(usernameKey('TacoBelmont')).toBe(usernameKey('tacobelmont'));
  });
});

describe('rank at login', () => {
  it('is the live rank when online, 1 when the field is missing or the call failed, 0 when offline', () => {
    expect(rankAtLogin({ kind: 'online', rank: 3 })).toBe(3);
    expect(rankAtLogin({ kind: 'online', rank: 1.5 })).toBe(1.5);
    expect(rankAtLogin({ kind: 'online', rank: undefined })).toBe(1);
    expect(rankAtLogin({ kind: 'error' })).toBe(1);
    expect(rankAtLogin({ kind: 'offline' })).toBe(0);
  });
});

describe('checkOrigin (CSRF)', () => {
  const base = { host: 'queue.example:8443', secure: false, origin: undefined, referer: undefined };

  it('lets safe methods through whatever the headers say', () => {
    expect(checkOrigin({ ...base, method: 'GET', origin: 'https://evil.example' })).toBe('safe-method');
    expect(checkOrigin({ ...base, method: 'HEAD', origin: 'null' })).toBe('safe-method');
  });

  it('accepts its own origin and refuses any other', () => {
    expect(checkOrigin({ ...base, method: 'POST', origin: 'http://queue.example:8443' })).toBe('same-origin');
    expect(checkOrigin({ ...base, method: 'POST', origin: 'http://QUEUE.example:8443' })).toBe('same-origin');
    expect(checkOrigin({ ...base, method: 'DELETE', origin: 'https://evil.example' })).toBe('cross-site');
    expect(checkOrigin({ ...base, method: 'PUT', origin: 'http://queue.example' })).toBe('cross-site');
    expect(checkOrigin({ ...base, method: 'PATCH', origin: 'http://queue.example:8443.evil.example' })).toBe(
      'cross-site',
    );
  });

  it('refuses Origin: null and non-http origins', () => {
    expect(checkOrigin({ ...base, method: 'POST', origin: 'null' })).toBe('cross-site');
    expect(checkOrigin({ ...base, method: 'POST', origin: 'file://queue.example:8443' })).toBe('cross-site');
  });

  it('falls back to Referer only when Origin is absent', () => {
    expect(checkOrigin({ ...base, method: 'POST', referer: 'http://queue.example:8443/catalog' })).toBe(
      'same-origin',
    );
    expect(checkOrigin({ ...base, method: 'POST', referer: 'https://evil.example/x' })).toBe('cross-site');
    expect(
      checkOrigin({
        ...base,
        method: 'POST',
        origin: 'https://evil.example',
        referer: 'http://queue.example:8443/',
      }),
    ).toBe('cross-site');
  });

  it('with neither header, believes only Sec-Fetch-Site: same-origin', () => {
    expect(checkOrigin({ ...base, method: 'POST' })).toBe('no-header');
    expect(checkOrigin({ ...base, method: 'POST', fetchSite: 'same-origin' })).toBe('same-origin');
    expect(checkOrigin({ ...base, method: 'POST', fetchSite: 'Same-Origin' })).toBe('same-origin');
    expect(checkOrigin({ ...base, method: 'POST', fetchSite: 'same-site' })).toBe('no-header');
    expect(checkOrigin({ ...base, method: 'POST', fetchSite: 'cross-site' })).toBe('no-header');
    expect(checkOrigin({ ...base, method: 'POST', fetchSite: 'none' })).toBe('no-header');
    // an Origin always wins over Sec-Fetch-Site
    expect(
      checkOrigin({ ...base, method: 'POST', origin: 'https://evil.example', fetchSite: 'same-origin' }),
    ).toBe('cross-site');
  });

  it('over HTTPS, refuses an http:// origin on the same host', () => {
    const secure = { ...base, secure: true };
    expect(checkOrigin({ ...secure, method: 'POST', origin: 'http://queue.example:8443' })).toBe(
      'cross-site',
    );
    expect(checkOrigin({ ...secure, method: 'POST', origin: 'https://queue.example:8443' })).toBe(
      'same-origin',
    );
  });
});

describe('safeNextPath', () => {
  it('keeps same-site paths with their query', () => {
    expect(safeNextPath('/queue')).toBe('/queue');
    expect(safeNextPath('/catalog/search?q=alien&page=2')).toBe('/catalog/search?q=alien&page=2');
  });

  it.each([
    undefined,
    '',
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    '/auth/login',
    '/auth/login?next=/queue',
    '/a\nb',
  ])('sends %p to the catalog', (next) => {
    expect(safeNextPath(next)).toBe(AFTER_LOGIN_PATH);
  });
});

describe('cookieIsSecure', () => {
  it('follows cookie_secure, with auto meaning "only over HTTPS"', () => {
    expect(cookieIsSecure('always', false)).toBe(true);
    expect(cookieIsSecure('never', true)).toBe(false);
    expect(cookieIsSecure('auto', true)).toBe(true);
    expect(cookieIsSecure('auto', false)).toBe(false);
  });
});
