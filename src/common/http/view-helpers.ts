import type hbsModule from 'hbs';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Small Handlebars helpers shared by every page. All output is escaped unless noted. */
export function registerViewHelpers(hbs: typeof hbsModule): void {
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
export function registerPartialsSync(hbs: typeof hbsModule, dir: string, root = dir): void {
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
