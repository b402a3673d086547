import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import { io, type Socket } from 'socket.io-client';
import supertest from 'supertest';
import { Clock, ManualClock } from '../../src/common/clock';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { LiveEvent } from '../../src/live/live.events';
import { LiveGateway } from '../../src/live/live.gateway';
import { LiveService } from '../../src/live/live.service';
import { createTestApp, type TestApp } from '../support/app';
import { loginThroughSim, sessionCookieFor } from '../support/auth';
import request from '../support/http';

/**
 * What a hostile or unlucky client meets at the edge: bodies that used to give 500s, the CSRF
 * rule, the security headers, sessions that follow logout and the live rank.
 */
let sim: RunningSimulator;
let ctl: SimControl;
let t: TestApp;
const clock = new ManualClock(Date.now());
const sockets: Socket[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, clock: 'manual', catalogSize: 20 });
  ctl = new SimControl(sim.url);
  await ctl.addUser({ name: 'Boss', rank: 3 });
  await ctl.addUser({ name: 'Viewer', rank: 1 });
  t = await createTestApp({
    configOverrides: { api_gate_url: sim.url, api_gate_token: sim.apiToken },
    override: (b) => b.overrideProvider(Clock).useValue(clock),
  });
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

afterAll(async () => {
  await t.close();
  await sim.close();
});

function nestedJson(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

function connect(cookie: string): Promise<Socket> {
  const socket = io(t.url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { cookie },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('queue_state', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('bodies no route should see are a 400 in words, never a 500', () => {
  const viewer = () => sessionCookieFor(t, 'Viewer', 1, clock.nowMs());
  const admin = () => sessionCookieFor(t, 'Boss', 3, clock.nowMs());

  it.each([
    ['anonymous', '/auth/otp/request', 'post', null],
    ['a viewer', '/queue/add', 'post', 'viewer'],
    ['an admin', '/admin/promos/config', 'put', 'admin'],
  ] as const)('2,000 levels of nesting as %s (%s)', async (_who, path, method, as) => {
    let req = request(t.url)[method](path).set('Content-Type', 'application/json');
    if (as) req = req.set('Cookie', as === 'viewer' ? viewer() : admin());
    const res = await req.send(nestedJson(2000));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      detail: 'Request body is nested too deeply (at most 12 levels)',
      code: 'bad_request',
      trace_id: expect.any(String),
    });
  });

  it('a constructor key on the promo settings is refused, and the settings are untouched', async () => {
    const before = (await request(t.url).get('/admin/promos/config').set('Cookie', admin())).body as unknown;
    const res = await request(t.url)
      .put('/admin/promos/config')
      .set('Cookie', admin())
      .set('Content-Type', 'application/json')
      .send('{"constructor":{"prototype":{"enabled":true}},"enabled":false}');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      detail: 'Request body may not use the key "constructor"',
      code: 'bad_request',
      trace_id: expect.any(String),
    });
    expect((await request(t.url).get('/admin/promos/config').set('Cookie', admin())).body).toEqual(before);
  });

  it('a body over the size limit is a 413 in words', async () => {
    const res = await request(t.url)
      .post('/auth/otp/request')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'x'.repeat(600 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      detail: 'Request body is too large',
      code: 'payload_too_large',
      trace_id: expect.any(String),
    });
  });

  it('a body in a charset nobody speaks is a 4xx, not a 500', async () => {
    const res = await request(t.url)
      .post('/auth/otp/request')
      .set('Content-Type', 'application/json; charset=klingon')
      .send('{"username":"x"}');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof res.body.detail).toBe('string');
  });
});

describe('CSRF and security headers', () => {
  it('refuses a state-changing request with neither Origin nor Referer, unless Sec-Fetch-Site says same-origin', async () => {
    const bare = await supertest(t.url).post('/auth/otp/request').send({ username: 'Viewer' });
    expect(bare.status).toBe(403);
    expect(bare.body).toEqual({
      detail: 'Refused: a request that changes something must come from this site (send an Origin header)',
      code: 'csrf_rejected',
      trace_id: expect.any(String),
    });
    const sameOrigin = await supertest(t.url)
      .post('/auth/otp/request')
      .set('Sec-Fetch-Site', 'same-origin')
      .send({ username: 'Viewer' });
    expect(sameOrigin.status).toBe(200);
    const crossSite = await supertest(t.url)
      .post('/auth/otp/request')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ username: 'Viewer' });
    expect(crossSite.status).toBe(403);
    // safe methods need nothing
    await supertest(t.url).get('/health').expect(200);
  });

  it('sends a CSP, no framing and nosniff on pages and APIs', async () => {
    for (const path of ['/auth/login', '/health']) {
      const res = await supertest(t.url).get(path);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});

describe('sessions follow logout and the live rank', () => {
  it('logout closes every socket of that session, and only those', async () => {
    const cookie = await loginThroughSim(t, ctl, 'Viewer');
    const other = await connect(sessionCookieFor(t, 'Viewer', 1, clock.nowMs()));
    const tab1 = await connect(cookie);
    const tab2 = await connect(cookie);
    const closed = Promise.all(
      [tab1, tab2].map(
        (s) => new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason))),
      ),
    );
    await request(t.url).post('/auth/logout').set('Cookie', cookie).expect(200);
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
    expect(other.connected).toBe(true);
    // and the cookie can't open a new one
    await expect(connect(cookie)).rejects.toMatchObject({ message: 'auth_error' });
  });

  it('a demoted admin loses show_hidden and the admin socket room within a minute', async () => {
    await ctl.updateUser('Boss', { rank: 3 });
    const cookie = sessionCookieFor(t, 'Boss', 3, clock.nowMs());
    expect((await request(t.url).get('/auth/me').set('Cookie', cookie)).body.rank).toBe(3);
    const socket = await connect(cookie);
    const sagaSteps: unknown[] = [];
    socket.on('saga_step', (e: unknown) => sagaSteps.push(e));
    const step = (id: string) =>
      t
        .get(EventEmitter2)
        .emit(LiveEvent.SagaStep, { request_id: id, username: 'x', state: 'spent', uid: null, title: null });
    const roundTrip = async () => {
      await t.get(LiveService).flush();
      await new Promise((resolve) => (socket.once('pong', resolve), socket.emit('ping')));
    };
    step('before');
    await roundTrip();
    expect(sagaSteps).toHaveLength(1);

    await ctl.updateUser('Boss', { rank: 1 });
    clock.advance(61_000); // past the live-rank cache
    expect((await request(t.url).get('/auth/me').set('Cookie', cookie)).body.rank).toBe(1);
    await request(t.url).get('/admin/economy/ledger').set('Cookie', cookie).expect(403);
    expect(await t.get(LiveGateway).tick()).toMatchObject({ removed: 0 }); // already out: the rank read said so
    step('after');
    await roundTrip();
    expect(sagaSteps).toHaveLength(1);
    expect(socket.connected).toBe(true); // still a viewer
  });

  it('the admin room re-check takes out a demoted admin whose rank nobody read yet', async () => {
    await ctl.updateUser('Boss', { rank: 3 });
    clock.advance(61_000);
    const cookie = sessionCookieFor(t, 'Boss', 3, clock.nowMs());
    await connect(cookie);
    await ctl.updateUser('Boss', { rank: 2 });
    clock.advance(61_000);
    expect(await t.get(LiveGateway).tick()).toEqual({ checked: 1, removed: 1 });
    expect(await t.get(LiveGateway).tick()).toEqual({ checked: 0, removed: 0 });
  });
});
