import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { artFor } from '../world/png';
import { hashString } from '../world/rng';
import { type World } from '../world/world';

/**
 * MediaCMS routes: DRF token auth (`Authorization: Token <t>`),
 * `manage_media` paging, detail (400 for an unknown token), tag writes, owner changes,
 * the deployment-only CyTube manifest and `media_facets`, and generated PNG thumbnails/posters.
 */

export interface MediaCmsContext {
  world: World;
  token: string;
}

export function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** `required`: 401 without credentials. A wrong token is always 401 `Invalid token.`. */
function auth(ctx: MediaCmsContext, required: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    if (!header) {
      if (required) {
        res.status(401).json({ detail: 'Authentication credentials were not provided.' });
        return;
      }
      res.locals.authed = false;
      return next();
    }
    const [scheme, token] = header.split(' ');
    if (scheme !== 'Token' || token !== ctx.token) {
      res.status(401).json({ detail: 'Invalid token.' });
      return;
    }
    res.locals.authed = true;
    next();
  };
}

export function mediaCmsRouter(ctx: MediaCmsContext): Router {
  const r = Router();
  const store = () => ctx.world.mediacms;

  r.get('/api/v1/manage_media', auth(ctx, true), (req, res) => {
    const result = store().list(new URL(req.originalUrl, origin(req)), origin(req));
    res.status(result.ok ? 200 : result.status).json(result.body);
  });

  // deployment-only: every item's category and tag names, 500 a page by default
  r.get('/api/v1/media_facets', auth(ctx, true), (req, res) => {
    const result = store().facets(new URL(req.originalUrl, origin(req)));
    res.status(result.ok ? 200 : result.status).json(result.body);
  });

  r.get('/api/v1/media/cytube/:file', (req, res) => {
    const token = String(req.params.file).replace(/\.json$/, '');
    const item = store().get(token);
    if (!item) {
      // the deployment answers 500 for a deleted item
      res.status(500).type('text/plain').send('Internal Server Error');
      return;
    }
    res
      .status(200)
      .type('application/json')
      .send(JSON.stringify(store().manifest(item, origin(req))));
  });

  r.post('/api/v1/media/user/bulk_actions', auth(ctx, true), (req, res) => {
    const b = (req.body ?? {}) as { action?: unknown; media_ids?: unknown; owner?: unknown };
    if (b.action !== 'change_owner') {
      res.status(400).json({ detail: 'Unknown action' });
      return;
    }
    if (!Array.isArray(b.media_ids) || typeof b.owner !== 'string' || b.owner === '') {
      res.status(400).json({ detail: 'media_ids and owner are required' });
      return;
    }
    const changed = store().changeOwner(b.media_ids.map(String), b.owner);
    res.json({ detail: `Changed owner of ${changed} media` });
  });

  r.get('/api/v1/media/:token', auth(ctx, false), (req, res) => {
    const item = store().get(String(req.params.token));
    if (!item) {
      res.status(400).json({ detail: 'media file does not exist' });
      return;
    }
    if (item.state === 'private' && !res.locals.authed) {
      res.status(401).json({ detail: 'media is private' });
      return;
    }
    res.json(store().detail(item, origin(req)));
  });

  r.put('/api/v1/media/:token', auth(ctx, true), (req, res) => {
    const token = String(req.params.token);
    if (!store().get(token)) {
      res.status(400).json({ detail: 'media file does not exist' });
      return;
    }
    const b = (req.body ?? {}) as Record<string, unknown>;
    const field = (name: string): string | undefined => (typeof b[name] === 'string' ? b[name] : undefined);
    const title = field('title');
    if (title !== undefined && title.trim() === '') {
      res.status(400).json({ title: ['This field may not be blank.'] });
      return;
    }
    const item = store().updateFields(token, {
      title,
      description: field('description'),
      tags: field('tags'),
    });
    res.status(201).json(store().detail(item as NonNullable<typeof item>, origin(req)));
  });

  // upstream MediaList.post: multipart media_file (+ title, description) → 201 MediaSerializer
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 200 * 1024 * 1024 } });
  r.post('/api/v1/media', auth(ctx, true), upload.single('media_file'), (req, res) => {
    const file = req.file;
    if (!file || file.size === 0) {
      res.status(400).json({ media_file: ['No file was submitted.'] });
      return;
    }
    const b = (req.body ?? {}) as Record<string, unknown>;
    const item = store().upload({
      token: ctx.world.newFriendlyToken(),
      filename: file.originalname,
      bytes: file.size,
      title: typeof b.title === 'string' ? b.title : undefined,
      description: typeof b.description === 'string' ? b.description : undefined,
    });
    res.status(201).json(store().listItem(item, origin(req)));
  });

  // the public list: public media only, newest first, cut at 1000 items like upstream
  r.get('/api/v1/media', auth(ctx, false), (req, res) => {
    const visible = store()
      .all()
      .filter((i) => i.state === 'public')
      .slice(0, 1000);
    const page = Math.max(1, Number(req.query.page ?? 1) || 1);
    const pages = Math.max(1, Math.ceil(visible.length / 50));
    if (page > pages) {
      res.status(404).json({ detail: 'Invalid page.' });
      return;
    }
    res.json({
      count: visible.length,
      next: page < pages ? `${origin(req)}/api/v1/media?page=${page + 1}` : null,
      previous: page > 1 ? `${origin(req)}/api/v1/media?page=${page - 1}` : null,
      results: visible.slice((page - 1) * 50, page * 50).map((i) => store().listItem(i, origin(req))),
    });
  });

  // public search (title and description), paged like the list
  r.get('/api/v1/search', auth(ctx, false), (req, res) => {
    const hits = store().search(typeof req.query.q === 'string' ? req.query.q : '');
    const page = Math.max(1, Number(req.query.page ?? 1) || 1);
    res.json({
      count: hits.length,
      next:
        hits.length > page * 50
          ? `${origin(req)}/api/v1/search?q=${encodeURIComponent(typeof req.query.q === 'string' ? req.query.q : '')}&page=${page + 1}`
          : null,
      previous: null,
      results: hits.slice((page - 1) * 50, page * 50).map((i) => store().listItem(i, origin(req))),
    });
  });

  // the watch page (HEAD works too): a small HTML page, 404 for an unknown token
  r.get('/view', (req, res) => {
    const item = store().get(typeof req.query.m === 'string' ? req.query.m : '');
    if (!item || item.state === 'private') {
      res.status(404).type('text/html').send('<h1>Not found</h1>');
      return;
    }
    res
      .status(200)
      .type('text/html')
      .send(`<!doctype html><title>${item.title.replace(/[<&]/g, '')}</title>`);
  });

  r.get('/media/original/:kind/:file', (req, res) => {
    const kind = String(req.params.kind);
    const token = String(req.params.file).replace(/\.png$/, '');
    const item = store().get(token);
    if (!item || !item.has_thumbnail || (kind !== 'thumbnails' && kind !== 'posters')) {
      res.status(404).json({ detail: 'Not found.' });
      return;
    }
    const seed = hashString(token);
    const png = kind === 'posters' ? artFor(seed, 300, 450) : artFor(seed, 160, 90);
    res.status(200).type('image/png').set('Cache-Control', 'public, max-age=86400').send(png);
  });

  return r;
}
