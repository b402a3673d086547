import { Router, type NextFunction, type Request, type Response } from 'express';
import { EconomyEnvelopeError } from '../world/economy';
import { type Command, type World } from '../world/world';

/**
 * kryten-api-gate's routes under `/api/v1`: Bearer auth, FastAPI-style
 * 422 lists, fire-and-forget commands answered with `{message_id}` at once, and the
 * economy proxy (envelope failures → 502 `{detail}`, business failures → 200).
 */

export interface GateContext {
  world: World;
  apiToken: string;
  /** Called after a fire-and-forget command is queued (the server may schedule a flush). */
  onCommand: () => void;
}

/** FastAPI's validation error body: `detail` is a list. */
export function validation422(
  res: Response,
  loc: (string | number)[],
  msg: string,
  input: unknown,
  type = 'value_error',
): void {
  res.status(422).json({ detail: [{ type, loc, msg, input: input ?? null }] });
}

function intParam(req: Request, res: Response, name: string): number | null {
  const raw = String(req.params[name]);
  if (!/^-?\d+$/.test(raw)) {
    validation422(
      res,
      ['path', name],
      'Input should be a valid integer, unable to parse string as an integer',
      raw,
      'int_parsing',
    );
    return null;
  }
  return Number(raw);
}

function body(req: Request): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
}

function requireFields(req: Request, res: Response, fields: string[]): Record<string, unknown> | null {
  const b = body(req);
  for (const field of fields) {
    if (b[field] === undefined || b[field] === null) {
      validation422(res, ['body', field], 'Field required', b, 'missing');
      return null;
    }
  }
  return b;
}

export function gateAuth(apiToken: () => string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === '/system/health') return next();
    const header = req.get('authorization') ?? '';
    const [scheme, token] = header.split(' ');
    if (!header || scheme?.toLowerCase() !== 'bearer' || !token) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ detail: 'Missing authorization header' });
      return;
    }
    if (token !== apiToken()) {
      res.status(401).json({ detail: 'Invalid API key' });
      return;
    }
    next();
  };
}

export function apiGateRouter(ctx: GateContext): Router {
  const r = Router();
  const w = (): World => ctx.world;
  const fire = (res: Response, command: Command): void => {
    const messageId = w().enqueue(command);
    ctx.onCommand();
    res.json({ message_id: messageId });
  };

  r.get('/system/health', (_req, res) => {
    res.json({
      status: 'healthy',
      service: 'kryten-api-gate',
      timestamp: w().clock.now().toISOString(),
      nats_connected: true,
    });
  });

  // --- state ---
  r.get('/state/playlist', (_req, res) => {
    res.json({ items: w().channel.items });
  });
  r.get('/state/now-playing', (_req, res) => {
    res.json(w().channel.nowPlaying());
  });
  r.get('/state/user/:name', (req, res) => {
    res.json(w().users.lookup(String(req.params.name)));
  });

  // --- playlist ---
  r.post('/playlist/add', (req, res) => {
    const b = requireFields(req, res, ['type', 'id']);
    if (!b) return;
    const result = w().playlistAdd({
      type: String(b.type),
      id: String(b.id),
      position:
        typeof b.position === 'string'
          ? b.position
          : b.position === undefined
            ? 'end'
            : JSON.stringify(b.position),
      temp: b.temp === undefined ? true : Boolean(b.temp),
    });
    res.status(result.status).json(result.body);
  });
  r.put('/playlist/:uid/move', (req, res) => {
    const uid = intParam(req, res, 'uid');
    if (uid === null) return;
    const b = requireFields(req, res, ['position']);
    if (!b) return;
    const raw = b.position;
    let after: number | 'prepend' | 'append';
    if (typeof raw === 'number' && Number.isInteger(raw)) {
      after = raw;
    } else if (typeof raw === 'string' && /^\d+$/.test(raw)) {
      after = Number(raw); // the Robot turns digit strings into ints
    } else if (raw === 'prepend' || raw === 'append') {
      after = raw;
    } else {
      // CyTube ignores it; the gate still answers 200
      after = -1;
    }
    fire(res, { kind: 'move', uid, after });
  });
  r.delete('/playlist/', (_req, res) => {
    fire(res, { kind: 'clear' });
  });
  r.delete('/playlist/:uid', (req, res) => {
    const uid = intParam(req, res, 'uid');
    if (uid === null) return;
    fire(res, { kind: 'delete', uid });
  });
  r.post('/playlist/:uid/jump', (req, res) => {
    const uid = intParam(req, res, 'uid');
    if (uid === null) return;
    fire(res, { kind: 'jump', uid });
  });

  // --- chat ---
  r.post('/chat/send', (req, res) => {
    const b = requireFields(req, res, ['message']);
    if (!b) return;
    fire(res, { kind: 'chat', message: String(b.message) });
  });
  r.post('/chat/pm', (req, res) => {
    const b = requireFields(req, res, ['username', 'message']);
    if (!b) return;
    fire(res, { kind: 'pm', username: String(b.username), message: String(b.message) });
  });

  // --- economy ---
  const economy = (res: Response, run: () => Record<string, unknown>): void => {
    try {
      res.json(run());
    } catch (err) {
      if (err instanceof EconomyEnvelopeError) {
        res.status(502).json({ detail: err.message });
        return;
      }
      throw err;
    }
  };
  r.get('/economy/balance/:username', (req, res) => {
    economy(res, () => w().economy.balance(String(req.params.username)));
  });
  r.get('/economy/transactions/:username', (req, res) => {
    const limit = req.query.limit === undefined ? 20 : Number(req.query.limit);
    const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      validation422(
        res,
        ['query', 'limit'],
        'Input should be between 1 and 100',
        req.query.limit,
        'less_than_equal',
      );
      return;
    }
    if (!Number.isInteger(offset) || offset < 0) {
      validation422(
        res,
        ['query', 'offset'],
        'Input should be greater than or equal to 0',
        req.query.offset,
        'greater_than_equal',
      );
      return;
    }
    economy(res, () => w().economy.listTransactions(String(req.params.username), limit, offset));
  });
  r.post('/economy/queue-preview', (req, res) => {
    const b = requireFields(req, res, ['username', 'duration_sec']);
    if (b) economy(res, () => w().economy.preview(b));
  });
  r.post('/economy/queue-spend', (req, res) => {
    const b = requireFields(req, res, ['username', 'duration_sec', 'request_id']);
    if (b) economy(res, () => w().economy.spend(b));
  });
  r.post('/economy/queue-refund', (req, res) => {
    const b = requireFields(req, res, ['username', 'request_id', 'reason']);
    if (b) economy(res, () => w().economy.refund(b));
  });
  return r;
}
