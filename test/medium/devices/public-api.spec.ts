import supertest from 'supertest';
import { StatePoller } from '../../../src/queue/queue.poller';
import { startWorld, type World } from '../../support/world';

/** Device linking and the public read API, over HTTP against the simulator. */
describe('linked devices and /api/public/v1', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld({
      seed: 4,
      catalogSize: 20,
      users: [
        { name: 'alice', rank: 1 },
        { name: 'boss', rank: 3 },
      ],
      config: { bot_names: ['KrytenBot'] },
    });
  });
  afterEach(async () => {
    await w.close();
  });

  /** A device: no cookie, no Origin. */
  const device = () => supertest(w.t.app.getHttpServer());

  async function linkedKey(user = 'alice', name = 'Overlay'): Promise<{ key: string; id: number }> {
    const code = await w.http().post('/user/devices/code').set('Cookie', w.cookie(user)).expect(200);
    expect(code.body.code).toMatch(/^[234679ACDEFGHJKMNPQRTUVWXYZ]{4}-[234679ACDEFGHJKMNPQRTUVWXYZ]{4}$/);
    expect(code.body.expires_in).toBe(600);
    const linked = await device()
      .post('/api/public/v1/link')
      .send({ code: code.body.code.toLowerCase(), name })
      .expect(200);
    expect(linked.body.api_key).toMatch(/^wqk_[A-Za-z0-9]{32}$/);
    return { key: linked.body.api_key as string, id: linked.body.device.id as number };
  }

  it('links a device with a one-time code and serves the queue, now playing and events to its key', async () => {
    const { key } = await linkedKey();
    const { items } = await w.ctl.catalog(0, 5);
    await w.ctl.queueAsOther({ token: items[0].friendly_token, temp: false, queueby: 'KrytenBot' });
    await w.ctl.queueAsOther({ token: items[1].friendly_token, temp: false, queueby: 'KrytenBot' });
    await w.ctl.advance(1);
    await w.t.get(StatePoller).tick();

    const auth = { Authorization: `Bearer ${key}` };
    const queue = await device().get('/api/public/v1/queue').set(auth).expect(200);
    expect(queue.body.items.length).toBeGreaterThanOrEqual(2);
    expect(queue.body.items[0]).toMatchObject({
      position: 0,
      is_now_playing: true,
      requester: 'Channel',
      tier: 'Channel',
    });
    expect(queue.body.items[1].eta).toEqual(expect.any(String));
    expect(JSON.stringify(queue.body)).not.toMatch(/z_cost|request_id|balance/);
    const current = await device().get('/api/public/v1/current').set(auth).expect(200);
    expect(current.body.now_playing).toMatchObject({ uid: queue.body.items[0].uid, requester: 'Channel' });
    expect((await device().get('/api/public/v1/events').set(auth).expect(200)).body).toEqual({ events: [] });

    const mine = await w.http().get('/user/devices').set('Cookie', w.cookie('alice')).expect(200);
    expect(mine.body).toEqual([
      expect.objectContaining({
        name: 'Overlay',
        username: 'alice',
        key_hint: key.slice(0, 8),
        revoked_at: null,
      }),
    ]);
    expect(JSON.stringify(mine.body)).not.toContain(key);
    expect(mine.body[0].last_used_at).not.toBeNull();
  });

  it('codes are single use and expire after 10 minutes; bad codes are 400 in words', async () => {
    const code = (await w.http().post('/user/devices/code').set('Cookie', w.cookie('alice')).expect(200)).body
      .code as string;
    await device().post('/api/public/v1/link').send({ code }).expect(200);
    const again = await device().post('/api/public/v1/link').send({ code }).expect(400);
    expect(again.body).toMatchObject({
      code: 'link_code_expired',
      detail: expect.stringMatching(/expired or was already used/),
    });

    const late = (await w.http().post('/user/devices/code').set('Cookie', w.cookie('alice')).expect(200)).body
      .code as string;
    w.clock.advance(10 * 60_000 + 1);
    expect((await device().post('/api/public/v1/link').send({ code: late }).expect(400)).body.code).toBe(
      'link_code_expired',
    );
    expect(
      (await device().post('/api/public/v1/link').send({ code: 'OOOO-0000' }).expect(400)).body.code,
    ).toBe('link_code_invalid');
    expect((await device().post('/api/public/v1/link').send({}).expect(400)).body.detail).toMatch(
      /code is required/,
    );
  });

  it('401 with WWW-Authenticate without a key or with a revoked one; viewer and admin can revoke', async () => {
    const none = await device().get('/api/public/v1/queue').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="webqueue"');
    expect(none.body).toMatchObject({
      code: 'device_key_required',
      detail: expect.stringContaining('link this device'),
    });
    const junk = await device().get('/api/public/v1/queue').set('Authorization', 'Bearer nope').expect(401);
    expect(junk.headers['www-authenticate']).toContain('error="invalid_token"');

    const a = await linkedKey('alice', 'TV');
    const b = await linkedKey('alice', 'Phone');
    // a viewer cannot touch another viewer's device
    await w.http().delete(`/user/devices/${a.id}`).set('Cookie', w.cookie('boss', 3)).expect(404);
    await w.http().delete(`/user/devices/${a.id}`).set('Cookie', w.cookie('alice')).expect(200);
    const revoked = await device()
      .get('/api/public/v1/current')
      .set('Authorization', `Bearer ${a.key}`)
      .expect(401);
    expect(revoked.headers['www-authenticate']).toContain('revoked');
    const all = await w.http().get('/admin/devices').set('Cookie', w.cookie('boss', 3)).expect(200);
    expect(all.body.map((d: { name: string }) => d.name)).toEqual(['Phone', 'TV']);
    await w.http().get('/admin/devices').set('Cookie', w.cookie('alice')).expect(403);
    const byAdmin = await w
      .http()
      .delete(`/admin/devices/${b.id}`)
      .set('Cookie', w.cookie('boss', 3))
      .expect(200);
    expect(byAdmin.body.revoked_at).not.toBeNull();
    await device().get('/api/public/v1/current').set('Authorization', `Bearer ${b.key}`).expect(401);
    await w.http().delete('/admin/devices/abc').set('Cookie', w.cookie('boss', 3)).expect(400);
  });

  it('rate-limits each key, and link attempts per address', async () => {
    const { key } = await linkedKey();
    const auth = { Authorization: `Bearer ${key}` };
    for (let i = 0; i < 120; i++) await device().get('/api/public/v1/events').set(auth).expect(200);
    const limited = await device().get('/api/public/v1/events').set(auth).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    w.clock.advance(61_000);
    await device().get('/api/public/v1/events').set(auth).expect(200);

    for (let i = 0; i < 10; i++) {
      await device().post('/api/public/v1/link').send({ code: 'ACDF-GHJK' }).expect(400);
    }
    expect(
      (await device().post('/api/public/v1/link').send({ code: 'ACDF-GHJK' }).expect(429)).body.code,
    ).toBe('rate_limited');
  });
});
