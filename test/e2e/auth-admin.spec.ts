import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import request from '../support/http';
import { AdminOnly, CurrentUser, ViewerOnly } from '../../src/auth/auth.decorators';
import type { SessionUser } from '../../src/auth/session-token';
import { Clock, ManualClock } from '../../src/common/clock';
import { startSimulator, type RunningSimulator } from '../../sim/server';
import { SimControl } from '../../sim/sim-control';
import { createTestApp, type TestApp } from '../support/app';
import { loginThroughSim, sessionCookieFor } from '../support/auth';
import { testConfig } from '../support/config';

/** Routes of a made-up feature module, guarded the way every feature does it. */
@Controller('probe')
class ProbeController {
  @Get('admin')
  @AdminOnly()
  adminPage(@CurrentUser() user: SessionUser): SessionUser {
    return user;
  }

  @Post('admin')
  @HttpCode(200)
  @AdminOnly()
  adminAction(@CurrentUser() user: SessionUser): SessionUser {
    return user;
  }

  @Post('viewer')
  @HttpCode(200)
  @ViewerOnly()
  viewerAction(@CurrentUser() user: SessionUser): SessionUser {
    return user;
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

/** The whole app plus one extra feature module (the probe). */
function createProbeApp(config: ReturnType<typeof testConfig>, clock: Clock): Promise<TestApp> {
  return createTestApp({
    config,
    imports: [ProbeModule],
    override: (b) => b.overrideProvider(Clock).useValue(clock),
  });
}

describe('guards: viewer, admin with a live rank re-check, CSRF on a feature route', () => {
  let sim: RunningSimulator;
  let ctl: SimControl;
  let clock: ManualClock;
  let t: TestApp;

  beforeEach(async () => {
    sim = await startSimulator({ seed: 3, catalogSize: 10 });
    ctl = new SimControl(sim.url);
    await ctl.addUser({ name: 'Boss', rank: 3 });
    await ctl.addUser({ name: 'Viewer', rank: 1 });
    clock = new ManualClock(Date.UTC(2026, 5, 14, 12, 0, 0));
    t = await createProbeApp(
      testConfig({ api_gate_url: sim.url, api_gate_token: sim.apiToken, mediacms_url: sim.url }),
      clock,
    );
  });
  afterEach(async () => {
    await t.close();
    await sim.close();
  });

  it('viewer routes: 401 JSON without a session, the user with one', async () => {
    const anon = await request(t.url).post('/probe/viewer').expect(401);
    expect(anon.body).toEqual({
      detail: 'Not authenticated',
      code: 'not_authenticated',
      trace_id: expect.any(String),
    });
    const cookie = sessionCookieFor(t, 'Viewer', 1, clock.nowMs());
    expect((await request(t.url).post('/probe/viewer').set('Cookie', cookie).expect(200)).body).toEqual({
      username: 'Viewer',
      rank: 1,
    });
    const expired = sessionCookieFor(t, 'Viewer', 1, clock.nowMs() - 25 * 3600_000);
    expect((await request(t.url).post('/probe/viewer').set('Cookie', expired).expect(401)).body.detail).toBe(
      'Session expired',
    );
    expect(
      (await request(t.url).post('/probe/viewer').set('Cookie', 'session=forged.x.y').expect(401)).body
        .detail,
    ).toBe('Invalid session');
  });

  it('admin routes: 403 JSON for a viewer; a page redirects a viewer or anonymous browser to login', async () => {
    const viewer = sessionCookieFor(t, 'Viewer', 1, clock.nowMs());
    expect((await request(t.url).get('/probe/admin').set('Cookie', viewer).expect(403)).body).toEqual({
      detail: 'Admin required',
      code: 'admin_required',
      trace_id: expect.any(String),
    });
    const page = await request(t.url)
      .get('/probe/admin')
      .set('Cookie', viewer)
      .set('Accept', 'text/html')
      .expect(302);
    expect(page.headers.location).toBe('/auth/login?next=%2Fprobe%2Fadmin');
    const anon = await request(t.url).get('/probe/admin').set('Accept', 'text/html').expect(302);
    expect(anon.headers.location).toBe('/auth/login?next=%2Fprobe%2Fadmin');
  });

  it('a session rank of 3 is not enough: the live rank decides (a forged-looking viewer is refused)', async () => {
    const claimsAdmin = sessionCookieFor(t, 'Viewer', 3, clock.nowMs());
    await request(t.url).get('/probe/admin').set('Cookie', claimsAdmin).expect(403);
  });

  it('a demoted admin loses admin routes within 60 s', async () => {
    const cookie = await loginThroughSim(t, ctl, 'Boss');
    const before = await request(t.url).get('/no/such/page').set('Cookie', cookie).set('Accept', 'text/html');
    expect(before.text).toContain('href="/admin"');
    expect((await request(t.url).post('/probe/admin').set('Cookie', cookie).expect(200)).body).toEqual({
      username: 'Boss',
      rank: 3,
    });
    await ctl.updateUser('Boss', { rank: 1 });
    clock.advance(30_000);
    await request(t.url).post('/probe/admin').set('Cookie', cookie).expect(200); // cached rank
    clock.advance(31_000);
    const refused = await request(t.url).post('/probe/admin').set('Cookie', cookie).expect(403);
    expect(refused.body.code).toBe('admin_required');
    // still a viewer
    await request(t.url).post('/probe/viewer').set('Cookie', cookie).expect(200);
    // and the navbar (any page, here the 404 page) stops offering Admin
    const navbar = await request(t.url).get('/no/such/page').set('Cookie', cookie).set('Accept', 'text/html');
    expect(navbar.text).toContain('Boss');
    expect(navbar.text).not.toContain('href="/admin"');
  });

  it('an api-gate outage keeps the last known rank for 60 s, then refuses admin routes with 503', async () => {
    const cookie = await loginThroughSim(t, ctl, 'Boss');
    await ctl.setFaults([{ path: '/api/v1/state/user', status: 503 }]);
    clock.advance(59_000);
    await request(t.url).post('/probe/admin').set('Cookie', cookie).expect(200);
    clock.advance(2_000);
    const refused = await request(t.url).post('/probe/admin').set('Cookie', cookie).expect(503);
    expect(refused.body.code).toBe('admin_rank_unavailable');
    await ctl.setFaults([{ path: '/api/v1/state/user', drop: true }]);
    await request(t.url).post('/probe/admin').set('Cookie', cookie).expect(503);
    await ctl.clearFaults();
    await request(t.url).post('/probe/admin').set('Cookie', cookie).expect(200);
  });

  it('an admin who logged in while offline (rank 0) gets admin routes once seen in the channel', async () => {
    await ctl.removeUser('Boss');
    const cookie = await loginThroughSim(t, ctl, 'Boss');
    expect((await request(t.url).get('/auth/me').set('Cookie', cookie).expect(200)).body.rank).toBe(0);
    const offline = await request(t.url).get('/probe/admin').set('Cookie', cookie).expect(403);
    expect(offline.body.detail).toMatch(/in the CyTube channel/);
    await ctl.addUser({ name: 'Boss', rank: 3 });
    expect((await request(t.url).get('/probe/admin').set('Cookie', cookie).expect(200)).body.rank).toBe(3);
  });

  it('CSRF applies to every feature route: cross-site refused, same origin and header-less allowed', async () => {
    const cookie = sessionCookieFor(t, 'Viewer', 1, clock.nowMs());
    const evil = await request(t.url)
      .post('/probe/viewer')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example')
      .expect(403);
    expect(evil.body.code).toBe('csrf_rejected');
    await request(t.url).post('/probe/viewer').set('Cookie', cookie).set('Origin', t.url).expect(200);
    await request(t.url).post('/probe/viewer').set('Cookie', cookie).expect(200);
  });
});
