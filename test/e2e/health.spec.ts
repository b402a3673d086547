import { StatePoller } from '../../src/queue/queue.poller';
import { startWorld, type World } from '../support/world';

/** Liveness keeps the old shape; readiness reports every indicator and answers 503 when down. */
let w: World;

beforeEach(async () => {
  w = await startWorld({ catalogSize: 10 });
});
afterEach(() => w.close());

describe('health', () => {
  it('/health stays {status:"ok"} for liveness', async () => {
    expect((await w.http().get('/health').expect(200)).body).toEqual({
      status: 'ok',
      database: 'ok',
      instance: expect.any(String),
      leader: true,
    });
  });

  it('/health/ready is up with every indicator when the world is well', async () => {
    await w.t.get(StatePoller).tick();
    const res = await w.http().get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details).toEqual({
      database: { status: 'up' },
      api_gate: { status: 'up' },
      mediacms: { status: 'up', items: expect.any(Number) },
      feed: { status: 'up' },
      unfinished_sagas: { status: 'up', count: 0 },
    });
  });

  it('api-gate down and a stale feed make it 503 with the reasons; MediaCMS down only degrades it', async () => {
    await w.ctl.setFaults([{ method: 'GET', path: '/api/v1/manage_media', status: 502 }]);
    const degraded = await w.http().get('/health/ready').expect(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.details.mediacms).toMatchObject({
      status: 'degraded',
      message: expect.stringContaining('502'),
    });

    await w.ctl.setFaults([{ path: '/api/v1/', status: 503 }]);
    await w.t.get(StatePoller).tick(); // the feed goes stale
    const down = await w.http().get('/health/ready').expect(503);
    expect(down.body.status).toBe('error');
    expect(down.body.details.api_gate).toMatchObject({
      status: 'down',
      message: expect.stringContaining('503'),
    });
    expect(down.body.details.feed).toEqual({
      status: 'down',
      message: 'the playlist feed is stale: polls of api-gate are failing',
    });
    expect(down.body.details.database).toEqual({ status: 'up' });
    // liveness does not depend on the outside world
    await w.http().get('/health').expect(200);
  });
});
