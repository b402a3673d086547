import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import request from '../support/http';
import { tempDir } from '../support/db';

/**
 * The README's first command, for real: `npm run demo` builds, starts the simulator and
 * webqueue as two processes, seeds the world and echoes login codes. A viewer logs in with
 * the code printed on the console, browses the synced catalog, sees the channel playing,
 * and Ctrl-C (SIGINT) stops both processes.
 */
const root = join(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('npm run demo', () => {
  let demo: ChildProcess | undefined;
  let output = '';
  let url = '';
  let simUrl = '';

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-if-needed.js')], {
      cwd: root,
      stdio: 'ignore',
    });
    const [port, simPort] = [await freePort(), await freePort()];
    url = `http://127.0.0.1:${port}`;
    simUrl = `http://127.0.0.1:${simPort}`;
    demo = spawn(process.execPath, [join(root, 'dist', 'scripts', 'demo.js')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        SIM_PORT: String(simPort),
        DEMO_DIR: tempDir('wq-demo-'),
        DEMO_CATALOG_SIZE: '60',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually('the demo banner', () =>
      Promise.resolve(output.includes('demo is running') ? true : undefined),
    );
  }, 240_000);

  afterAll(() => {
    if (demo && demo.exitCode === null) demo.kill('SIGKILL');
  });

  it('prints the URL, the user names and where the codes appear', () => {
    expect(output).toContain(`webqueue demo is running: ${url}`);
    expect(output).toMatch(/Log in as a viewer: alice .*bob .*carol/);
    expect(output).toContain('Log in as the admin: DemoAdmin');
    expect(output).toContain('>>> PM to <name>');
    expect(output).toContain('Admin demo data: promo pools');
    expect(output).toMatch(
      /Admin demo data: reserved playlist "Friday Night Double Feature", scheduled for /,
    );
    // the code the demo used to log its admin in is not printed for anyone to try
    expect(output).not.toContain('>>> PM to DemoAdmin');
  });

  it("runs its simulated world on today's date and the wall clock", async () => {
    const state = await request(simUrl).get('/sim/state').expect(200);
    const simNow = Date.parse((state.body as { clock: { now: string } }).clock.now);
    expect(Math.abs(simNow - Date.now())).toBeLessThan(5 * 60_000);
  });

  it('lets a viewer log in with the code echoed to the console, browse the catalog and see the channel playing', async () => {
    await request(url).post('/auth/otp/request').send({ username: 'alice' }).expect(200);
    const code = await eventually('the login code PM', () =>
      Promise.resolve(/>>> PM to alice: Your login code: (\d{6})/.exec(output)?.[1]),
    );
    const verify = await request(url).post('/auth/otp/verify').send({ username: 'alice', code }).expect(200);
    const cookie = String(verify.headers['set-cookie']).split(';')[0];
    expect(verify.body).toMatchObject({ success: true, username: 'alice' });

    const items = await eventually('the catalog sync', async () => {
      const res = await request(url)
        .get('/catalog/browse')
        .set('Cookie', cookie)
        .set('Accept', 'application/json');
      return (res.body as { items?: unknown[] }).items?.length ? res.body.items : undefined;
    });
    expect(items.length).toBeGreaterThan(0);

    const state = await eventually('the queue state', async () => {
      const res = await request(url).get('/queue/state').set('Cookie', cookie);
      return (res.body as { items?: unknown[] }).items?.length ? res.body : undefined;
    });
    expect(state.items.length).toBeGreaterThanOrEqual(1);
    expect(state.now_playing).not.toBeNull();
  }, 90_000);

  it('stops both processes on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => demo?.once('exit', (code) => resolve(code)));
    demo?.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${simUrl}/sim/state`)).rejects.toThrow();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 30_000);
});
