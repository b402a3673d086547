import { World } from './world';

const base = 'http://127.0.0.1:1';
const manifest = (token: string): string => `${base}/api/v1/media/cytube/${token}.json?format=json`;

function setup() {
  const world = new World({ seed: 5, catalogSize: 50 });
  const tokens = world.mediacms
    .all()
    .filter((i) => i.duration > 0)
    .map((i) => i.friendly_token);
  return { world, tokens };
}

describe('World', () => {
  it('adds catalog items through the manifest, with the manifest title and duration', () => {
    const { world, tokens } = setup();
    const item = world.mediacms.get(tokens[0]);
    const res = world.playlistAdd({ type: 'cm', id: manifest(tokens[0]), position: 'end', temp: true });
    expect(res).toEqual({ status: 200, body: { success: true, uid: 100 } });
    expect(world.channel.items[0]).toMatchObject({
      uid: 100,
      temp: true,
      queueby: 'KrytenBot',
      media: { id: manifest(tokens[0]), type: 'cm', seconds: item?.duration },
    });
  });

  it('answers queueFail for unknown tokens, watch URLs, unknown types and bad YouTube ids', () => {
    const { world } = setup();
    expect(world.playlistAdd({ type: 'cm', id: manifest('NoSuchTok') })).toEqual({
      status: 422,
      body: { detail: 'Expected HTTP 200 OK, not 500 Internal Server Error' },
    });
    expect(world.playlistAdd({ type: 'cm', id: `${base}/view?m=abc` }).body).toEqual({
      detail: 'Expected HTTP 200 OK, not 302 Found',
    });
    expect(world.playlistAdd({ type: 'zz', id: 'x' }).body).toEqual({ detail: "Unknown media type 'zz'" });
    expect(world.playlistAdd({ type: 'yt', id: 'short' }).status).toBe(422);
    expect(world.playlistAdd({ type: 'yt', id: 'dQw4w9WgXcQ' }).status).toBe(200);
  });

  it('answers 504 for a bad position and adds nothing', () => {
    const { world, tokens } = setup();
    expect(world.playlistAdd({ type: 'cm', id: manifest(tokens[0]), position: 'top' })).toEqual({
      status: 504,
      body: { detail: 'Robot command timed out' },
    });
    expect(world.channel.items).toEqual([]);
  });

  it('holds fire-and-forget commands until the next advance, in order', () => {
    const { world, tokens } = setup();
    world.playlistAdd({ type: 'cm', id: manifest(tokens[0]) });
    world.playlistAdd({ type: 'cm', id: manifest(tokens[1]) });
    world.playlistAdd({ type: 'cm', id: manifest(tokens[2]) });
    world.enqueue({ kind: 'move', uid: 102, after: 100 });
    world.enqueue({ kind: 'delete', uid: 999 });
    world.enqueue({
      kind: 'pm',
      username: 'Alice',
      message: 'Your login code: 000123 (expires in 5 minutes)',
    });
    expect(world.channel.items.map((i) => i.uid)).toEqual([100, 101, 102]);
    expect(world.pms).toEqual([]);
    world.advance(0);
    expect(world.channel.items.map((i) => i.uid)).toEqual([100, 102, 101]);
    expect(world.pms).toEqual([expect.objectContaining({ to: 'Alice', delivered: false })]);
  });

  it('turns manifest faults into CyTube errors, and a slow manifest into a 504 plus a late add', () => {
    const { world, tokens } = setup();
    world.faults.set([{ path: '/api/v1/media/cytube/', status: 404, times: 1 }]);
    expect(world.playlistAdd({ type: 'cm', id: manifest(tokens[0]) }).body).toEqual({
      detail: 'Expected HTTP 200 OK, not 404 Not Found',
    });
    world.faults.set([{ path: '/api/v1/media/cytube/*', latency_ms: 9000, times: 1 }]);
    expect(world.playlistAdd({ type: 'cm', id: manifest(tokens[0]) }).status).toBe(504);
    expect(world.channel.items).toEqual([]);
    world.advance(0);
    expect(world.channel.items).toHaveLength(1);
  });

  it('applies the optional rate limiter (burst 10, then 500 ms apart)', () => {
    const world = new World({ seed: 5, catalogSize: 0, rateLimit: true });
    for (let i = 0; i < 10; i++) {
      expect(world.playlistAdd({ type: 'yt', id: `abcdefghij${i}` }).status).toBe(200);
    }
    expect(world.playlistAdd({ type: 'yt', id: 'abcdefghijX' }).body).toEqual({
      detail: 'You are adding videos too quickly',
    });
    world.advance(500);
    expect(world.playlistAdd({ type: 'yt', id: 'abcdefghijY' }).status).toBe(200);
  });

  it('resets to the same world for the same seed', () => {
    const { world, tokens } = setup();
    world.playlistAdd({ type: 'cm', id: manifest(tokens[0]) });
    world.users.join('bob');
    world.reset(5);
    expect(world.channel.items).toEqual([]);
    expect(world.users.list()).toEqual([]);
    expect(world.mediacms.all().map((i) => i.friendly_token)).toEqual(
      setup()
        .world.mediacms.all()
        .map((i) => i.friendly_token),
    );
  });
});

describe('Users', () => {
  it('answers /state/user exactly for online, AFK and gone users, case-sensitively', () => {
    const { world } = setup();
    world.users.join('TacoBelmont', 2);
    expect(world.users.lookup('TacoBelmont')).toEqual({
      name: 'TacoBelmont',
      rank: 2,
      profile: expect.any(Object),
      meta: expect.objectContaining({ afk: false }),
    });
    expect(world.users.lookup('TacoBelmont')).not.toHaveProperty('online');
    world.users.patch('TacoBelmont', { afk: true });
    expect(world.users.lookup('TacoBelmont')).toMatchObject({ meta: { afk: true } });
    expect(world.users.lookup('tacobelmont')).toEqual({ username: 'tacobelmont', rank: 0, online: false });
    world.users.leave('TacoBelmont');
    expect(world.users.lookup('TacoBelmont')).toEqual({ username: 'TacoBelmont', rank: 0, online: false });
  });
});

describe('Faults', () => {
  it('matches by method and prefix or glob, honours times and rate', () => {
    const { world } = setup();
    world.faults.set([
      { method: 'POST', path: '/api/v1/playlist/add', status: 500, times: 2 },
      { path: '/api/v1/state/*/x', status: 503 },
      { path: '/api/v1/economy', status: 502, rate: 0 },
    ]);
    expect(world.faults.match('GET', '/api/v1/playlist/add')).toBeNull();
    expect(world.faults.match('POST', '/api/v1/playlist/add')?.status).toBe(500);
    expect(world.faults.match('POST', '/api/v1/playlist/add')?.status).toBe(500);
    expect(world.faults.match('POST', '/api/v1/playlist/add')).toBeNull();
    expect(world.faults.match('GET', '/api/v1/state/user/x')?.status).toBe(503);
    expect(world.faults.match('GET', '/api/v1/state/user/y')).toBeNull();
    expect(world.faults.match('GET', '/api/v1/economy/balance/a')).toBeNull();
    expect(() => world.faults.set([{ path: '/x' }])).toThrow('a rule needs');
  });
});
