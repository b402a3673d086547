import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
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

/**
 * Rendered page bodies kept by key, for pages many viewers ask for alike (the first pages of
 * browse): a hit skips the data, the view model and the template, and only the layout is
 * rendered per request, with that request's navbar (user, flash).
 */
@Injectable()
export class RenderedBodies {
  private readonly cache = new PromiseCache<RenderedBody>({ max: MAX_BODIES, ttlMs: BODY_TTL_MS });

  /** The body for `key`; on a miss `model` builds the view model and `view` is rendered. */
  get(
    res: Response,
    key: string,
    view: string,
    model: () => Promise<Record<string, unknown>>,
  ): Promise<RenderedBody> {
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
   * re-hashed per request (the ETag combines the body's digest with the layout's).
   */
  async send(res: Response, body: RenderedBody): Promise<void> {
    const layout = await new Promise<string>((resolve, reject) => {
      res.render(
        'rendered-body',
        { title: body.title, bodyClass: body.bodyClass, scripts: body.scripts, renderedBody: MARKER },
        (err: Error | null, out?: string) => (err ? reject(err) : resolve(out ?? '')),
      );
    });
    // The last one: a title made of the viewer's own words comes before the body, never after.
    const at = layout.lastIndexOf(MARKER);
    const head = Buffer.from(layout.slice(0, at));
    const tail = Buffer.from(layout.slice(at + MARKER.length));
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('ETag', `W/"${body.digest}${digestOf(head, tail).slice(0, 12)}"`);
    res.send(Buffer.concat([head, body.bytes, tail]));
  }

  clear(): void {
    this.cache.clear();
  }
}
