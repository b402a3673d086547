import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from '../support/http';
import { createTestApp, type TestApp } from '../support/app';
import { tempDir } from '../support/db';
import { captureLogs } from '../support/logs';

describe('the app edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /health with status ok and a database check', async () => {
    const res = await request(t.url).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok', instance: expect.any(String), leader: true });
  });

  it('answers an unknown API route with a JSON 404 {detail, code}', async () => {
    const res = await request(t.url).get('/api/nothing-here').set('Accept', 'application/json').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({
      detail: 'Cannot GET /api/nothing-here',
      code: 'not_found',
      trace_id: expect.any(String),
    });
  });

  it('answers an unknown page with the rendered HTML 404 page inside the layout', async () => {
    const res = await request(t.url).get('/no/such/page').set('Accept', 'text/html').expect(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Not found');
    expect(res.text).toContain('Channel-<span>Z</span>');
    expect(res.text).toMatch(/v\d+\.\d+\.\d+/); // footer version
    expect(res.text).not.toMatch(/at \w+ \(/); // no stack trace
  });

  it('refuses malformed JSON with a 400, not a 500', async () => {
    const res = await request(t.url)
      .post('/health')
      .set('Content-Type', 'application/json')
      .send('{"broken":')
      .expect(400);
    expect(res.body.code).toBe('bad_request');
  });

  it('serves static assets and redirects / to the login page when logged out', async () => {
    await request(t.url).get('/static/css/app.css').expect(200);
    const icon = await request(t.url).get('/favicon.ico').expect(301);
    expect(icon.headers.location).toBe('/static/favicon.svg');
    await request(t.url).get('/static/favicon.svg').expect(200);
    const res = await request(t.url).get('/').expect(302);
    expect(res.headers.location).toBe('/auth/login');
  });
});

describe('start-up with a bad config', () => {
  const root = join(__dirname, '..', '..');
  function start(configJson: string): { status: number | null; stderr: string } {
    const path = join(tempDir('wq-cfg-'), 'config.json');
    writeFileSync(path, configJson);
    const run = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/main.ts', '--config', path],
      { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } },
    );
    return { status: run.status, stderr: run.stderr };
  }

  it('stops with a non-zero exit and one message naming every bad key, without a stack trace', () => {
    const { status, stderr } = start(JSON.stringify({ secret_key: 'short', port: 'x' }));
    expect(status).toBe(2);
    expect(stderr).toContain('invalid configuration');
    expect(stderr).toMatch(/secret_key .*at least 32 characters/);
    expect(stderr).toMatch(/port \(got "x"\)/);
    expect(stderr).toMatch(/api_gate_token \(missing\)/);
    expect(stderr).toMatch(/mediacms_token \(missing\)/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('request ids and the access log', () => {
  it('echoes X-Request-Id, keeps a caller’s own, puts it in error bodies and logs one JSON line per request', async () => {
    // captured from before the start: the route-mapping lines at 'log' level stay out of the output
    const logs = captureLogs();
    const app = await createTestApp({ logLevels: ['error', 'warn', 'log'] });
    try {
      const ok = await request(app.url).get('/health').expect(200);
      expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const mine = await request(app.url)
        .get('/no/such/route')
        .set('X-Request-Id', 'nginx-4f2a9c01')
        .expect(404);
      expect(mine.headers['x-request-id']).toBe('nginx-4f2a9c01');
      expect(mine.body).toMatchObject({ code: 'not_found', trace_id: 'nginx-4f2a9c01' });
      const junk = await request(app.url).get('/health').set('X-Request-Id', 'x y <script>').expect(200);
      expect(junk.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      logs.restore();
      await app.close();
    }
    const access = logs
      .lines()
      .filter((l) => l.includes('"context":"Access"'))
      .map(
        (l) =>
          JSON.parse(l) as { message: { trace_id: string; method: string; path: string; status: number } },
      );
    expect(access.map((a) => [a.message.method, a.message.path, a.message.status])).toEqual([
      ['GET', '/health', 200],
      ['GET', '/no/such/route', 404],
      ['GET', '/health', 200],
    ]);
    expect(access[1].message.trace_id).toBe('nginx-4f2a9c01');
  });
});
