import hbs from 'hbs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerPartialsSync, registerViewHelpers, warmViews } from './view-helpers';

describe('warmViews', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wq-views-'));
    mkdirSync(join(dir, 'partials'));
    mkdirSync(join(dir, 'catalog'));
    writeFileSync(join(dir, 'partials', 'greeting.hbs'), 'Hello {{name}}');
    writeFileSync(join(dir, 'catalog', 'page.hbs'), '{{> greeting}}, {{zcoins balance}}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts every view, compiled, where hbs looks first, and leaves the partials folder out', () => {
    const instance = hbs.create();
    registerPartialsSync(instance, join(dir, 'partials'));
    registerViewHelpers(instance);
    expect(warmViews(instance, dir, join(dir, 'partials'))).toBe(1);
    const cache = (instance as unknown as { cache: Record<string, (context: object) => string> }).cache;
    const path = join(dir, 'catalog', 'page.hbs');
    expect(Object.keys(cache)).toEqual([path]);
    // what Express renders from now on is the warmed template, whatever the file says later
    writeFileSync(path, 'changed');
    expect(cache[path]({ name: 'alice', balance: 1200 })).toBe('Hello alice, 1,200 Z');
  });

  it('renders through hbs from the cache when Express asks with its view cache on', async () => {
    const instance = hbs.create();
    registerPartialsSync(instance, join(dir, 'partials'));
    registerViewHelpers(instance);
    warmViews(instance, dir, join(dir, 'partials'));
    const path = join(dir, 'catalog', 'page.hbs');
    rmSync(path);
    const html = await new Promise<string>((resolve, reject) =>
      instance.__express(
        path,
        { name: 'bob', balance: 5, cache: true, layout: false, settings: { views: dir } },
        (err, out) => (err ? reject(err as Error) : resolve(out as string)),
      ),
    );
    expect(html).toBe('Hello bob, 5 Z');
  });
});
