import type { Response as HttpResponse } from 'supertest';
import supertest from 'supertest';
import request from '../support/http';
import { DataSource } from 'typeorm';
import { AuthCleanupService } from '../../src/auth/auth-cleanup.service';
import { OtpEntity } from '../../src/auth/entities/otp.entity';
import { RevokedSessionEntity } from '../../src/auth/entities/revoked-session.entity';
import { Clock, ManualClock } from '../../src/common/clock';
import { RandomSource } from '../../src/common/random';
import { startSimulator, type RunningSimulator } from '../../sim/server';
import { SimControl } from '../../sim/sim-control';
import { createTestApp, type TestApp } from '../support/app';
import { loginThroughSim, readLoginCode, sessionCookieFor } from '../support/auth';
import { testConfig } from '../support/config';

const MIN = 60_000;

function cookieOf(res: HttpResponse): string {
  const all = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const session = all.find((c) => c.startsWith('session='));
  if (!session) throw new Error('no session cookie');
  return session;
}

describe('login by one-time code (against the simulator)', () => {
  let sim: RunningSimulator;
  let ctl: SimControl;
  let clock: ManualClock;
  let t: TestApp;

  async function startApp(overrides: Record<string, unknown> = {}): Promise<TestApp> {
    const config = testConfig({
      api_gate_url: sim.url,
      api_gate_token: sim.apiToken,
      mediacms_url: sim.url,
      ...overrides,
    });
    return createTestApp({ config, override: (b) => b.overrideProvider(Clock).useValue(clock) });
  }
  const origin = (): string => t.url;
  const ask = (username: string) => request(t.url).post('/auth/otp/request').send({ username });
  const verify = (username: string, code: string) =>
    request(t.url).post('/auth/otp/verify').send({ username, code });

  beforeEach(async () => {
    sim = await startSimulator({ seed: 7, catalogSize: 10 });
    ctl = new SimControl(sim.url);
    await ctl.addUser({ name: 'TacoBelmont', rank: 1 });
    clock = new ManualClock(Date.UTC(2026, 5, 14, 12, 0, 0));
    t = await startApp();
  });
  afterEach(async () => {
    await t.close();
    await sim.close();
  });

  it('request → PM → verify → cookie works → logout → the same cookie is refused', async () => {
    const asked = await ask('TacoBelmont').expect(200);
    expect(asked.body).toEqual({ success: true });
    await ctl.flush();
    const pms = await ctl.pms('TacoBelmont');
    expect(pms).toHaveLength(1);
    expect(pms[0].message).toMatch(/^Your login code: \d{6} \(expires in 5 minutes\)$/);
    const code = await readLoginCode(ctl, 'TacoBelmont');

    const verified = await verify('TacoBelmont', code).expect(200);
    expect(verified.body).toEqual({ success: true, username: 'TacoBelmont', rank: 1 });
    const setCookie = cookieOf(verified);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Max-Age=86400/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i); // plain HTTP, cookie_secure "auto"
    const cookie = setCookie.split(';')[0];

    expect((await request(t.url).get('/auth/me').set('Cookie', cookie).expect(200)).body).toEqual({
      username: 'TacoBelmont',
      rank: 1,
    });
    expect((await request(t.url).get('/user/profile').set('Cookie', cookie).expect(200)).body).toEqual({
      username: 'TacoBelmont',
      rank: 1,
      online: true,
    });
    expect((await request(t.url).get('/').set('Cookie', cookie).expect(302)).headers.location).toBe(
      '/catalog',
    );

    const out = await request(t.url)
      .post('/auth/logout')
      .set('Cookie', cookie)
      .set('Origin', origin())
      .expect(200);
    expect(out.body).toEqual({ success: true });
    expect(cookieOf(out)).toMatch(/session=;/);

    const refused = await request(t.url).get('/auth/me').set('Cookie', cookie).expect(401);
    expect(refused.body).toEqual({
      detail: 'Invalid session',
      code: 'not_authenticated',
      trace_id: expect.any(String),
    });
    await request(t.url).post('/auth/logout').set('Cookie', cookie).expect(401);
    // pages treat the revoked cookie as anonymous
    expect((await request(t.url).get('/').set('Cookie', cookie).expect(302)).headers.location).toBe(
      '/auth/login',
    );
    // the code was single use
    await verify('TacoBelmont', code).expect(401);
  });

  it('a logout survives a restart (the denylist is in the database)', async () => {
    const cookie = await loginThroughSim(t, ctl, 'TacoBelmont');
    await request(t.url).post('/auth/logout').set('Cookie', cookie).expect(200);
    const config = t.config;
    await t.close();
    t = await createTestApp({ config, override: (b) => b.overrideProvider(Clock).useValue(clock) });
    await request(t.url).get('/auth/me').set('Cookie', cookie).expect(401);
  });

  it('draws the code from the injected RandomSource.secureInt and stores only a hash', async () => {
    await t.close();
    const pinned = Object.assign(new RandomSource(), {
      secureInt: (max: number) => (max === 1_000_000 ? 4242 : 0),
    });
    const config = testConfig({ api_gate_url: sim.url, api_gate_token: sim.apiToken });
    t = await createTestApp({
      config,
      override: (b) =>
        b.overrideProvider(Clock).useValue(clock).overrideProvider(RandomSource).useValue(pinned),
    });
    await ask('TacoBelmont').expect(200);
    expect(await readLoginCode(ctl, 'TacoBelmont')).toBe('004242');
    const rows = await t.get(DataSource).getRepository(OtpEntity).find();
    expect(rows).toHaveLength(1);
    expect(rows[0].code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].code_hash).not.toContain('004242');
    expect(rows[0].expires_at.getTime() - rows[0].created_at.getTime()).toBe(5 * MIN);
  });

  it('answers the same for a name that does not exist, and refuses a blank one with 400', async () => {
    const known = await ask('TacoBelmont').expect(200);
    const unknown = await ask('NoSuchViewer').expect(200);
    expect(unknown.body).toEqual(known.body);
    await ctl.flush();
    expect((await ctl.pms('NoSuchViewer'))[0].delivered).toBe(false);

    expect((await ask('   ').expect(400)).body).toEqual({
      detail: 'username required',
      code: 'bad_request',
      trace_id: expect.any(String),
    });
    expect((await request(t.url).post('/auth/otp/request').send({}).expect(400)).body.detail).toBe(
      'username required',
    );
    expect((await verify('TacoBelmont', '').expect(400)).body.detail).toBe('username and code required');
    await ask('x'.repeat(51)).expect(400);
  });

  it('a failed PM gives 503 with a clear message, not a 500', async () => {
    await ctl.setFaults([{ method: 'POST', path: '/api/v1/chat/pm', status: 500 }]);
    const res = await ask('TacoBelmont').expect(503);
    expect(res.body.code).toBe('pm_failed');
    expect(res.body.detail).toMatch(/Could not send your login code/);
  });

  it('a code is good for exactly 5 minutes: 4:59 works, 5:00 does not', async () => {
    await ask('TacoBelmont').expect(200);
    const first = await readLoginCode(ctl, 'TacoBelmont');
    clock.advance(5 * MIN - 1000);
    await verify('TacoBelmont', first).expect(200);

    clock.advance(5 * MIN);
    await ask('TacoBelmont').expect(200);
    const second = await readLoginCode(ctl, 'TacoBelmont');
    clock.advance(5 * MIN);
    expect((await verify('TacoBelmont', second).expect(401)).body).toEqual({
      detail: 'Invalid or expired code',
      code: 'invalid_code',
      trace_id: expect.any(String),
    });
  });

  it('only the newest two codes count, and a login uses up every code of the user', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      await ask('TacoBelmont').expect(200);
      codes.push(await readLoginCode(ctl, 'TacoBelmont'));
      clock.advance(1000);
    }
    expect(new Set(codes).size).toBe(3);
    await verify('TacoBelmont', codes[0]).expect(401); // too old
    await verify('TacoBelmont', codes[1]).expect(200); // second newest still works
    await verify('TacoBelmont', codes[2]).expect(401); // burned by that login
  });

  it('the code is bound to the exact (case-sensitive) name', async () => {
    await ask('TacoBelmont').expect(200);
    const code = await readLoginCode(ctl, 'TacoBelmont');
    expect((await verify('tacobelmont', code)).status).toBe(401);
    expect((await verify('TacoBelmont', code)).status).toBe(200);
  });

  it('limits code requests to 3 per 5 minutes per username (any letter case), with Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      await ask('TacoBelmont').expect(200);
      clock.advance(10_000);
    }
    const refused = await ask('tacobelmont').expect(429);
    expect(refused.body).toEqual({
      detail: 'Too many OTP requests. Try again later.',
      code: 'rate_limited',
      retry_after_sec: 270,
      trace_id: expect.any(String),
    });
    expect(refused.headers['retry-after']).toBe('270');
    await ask('SomeoneElse').expect(200);
    clock.advance(270_000);
    await ask('TacoBelmont').expect(200);
  });

  it('limits code requests to 10 per 10 minutes per IP', async () => {
    for (let i = 0; i < 10; i++) await ask(`viewer${i}`).expect(200);
    const refused = await ask('viewer10').expect(429);
    expect(refused.body.retry_after_sec).toBe(600);
    expect(refused.headers['retry-after']).toBe('600');
    clock.advance(10 * MIN);
    await ask('viewer10').expect(200);
  });

  it('limits failed verifies to 20 per 10 minutes per IP', async () => {
    for (let u = 0; u < 5; u++) {
      for (let i = 0; i < 4; i++) await verify(`guess${u}`, '000000').expect(401);
    }
    const refused = await verify('guess9', '000000').expect(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(refused.body.retry_after_sec).toBe(600);
    expect(refused.headers['retry-after']).toBe('600');
  });

  it('stops a brute force of 1,000 guesses after 5 failures per name (even from 1,000 addresses)', async () => {
    // 1,000 HTTP round trips: allow more than the default 5 s on a busy machine
    await t.close();
    t = await startApp({ trusted_proxies: ['loopback'] });
    await ask('TacoBelmont').expect(200);
    const code = await readLoginCode(ctl, 'TacoBelmont');
    // fired 50 at a time, so concurrent guesses cannot slip past the limit either
    const statuses: Record<number, number> = {};
    const retryAfters = new Set<number>();
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, async (_, j) => {
          const i = batch * 50 + j;
          const guess = String(i).padStart(6, '0');
          const res = await fetch(`${t.url}/auth/otp/verify`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              origin: t.url,
              'x-forwarded-for': `10.1.${batch}.${j}`,
            },
            body: JSON.stringify({ username: 'TacoBelmont', code: guess === code ? '999999' : guess }),
          });
          return { status: res.status, body: (await res.json()) as { retry_after_sec?: number } };
        }),
      );
      for (const { status, body } of answers) {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 429) retryAfters.add(body.retry_after_sec ?? -1);
      }
    }
    expect(statuses).toEqual({ 401: 5, 429: 995 });
    expect([...retryAfters]).toEqual([300]); // the clock did not move: the whole window remains
    const late = await request(t.url)
      .post('/auth/otp/verify')
      .set('X-Forwarded-For', '10.9.9.9')
      .send({ username: 'TacoBelmont', code });
    expect(late.status).toBe(429);
    clock.advance(5 * MIN);
    // the lock has passed, but the real code was burned
    await request(t.url)
      .post('/auth/otp/verify')
      .set('X-Forwarded-For', '10.9.9.9')
      .send({ username: 'TacoBelmont', code })
      .expect(401);
  }, 30_000);

  it('ignores X-Forwarded-For without a trusted proxy', async () => {
    for (let i = 0; i < 10; i++) {
      await request(t.url)
        .post('/auth/otp/request')
        .set('X-Forwarded-For', `10.0.0.${i}`)
        .send({ username: `v${i}` })
        .expect(200);
    }
    await request(t.url)
      .post('/auth/otp/request')
      .set('X-Forwarded-For', '10.0.0.99')
      .send({ username: 'v10' })
      .expect(429);
  });

  it('honours X-Forwarded-For behind a configured trusted proxy', async () => {
    await t.close();
    t = await startApp({ trusted_proxies: ['loopback'] });
    for (let i = 0; i < 10; i++) {
      await request(t.url)
        .post('/auth/otp/request')
        .set('X-Forwarded-For', '10.0.0.1')
        .send({ username: `v${i}` })
        .expect(200);
    }
    await request(t.url)
      .post('/auth/otp/request')
      .set('X-Forwarded-For', '10.0.0.1')
      .send({ username: 'v10' })
      .expect(429);
    await request(t.url)
      .post('/auth/otp/request')
      .set('X-Forwarded-For', '10.0.0.2')
      .send({ username: 'v10' })
      .expect(200);
  });

  it('rank at login: live when online, 0 when offline, 1 when api-gate fails or gives no rank', async () => {
    await ctl.addUser({ name: 'Boss', rank: 3 });
    expect((await loginBody('Boss')).rank).toBe(3);
    expect((await loginBody('Gone')).rank).toBe(0);
    await ctl.setFaults([{ method: 'GET', path: '/api/v1/state/user/TacoBelmont', status: 500 }]);
    expect((await loginBody('TacoBelmont')).rank).toBe(1);
    await ctl.setFaults([
      { method: 'GET', path: '/api/v1/state/user/TacoBelmont', status: 200, body: { name: 'TacoBelmont' } },
    ]);
    clock.advance(5 * MIN); // past the per-username request window
    expect((await loginBody('TacoBelmont')).rank).toBe(1);
  });

  async function loginBody(username: string): Promise<{ username: string; rank: number }> {
    await ask(username).expect(200);
    const code = await readLoginCode(ctl, username);
    return (await verify(username, code).expect(200)).body as { username: string; rank: number };
  }

  it('/user/profile says offline when api-gate fails', async () => {
    const cookie = sessionCookieFor(t, 'TacoBelmont', 1, clock.nowMs());
    await ctl.setFaults([{ path: '/api/v1/state/user', drop: true }]);
    expect((await request(t.url).get('/user/profile').set('Cookie', cookie).expect(200)).body).toEqual({
      username: 'TacoBelmont',
      rank: 1,
      online: false,
    });
  });

  it('sets Secure when served over HTTPS behind a trusted proxy, or always with cookie_secure "always"', async () => {
    await t.close();
    t = await startApp({ trusted_proxies: ['loopback'] });
    await ask('TacoBelmont').expect(200);
    let code = await readLoginCode(ctl, 'TacoBelmont');
    const https = await request(t.url)
      .post('/auth/otp/verify')
      .set('X-Forwarded-Proto', 'https')
      .set('Origin', t.url.replace('http:', 'https:')) // the browser saw the HTTPS site
      .send({ username: 'TacoBelmont', code })
      .expect(200);
    expect(cookieOf(https)).toMatch(/; Secure/i);

    await t.close();
    t = await startApp({ cookie_secure: 'always' });
    await ask('TacoBelmont').expect(200);
    code = await readLoginCode(ctl, 'TacoBelmont');
    expect(cookieOf(await verify('TacoBelmont', code).expect(200))).toMatch(/; Secure/i);
  });

  describe('CSRF', () => {
    it('refuses a cross-site or Origin: null POST with 403 csrf_rejected; same origin passes, no header only with Sec-Fetch-Site: same-origin', async () => {
      const cookie = sessionCookieFor(t, 'TacoBelmont', 1, clock.nowMs());
      const evil = await supertest(t.url)
        .post('/auth/logout')
        .set('Cookie', cookie)
        .set('Origin', 'https://evil.example')
        .expect(403);
      expect(evil.body).toEqual({
        detail: 'Cross-site request refused',
        code: 'csrf_rejected',
        trace_id: expect.any(String),
      });
      await supertest(t.url).post('/auth/logout').set('Cookie', cookie).set('Origin', 'null').expect(403);
      await supertest(t.url)
        .post('/auth/logout')
        .set('Cookie', cookie)
        .set('Referer', 'https://evil.example/form.html')
        .expect(403);
      await supertest(t.url)
        .post('/auth/otp/request')
        .set('Origin', 'https://evil.example')
        .send({ username: 'x' })
        .expect(403);
      // the session was not logged out by any of those
      await supertest(t.url).get('/auth/me').set('Cookie', cookie).expect(200);
      await supertest(t.url).post('/auth/logout').set('Cookie', cookie).set('Origin', origin()).expect(200);
      const other = sessionCookieFor(t, 'TacoBelmont', 1, clock.nowMs());
      await supertest(t.url)
        .post('/auth/logout')
        .set('Cookie', other)
        .set('Referer', `${origin()}/queue`)
        .expect(200);
      const third = sessionCookieFor(t, 'TacoBelmont', 1, clock.nowMs());
      const bare = await supertest(t.url).post('/auth/logout').set('Cookie', third).expect(403);
      expect(bare.body.code).toBe('csrf_rejected');
      await supertest(t.url)
        .post('/auth/logout')
        .set('Cookie', third)
        .set('Sec-Fetch-Site', 'same-origin')
        .expect(200);
    });

    it('lets safe methods through whatever the Origin', async () => {
      await request(t.url).get('/auth/login').set('Origin', 'https://evil.example').expect(200);
    });
  });

  describe('the login page', () => {
    it('renders the form with the case warning and numeric code field', async () => {
      const res = await request(t.url).get('/auth/login').set('Accept', 'text/html').expect(200);
      expect(res.text).toContain('TacoBelmont ≠ tacobelmont');
      expect(res.text).toMatch(/id=['"]login-username['"]/);
      expect(res.text).toMatch(/autocapitalize=['"]off['"]/);
      expect(res.text).toMatch(/autocorrect=['"]off['"]/);
      expect(res.text).toMatch(/maxlength=['"]50['"]/);
      expect(res.text).toMatch(/inputmode=['"]numeric['"]/);
      expect(res.text).toContain('/static/js/login.js');
      expect(res.text).toMatch(/data-next=['"]\/catalog['"]/);
    });

    it('keeps a safe next path and drops an off-site one', async () => {
      const safe = await request(t.url).get('/auth/login?next=%2Fqueue%3Fx%3D1').expect(200);
      expect(safe.text).toMatch(/data-next=['"]\/queue\?x(=|&#x3D;)1['"]/);
      const evil = await request(t.url).get('/auth/login?next=https%3A%2F%2Fevil.example%2F').expect(200);
      expect(evil.text).toMatch(/data-next=['"]\/catalog['"]/);
      expect(evil.text).not.toContain('evil.example');
    });

    it('sends a logged-in user to the catalog', async () => {
      const cookie = sessionCookieFor(t, 'TacoBelmont', 1, clock.nowMs());
      const res = await request(t.url).get('/auth/login').set('Cookie', cookie).expect(302);
      expect(res.headers.location).toBe('/catalog');
    });

    it('a page behind ViewerOnly redirects an anonymous browser to the login page', async () => {
      const res = await request(t.url).get('/auth/me').set('Accept', 'text/html').expect(302);
      expect(res.headers.location).toBe('/auth/login?next=%2Fauth%2Fme');
    });
  });

  it('hourly cleanup deletes expired and used codes and old revocations', async () => {
    const cookie = await loginThroughSim(t, ctl, 'TacoBelmont');
    await ask('TacoBelmont').expect(200); // one live code
    await request(t.url).post('/auth/logout').set('Cookie', cookie).expect(200);
    const db = t.get(DataSource);
    const cleanup = t.get(AuthCleanupService);

    let summary = await cleanup.tick();
    expect(summary).toMatchObject({ otps_deleted: 1, revocations_deleted: 0 }); // the used code
    expect(await db.getRepository(OtpEntity).count()).toBe(1);

    clock.advance(5 * MIN);
    summary = await cleanup.tick();
    expect(summary.otps_deleted).toBe(1);
    expect(await db.getRepository(OtpEntity).count()).toBe(0);
    expect(await db.getRepository(RevokedSessionEntity).count()).toBe(1);

    clock.advance(24 * 60 * MIN);
    summary = await cleanup.tick();
    expect(summary.revocations_deleted).toBe(1);
    expect(await db.getRepository(RevokedSessionEntity).count()).toBe(0);
  });
});
