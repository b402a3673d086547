/**
 * The fuzz pass of `npm run soak`: malformed requests over every route the app has (read from its
 * router), as anonymous, viewer and admin; anything ≥ 500 is a failure. The app runs in this
 * process (no timers) on its own database, against the soak's simulator.
 */
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { signSession } from '../src/auth/session-token';
import { SeededRandom } from '../src/common/random';
import { loadConfigFile } from '../src/config/config.loader';

export interface FuzzResult {
  routes: number;
  requests: number;
  byStatus: Map<number, number>;
  fiveHundreds: number;
  /** The first few requests that got a 5xx. */
  examples: string[];
}

interface Route {
  method: string;
  path: string;
}

/** Quiet: the fuzz expects thousands of refusals, and counts real errors by status. */
class SilentLogger extends ConsoleLogger {
  override log(): void {}
  override warn(): void {}
  override error(): void {}
  override debug(): void {}
  override verbose(): void {}
}

const NASTY_STRINGS = [
  '',
  ' ',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  'null',
  'undefined',
  '-1',
  '0',
  '1e999',
  'NaN',
  '9'.repeat(40),
  'x'.repeat(5000),
  '\u0000\u0001\u0002',
  '😀🎬',
  '%E0%A4%A',
  'C++ AT&T 50% #241',
  '"quoted"',
  '{"a":1}',
];

/** Seeded draws in [0, 1) (the project's own SeededRandom), so a run is repeatable for a seed. */
export function rng(seed: number): () => number {
  const source = new SeededRandom(seed);
  return () => source.next();
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

function nasty(random: () => number, depth = 0): unknown {
  const r = random();
  if (depth > 3 || r < 0.3) return pick(random, NASTY_STRINGS);
  if (r < 0.4) return pick(random, [0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
  if (r < 0.5) return pick(random, [true, false, null]);
  if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => nasty(random, depth + 1));
  const obj: Record<string, unknown> = {};
  const keys = [
    'friendly_token',
    'tier',
    'client_key',
    'name',
    'items',
    'mode',
    'uid',
    'after',
    'enabled',
    'params',
  ];
  for (let i = 0; i < 1 + Math.floor(random() * 4); i++) obj[pick(random, keys)] = nasty(random, depth + 1);
  return obj;
}

/** A request body: wrong JSON types, broken JSON, deep nesting, prototype keys, other content types. */
function body(random: () => number): { type: string; data: string } | null {
  const r = random();
  if (r < 0.1) return null;
  if (r < 0.2) return { type: 'application/json', data: '{"a":'.repeat(200 + Math.floor(random() * 3000)) };
  if (r < 0.25) {
    return { type: 'application/json', data: '{"constructor":{"prototype":{"x":1}},"__proto__":{"y":2}}' };
  }
  if (r < 0.32) {
    return { type: 'application/json', data: pick(random, ['{', '[1,', '"', 'nul', '{"a" 1}', '\u0000']) };
  }
  if (r < 0.38) return { type: 'text/plain', data: pick(random, NASTY_STRINGS) };
  if (r < 0.44) {
    return { type: 'application/x-www-form-urlencoded', data: 'a[b][c][d][e][f]=1&friendly_token=%00&x=' };
  }
  if (r < 0.48) return { type: 'application/json; charset=klingon', data: '{}' };
  return { type: 'application/json', data: JSON.stringify(nasty(random)) };
}

function fillPath(random: () => number, path: string): string {
  return path.replace(/:(\w+)/g, () =>
    encodeURIComponent(String(pick(random, [...NASTY_STRINGS, '1', '42', 'abc']))),
  );
}

function query(random: () => number): string {
  if (random() < 0.4) return '';
  const keys = [
    'page',
    'limit',
    'offset',
    'q',
    'sort',
    'category',
    'tag',
    'show_hidden',
    'friendly_token',
    'tier',
  ];
  const parts = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
    const key = pick(random, keys);
    return `${key}=${encodeURIComponent(String(pick(random, NASTY_STRINGS)))}`;
  });
  if (random() < 0.1) parts.push('page=1&page=2');
  return `?${parts.join('&')}`;
}

function routesOf(app: NestExpressApplication): Route[] {
  const instance = app.getHttpAdapter().getInstance() as {
    router?: { stack: unknown[] };
    _router?: { stack: unknown[] };
  };
  const stack = (instance.router ?? instance._router)?.stack ?? [];
  const routes: Route[] = [];
  for (const layer of stack as { route?: { path: string; methods: Record<string, boolean> } }[]) {
    if (!layer.route || typeof layer.route.path !== 'string') continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (method !== '_all') routes.push({ method: method.toUpperCase(), path: layer.route.path });
    }
  }
  return routes;
}

export async function fuzzRoutes(options: {
  simUrl: string;
  dir: string;
  secret: string;
  count: number;
  seed: number;
}): Promise<FuzzResult> {
  const configPath = join(options.dir, 'fuzz-config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      secret_key: options.secret,
      api_gate_url: options.simUrl,
      api_gate_token: 'sim-token',
      mediacms_url: options.simUrl,
      mediacms_token: 'sim-mediacms-token',
      db_path: join(options.dir, 'fuzz.db'),
      image_dir: join(options.dir, 'fuzz-images'),
      placeholder_dir: join(options.dir, 'fuzz-images', 'placeholders'),
      catalog_sync_interval_hours: 0,
      cookie_secure: 'never',
      log_level: 'error',
    }),
  );
  const { config } = loadConfigFile(configPath);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { schedule: false }),
    {
      logger: new SilentLogger(),
    },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const random = rng(options.seed);
  const routes = routesOf(app);
  const result: FuzzResult = {
    routes: routes.length,
    requests: 0,
    byStatus: new Map(),
    fiveHundreds: 0,
    examples: [],
  };
  const cookieFor = (who: string): string | null =>
    who === 'anonymous'
      ? null
      : `session=${signSession(
          who === 'admin' ? { username: 'SoakAdmin', rank: 3 } : { username: 'soaker0', rank: 1 },
          options.secret,
          Date.now(),
          24,
        )}`;
  try {
    const one = async (): Promise<void> => {
      const route = pick(random, routes);
      const method = random() < 0.1 ? pick(random, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) : route.method;
      const who = pick(random, ['anonymous', 'viewer', 'admin']);
      const url = `${base}${fillPath(random, route.path)}${query(random)}`;
      const headers: Record<string, string> = { accept: random() < 0.8 ? 'application/json' : 'text/html' };
      const cookie = cookieFor(who);
      if (cookie) headers.cookie = cookie;
      if (random() < 0.9) headers.origin = base;
      const payload = method === 'GET' || method === 'HEAD' ? null : body(random);
      if (payload) headers['content-type'] = payload.type;
      let status: number;
      try {
        const res = await fetch(url, { method, headers, body: payload?.data, redirect: 'manual' });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      result.requests++;
      result.byStatus.set(status, (result.byStatus.get(status) ?? 0) + 1);
      if (status >= 500 || status === 0) {
        result.fiveHundreds++;
        if (result.examples.length < 10) {
          result.examples.push(
            `${status} ${method} ${url.slice(0, 160)} as ${who}: ${payload?.data.slice(0, 120) ?? ''}`,
          );
        }
      }
    };
    // a few at a time, like several clients
    const workers = Array.from({ length: 8 }, async () => {
      while (result.requests < options.count) await one();
    });
    await Promise.all(workers);
  } finally {
    await app.close();
  }
  return result;
}
