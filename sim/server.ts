import express, { type NextFunction, type Request, type Response } from 'express';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { apiGateRouter, gateAuth, validation422 } from './http/api-gate.routes';
import { controlRouter } from './http/control.routes';
import { graphRouter } from './http/graph.routes';
import { mediaCmsRouter } from './http/mediacms.routes';
import { metadataRouter } from './http/metadata.routes';
import { videosRouter } from './http/videos.routes';
import { type FaultRule } from './world/faults';
import { World, type WorldOptions } from './world/world';

/**
 * Starts the simulated world on one loopback port: api-gate under `/api/v1/...`, MediaCMS
 * under `/api/v1/manage_media`, `/api/v1/media...`, `/api/v1/search` and `/media/...`, TMDb under
 * `/tmdb/3`, OMDb under `/omdb/`, Microsoft Graph under `/graph/v1.0` and its sign-in under
 * `/login`, sample videos under `/videos/`, control under `/sim/...`.
 */

export interface SimulatorOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  host?: string;
  seed?: number;
  /** `manual` (default): time moves only by `POST /sim/clock/advance`. `real`: a 1 s ticker. */
  clock?: 'manual' | 'real';
  catalogSize?: number;
  apiToken?: string;
  mediacmsToken?: string;
  startTime?: number | Date | string;
  /**
   * Wall-clock ms after which a fire-and-forget command is applied. Default: none in manual
   * mode (commands wait for the next clock advance), 250 in real mode.
   */
  commandDelayMs?: number;
  /** How long a `timeout:true` fault holds a request before destroying the socket. */
  maxHangMs?: number;
  /** Extra world switches (economy config, channel options, quirks). */
  world?: Partial<Omit<WorldOptions, 'seed' | 'catalogSize' | 'startTime'>>;
}

export interface RunningSimulator {
  url: string;
  port: number;
  world: World;
  apiToken: string;
  mediacmsToken: string;
  close(): Promise<void>;
}

function toMs(value: number | Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  return new Date(value).getTime();
}

/**
 * Swallow what the route handler answers (it still runs and changes the world); `then` runs once,
 * when the handler has answered, in place of its reply.
 */
function muzzle(res: Response, then: () => void): void {
  const real = { status: res.status.bind(res), json: res.json.bind(res), send: res.send.bind(res) };
  let done = false;
  const finish = (): Response => {
    if (!done) {
      done = true;
      Object.assign(res, real);
      then();
    }
    return res;
  };
  Object.assign(res, { status: () => res, json: finish, send: finish });
}

function faultResponse(res: Response, rule: FaultRule): void {
  const status = rule.status ?? 500;
  if (rule.headers) res.set(rule.headers);
  if (rule.body !== undefined) {
    res.status(status).json(rule.body);
  } else if (status === 500) {
    res.status(500).type('text/plain').send('Internal Server Error');
  } else {
    const detail: Record<number, string> = {
      503: 'Service not ready: simulated fault',
      504: 'Robot command timed out',
      502: 'Simulated upstream failure',
      404: 'Not Found',
    };
    res.status(status).json({ detail: detail[status] ?? `Simulated ${status}` });
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const world = new World({
    ...options.world,
    seed: options.seed ?? 1,
    catalogSize: options.catalogSize ?? 500,
    ...(options.startTime !== undefined ? { startTime: toMs(options.startTime) } : {}),
  });
  const apiToken = options.apiToken ?? 'sim-token';
  const mediacmsToken = options.mediacmsToken ?? 'sim-mediacms-token';
  const mode = options.clock ?? 'manual';
  const commandDelayMs = options.commandDelayMs ?? (mode === 'real' ? 250 : undefined);
  const maxHangMs = options.maxHangMs ?? 120_000;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false }));

  // every api-gate request is counted, faults included (GET /sim/requests)
  app.use('/api/v1', (req: Request, _res: Response, next: NextFunction) => {
    world.countRequest(req.method, `/api/v1${req.path}`);
    next();
  });

  // fault injection for everything but the control API
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/sim/')) return next();
    const rule = world.faults.match(req.method, req.path);
    if (!rule) return next();
    if (rule.drop) {
      req.socket.destroy();
      return;
    }
    if (rule.swallow) {
      res.json({ message_id: world.rng.uuid() });
      return;
    }
    if (rule.applies === 'before') {
      // carry the request out, but answer the fault instead of its own reply
      muzzle(res, () =>
        rule.timeout ? later(maxHangMs, () => req.socket.destroy()) : faultResponse(res, rule),
      );
      return next();
    }
    const carryOutLater = (): void => {
      if (rule.applies !== 'later') return;
      world.enqueue({ kind: 'lateRequest', run: () => (muzzle(res, () => undefined), next()) });
      if (commandDelayMs !== undefined) later(commandDelayMs, () => world.flush());
    };
    if (rule.timeout) {
      carryOutLater();
      later(maxHangMs, () => req.socket.destroy());
      return;
    }
    const go = (): void => {
      if (res.headersSent || req.socket.destroyed) return;
      if (rule.status !== undefined) {
        faultResponse(res, rule);
        carryOutLater();
      } else next();
    };
    if (rule.latency_ms) later(rule.latency_ms, go);
    else go();
  });

  app.use('/sim', controlRouter({ world }));
  app.use(mediaCmsRouter({ world, token: mediacmsToken }));
  app.use(metadataRouter(() => world));
  app.use(graphRouter(() => world));
  app.use(videosRouter());
  app.use(
    '/api/v1',
    gateAuth(() => apiToken),
    apiGateRouter({
      world,
      apiToken,
      onCommand: () => {
        if (commandDelayMs !== undefined) later(commandDelayMs, () => world.flush());
      },
    }),
  );

  app.use((req: Request, res: Response) => {
    res.status(404).json({ detail: 'Not Found' });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      validation422(res, ['body'], 'JSON decode error', null, 'json_invalid');
      return;
    }
    console.error('[sim] unhandled error', err);
    res.status(500).type('text/plain').send('Internal Server Error');
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  let ticker: NodeJS.Timeout | undefined;
  if (mode === 'real') {
    let last = Date.now();
    ticker = setInterval(() => {
      const now = Date.now();
      world.advance(now - last);
      last = now;
    }, 1000);
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    world,
    apiToken,
    mediacmsToken,
    close: () =>
      new Promise<void>((resolve) => {
        if (ticker) clearInterval(ticker);
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
