import type hbsModule from 'hbs';

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
