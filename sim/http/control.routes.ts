import { Router, type Request, type Response } from 'express';
import { FaultValidationError } from '../world/faults';
import { type EconomyConfig } from '../world/economy';
import { type World } from '../world/world';

/**
 * The simulator's own control API under `/sim` (no auth). Tests and the demo drive the
 * world through it, usually via `SimControl`.
 */

export interface ControlContext {
  world: World;
  onReset?: () => void;
}

function body(req: Request): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
}

function bad(res: Response, detail: string): void {
  res.status(400).json({ detail });
}

function optionalNumber(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function controlRouter(ctx: ControlContext): Router {
  const r = Router();
  const w = (): World => ctx.world;

  r.get('/state', (_req, res) => {
    res.json(w().snapshot());
  });

  r.post('/clock/advance', (req, res) => {
    const seconds = optionalNumber(body(req).seconds) ?? null;
    if (seconds === null || seconds < 0) return bad(res, 'seconds must be a number >= 0');
    const applied = w().pending.length;
    w().advance(Math.round(seconds * 1000));
    res.json({ now: w().clock.now().toISOString(), nowMs: w().clock.nowMs(), applied });
  });

  r.get('/requests', (_req, res) => {
    res.json(Object.fromEntries(w().requests));
  });

  r.delete('/requests', (_req, res) => {
    w().requests.clear();
    res.json({ cleared: true });
  });

  r.post('/flush', (_req, res) => {
    res.json({ applied: w().flush() });
  });

  r.post('/users', (req, res) => {
    const b = body(req);
    if (typeof b.name !== 'string' || b.name === '') return bad(res, 'name is required');
    const rank = optionalNumber(b.rank);
    const balance = optionalNumber(b.balance);
    const lifetime = optionalNumber(b.lifetime_earned);
    if (rank === null || balance === null || lifetime === null) {
      return bad(res, 'rank, balance and lifetime_earned must be numbers');
    }
    const user = w().users.join(b.name, rank ?? 1, b.afk === true);
    if (balance !== undefined || lifetime !== undefined) {
      w().economy.setBalance(b.name, balance ?? w().economy.account(b.name)?.balance ?? 0, lifetime);
    }
    res.status(201).json(user);
  });

  r.patch('/users/:name', (req, res) => {
    const name = String(req.params.name);
    const b = body(req);
    const rank = optionalNumber(b.rank);
    const balance = optionalNumber(b.balance);
    const lifetime = optionalNumber(b.lifetime_earned);
    if (rank === null || balance === null || lifetime === null) {
      return bad(res, 'rank, balance and lifetime_earned must be numbers');
    }
    const inChannel = w().users.get(name) !== undefined;
    if (!inChannel && balance === undefined && lifetime === undefined) {
      res.status(404).json({ detail: `${name} is not in the channel` });
      return;
    }
    if (inChannel) w().users.patch(name, { afk: typeof b.afk === 'boolean' ? b.afk : undefined, rank });
    if (balance !== undefined || lifetime !== undefined) {
      w().economy.setBalance(name, balance ?? w().economy.account(name)?.balance ?? 0, lifetime);
    }
    res.json({ user: w().users.lookup(name), balance: w().economy.balance(name) });
  });

  r.delete('/users/:name', (req, res) => {
    const left = w().users.leave(String(req.params.name));
    res.status(left ? 200 : 404).json({ left });
  });

  r.get('/pms', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    res.json(w().pms.filter((pm) => to === undefined || pm.to === to));
  });

  r.get('/chat', (_req, res) => {
    res.json(w().chat);
  });

  r.put('/faults', (req, res) => {
    try {
      w().faults.set(body(req).rules);
    } catch (err) {
      if (err instanceof FaultValidationError) return bad(res, err.message);
      throw err;
    }
    res.json({ rules: w().faults.list() });
  });

  r.delete('/faults', (_req, res) => {
    w().faults.clear();
    res.json({ rules: [] });
  });

  r.post('/reset', (req, res) => {
    const seed = optionalNumber(body(req).seed);
    if (seed === null) return bad(res, 'seed must be a number');
    w().reset(seed ?? w().options.seed);
    ctx.onReset?.();
    res.json(w().snapshot());
  });

  // --- extras ---

  /** Another user queues something (bypasses our api-gate token, same CyTube rules). */
  r.post('/playlist', (req, res) => {
    const b = body(req);
    const type = typeof b.type === 'string' ? b.type : 'cm';
    const id =
      typeof b.token === 'string'
        ? `${req.protocol}://${req.get('host')}/api/v1/media/cytube/${b.token}.json?format=json`
        : b.id;
    if (typeof id !== 'string') return bad(res, 'id or token is required');
    const result = w().playlistAdd(
      { type, id, position: typeof b.position === 'string' ? b.position : 'end', temp: b.temp !== false },
      typeof b.queueby === 'string' ? b.queueby : 'SomeoneElse',
    );
    res.status(result.status).json(result.body);
  });

  r.get('/catalog', (req, res) => {
    const offset = Number(req.query.offset ?? 0);
    const limit = Math.min(1000, Number(req.query.limit ?? 100));
    res.json({
      count: w().mediacms.size,
      items: w()
        .mediacms.all()
        .slice(offset, offset + limit),
    });
  });

  r.get('/media/:token', (req, res) => {
    const item = w().mediacms.get(String(req.params.token));
    if (!item) {
      res.status(404).json({ detail: 'no such media' });
      return;
    }
    res.json(item);
  });

  r.delete('/media/:token', (req, res) => {
    const removed = w().mediacms.remove(String(req.params.token));
    res.status(removed ? 200 : 404).json({ removed });
  });

  r.patch('/economy', (req, res) => {
    const b = body(req);
    const { blackout, ...config } = b;
    if (typeof blackout === 'boolean') w().economy.blackoutForced = blackout;
    w().economy.config = { ...w().economy.config, ...(config as Partial<EconomyConfig>) };
    res.json({ config: w().economy.config, blackout: w().economy.blackoutForced });
  });

  return r;
}
