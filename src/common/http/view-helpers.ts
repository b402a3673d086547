import type hbsModule from 'hbs';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** hbs itself, or an instance of its own (`hbs.create()`). */
type HbsInstance = ReturnType<typeof hbsModule.create>;

/** Small Handlebars helpers shared by every page. All output is escaped unless noted. */
export function registerViewHelpers(hbs: HbsInstance): void {
  const h = hbs.handlebars;
  h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  h.registerHelper('gte', (a: number, b: number) => a >= b);
  h.registerHelper('and', (a: unknown, b: unknown) => Boolean(a) && Boolean(b));
  h.registerHelper('or', (a: unknown, b: unknown) => Boolean(a) || Boolean(b));
  h.registerHelper('not', (a: unknown) => !a);
  /** JSON for a <script type="application/json"> block; `<` is escaped so no tag can close it. */
  h.registerHelper(
    'json',
    (value: unknown) => new h.SafeString(JSON.stringify(value ?? null).replace(/</g, '\\u003c')),
  );
  h.registerHelper('minutes', (sec: number | null | undefined) => (sec ? `${Math.round(sec / 60)} min` : ''));
  h.registerHelper('duration', (sec: number | null | undefined) => formatDuration(sec ?? 0));
  h.registerHelper('zcoins', (n: number | null | undefined) => `${(n ?? 0).toLocaleString('en-US')} Z`);
}

export function formatDuration(totalSec: number): string {
  const s = Math.max(0, Math.round(totalSec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

/**
 * Register every `*.hbs` under `dir` as a partial, synchronously. (hbs.registerPartials reads
 * the folder asynchronously, so a page rendered right after start-up could miss a partial.)
 * A partial is named by its path without the extension; `a-b` is also reachable as `a_b`,
 * the name hbs itself would give it. Each is registered compiled: Handlebars compiles a partial
 * given as text again on every page that uses it.
 */
export function registerPartialsSync(hbs: HbsInstance, dir: string, root = dir): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      registerPartialsSync(hbs, path, root);
    } else if (entry.endsWith('.hbs')) {
      const name = relative(root, path).replace(/\\/g, '/').slice(0, -'.hbs'.length);
      const partial = hbs.handlebars.compile(readFileSync(path, 'utf8'));
      hbs.handlebars.registerPartial(name, partial);
      hbs.handlebars.registerPartial(name.replace(/-/g, '_'), partial);
    }
  }
}

/**
 * Compiles every view under `viewsDir` and every registered partial now, at start-up, and puts
 * the views in hbs's own cache (which Express's `view cache` makes it use). Handlebars compiles
 * a template lazily, on its first render, so after a restart the first viewer of each page held
 * the event loop for the compile: a few hundred milliseconds in the load soak. `skipDir` (the
 * partials, registered already) is left out of the views.
 */
export function warmViews(hbs: HbsInstance, viewsDir: string, skipDir?: string): number {
  const compileNow = (template: (context: object) => string): void => {
    try {
      template({});
    } catch {
      // Compiled before it ran: a template may well fail on an empty context.
    }
  };
  for (const partial of Object.values(hbs.handlebars.partials)) {
    if (typeof partial === 'function') compileNow(partial as (context: object) => string);
  }
  const cache = (hbs as unknown as { cache: Record<string, unknown> }).cache;
  let warmed = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = resolve(dir, entry);
      if (statSync(path).isDirectory()) {
        if (skipDir === undefined || path !== resolve(skipDir)) walk(path);
      } else if (entry.endsWith('.hbs')) {
        const template = hbs.handlebars.compile(readFileSync(path, 'utf8'));
        compileNow(template);
        cache[path] = template;
        warmed++;
      }
    }
  };
  walk(viewsDir);
  return warmed;
}
