import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { PromiseCache } from '../promise-cache';

/** A page's own view rendered without the layout, and what the layout needs of it. */
export interface RenderedBody {
  /** The view's HTML, encoded once. */
  bytes: Buffer;
  /** A digest of `bytes`, for the answer's ETag. */
  digest: string;
  title?: string;
  bodyClass?: string;
  scripts?: string[];
}

/** Where the kept body goes in the rendered layout (no template writes a NUL). */
const MARKER = '\u0000rendered-body\u0000';

function digestOf(...parts: Buffer[]): string {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest('base64url').slice(0, 16);
}

/** Bodies kept (a catalog page is about 25 KB). */
const MAX_BODIES = 200;
/**
 * Keys carry the versions of everything a body shows; this only bounds how long one random
 * pick (the placeholder art of a tile without a poster) stays the same.
 */
const BODY_TTL_MS = 60_000;

/** The layout rendered around the marker for one set of inputs, encoded and hashed once. */
interface RenderedLayout {
  head: Buffer;
  tail: Buffer;
  digest: string;
}

/**
 * Layouts kept (about 2 KB each): one per viewer and page title in use, so a channel's viewers
 * paging through browse find theirs here.
 */
const MAX_LAYOUTS = 2000;

/**
 * Rendered page bodies kept by key, for pages many viewers ask for alike (the first pages of
 * browse): a hit skips the data, the view model and the template, and only the layout is
 * rendered per request, with that request's navbar (user, flash).
 */
@Injectable()
export class RenderedBodies {
  private readonly cache = new PromiseCache<RenderedBody>({ max: MAX_BODIES, ttlMs: BODY_TTL_MS });
  private readonly layouts = new LRUCache<string, RenderedLayout>({ max: MAX_LAYOUTS });

  /**
   * The body for `key`; on a miss `model` builds the view model and `view` is rendered.
   * `generation` is the version every key in use carries (the catalog's content key): when it
   * moves, the bodies of the older one are dropped at once.
   */
  get(
    res: Response,
    key: string,
    view: string,
    model: () => Promise<Record<string, unknown>>,
    generation?: string,
  ): Promise<RenderedBody> {
    if (generation !== undefined) this.cache.keepOnly(generation);
    return this.cache.get(key, async () => {
      const locals = await model();
      const html = await new Promise<string>((resolve, reject) => {
        res.app.render(view, { ...locals, layout: false }, (err: Error | null, out?: string) =>
          err ? reject(err) : resolve(out ?? ''),
        );
      });
      const bytes = Buffer.from(html);
      return {
        bytes,
        digest: digestOf(bytes),
        title: locals.title as string | undefined,
        bodyClass: locals.bodyClass as string | undefined,
        scripts: locals.scripts as string[] | undefined,
      };
    });
  }

  /**
   * Answers with a kept body inside the layout. The layout is rendered around a marker and the
   * kept bytes are put in its place, so the big part of the page is neither re-encoded nor
   * re-hashed per request (the ETag combines the body's digest with the layout's). The layout
   * itself is kept by everything it shows: the body's title, class and scripts and the request's
   * own locals (the navbar's user) — the app's locals are fixed at start-up. The three parts go
   * out as they are, never copied into one buffer.
   */
  async send(req: Request, res: Response, body: RenderedBody): Promise<void> {
    const layout = await this.layoutFor(res, body);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('ETag', `W/"${body.digest}${layout.digest}"`);
    if (req.fresh) {
      res.removeHeader('Content-Type');
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Length', layout.head.length + body.bytes.length + layout.tail.length);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.cork();
    res.write(layout.head);
    res.write(body.bytes);
    res.end(layout.tail);
  }

  private async layoutFor(res: Response, body: RenderedBody): Promise<RenderedLayout> {
    const key = JSON.stringify([body.title, body.bodyClass, body.scripts, res.locals]);
    const kept = this.layouts.get(key);
    if (kept) return kept;
    const html = await new Promise<string>((resolve, reject) => {
      res.render(
        'rendered-body',
        { title: body.title, bodyClass: body.bodyClass, scripts: body.scripts, renderedBody: MARKER },
        (err: Error | null, out?: string) => (err ? reject(err) : resolve(out ?? '')),
      );
    });
    // The last one: a title made of the viewer's own words comes before the body, never after.
    const at = html.lastIndexOf(MARKER);
    const head = Buffer.from(html.slice(0, at));
    const tail = Buffer.from(html.slice(at + MARKER.length));
    const layout = { head, tail, digest: digestOf(head, tail).slice(0, 12) };
    this.layouts.set(key, layout);
    return layout;
  }

  clear(): void {
    this.cache.clear();
    this.layouts.clear();
  }
}
