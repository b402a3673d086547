import { type RunningSimulator, startSimulator } from '@sim/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Response as HttpResponse } from 'supertest';
import request from '../support/http';
import { CatalogService } from '../../src/catalog/catalog.service';
import { type CatalogItem } from '../../sim/world/catalog-generator';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';
import { simOverrides } from '../support/config';

/** The catalog pages in Chromium: layout at two widths, remembered sort, keyboard, live search, escaping. */
jest.setTimeout(30_000);

const EVIL_TITLE = '<script>window.__xss = 1</script> Zyzzogeton Night';

let sim: RunningSimulator;
let t: TestApp;
let browser: Browser;
let context: BrowserContext;
let viewer: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 31, catalogSize: 70 });
  const template = sim.world.mediacms.all()[0];
  const evil: CatalogItem = {
    ...template,
    friendly_token: 'EvilTok02',
    title: EVIL_TITLE,
    categories: ['Movies'],
    tags: ['classic'],
  };
  sim.world.mediacms.add(evil);
  t = await createTestApp({
    configOverrides: simOverrides(sim),
  });
  const summary = await t.get(CatalogService).runSync('browser');
  if (summary.status !== 'completed') throw new Error(JSON.stringify(summary));
  viewer = sessionCookieFor(t, 'viewer', 1);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await sim?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await addCookieHeader(context, t.url, viewer);
});
afterEach(async () => {
  await context.close();
});

async function open(path: string, width = 1280): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: width < 600 ? 812 : 900 });
  await page.goto(t.url + path);
  return page;
}

function apiJson(path: string): Promise<HttpResponse> {
  return request(t.url).get(path).set('Accept', 'application/json').set('Cookie', viewer).expect(200);
}

const overflow = (page: Page): Promise<{ scroll: number; inner: number }> =>
  page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));

describe('catalog pages in a browser', () => {
  it('shows a grid of 24 tiles and a pager at desktop width, without horizontal overflow', async () => {
    const page = await open('/catalog/browse');
    await expect(page.locator('.catalog-grid > li.tile')).toHaveCount24();
    expect(await page.locator('nav.pager .pager-current').textContent()).toBe('1');
    const columns = await page.evaluate(
      () =>
        getComputedStyle(document.querySelector('.catalog-grid') as Element).gridTemplateColumns.split(' ')
          .length,
    );
    expect(columns).toBeGreaterThanOrEqual(4);
    const durations = await page.locator('.tile-duration').allTextContents();
    expect(durations.every((d) => /^(\d+:)?\d{1,2}:\d{2}$/.test(d))).toBe(true);
    const { scroll, inner } = await overflow(page);
    expect(scroll).toBeLessThanOrEqual(inner);
    await page.screenshot({ path: '/tmp/catalog-browse-desktop.png' });
  });

  it('fits a 375 px phone: two columns, no horizontal overflow, filters stacked', async () => {
    const page = await open('/catalog/browse', 375);
    await expect(page.locator('.catalog-grid > li.tile')).toHaveCount24();
    const { scroll, inner } = await overflow(page);
    expect(inner).toBe(375);
    expect(scroll).toBeLessThanOrEqual(inner);
    const columns = await page.evaluate(
      () =>
        getComputedStyle(document.querySelector('.catalog-grid') as Element).gridTemplateColumns.split(' ')
          .length,
    );
    expect(columns).toBe(2);
    const widest = await page.evaluate(() =>
      Math.max(
        ...Array.from(document.querySelectorAll('.tile, .catalog-filters, .pager')).map(
          (e) => e.getBoundingClientRect().right,
        ),
      ),
    );
    expect(widest).toBeLessThanOrEqual(375);
    await page.screenshot({ path: '/tmp/catalog-browse-phone.png', fullPage: false });
    const detail = await open(`/catalog/item/${await firstVisibleToken()}`, 375);
    const d = await overflow(detail);
    expect(d.scroll).toBeLessThanOrEqual(d.inner);
  });

  it('remembers the sort in localStorage browse_sort and re-applies it after a reload', async () => {
    const page = await open('/catalog/browse');
    await Promise.all([page.waitForURL(/sort=title_desc/), page.selectOption('#catalog-sort', 'title_desc')]);
    expect(await page.evaluate(() => localStorage.getItem('browse_sort'))).toBe('title_desc');
    const expected = (await apiJson('/catalog/browse?sort=title_desc')).body.items[0].title as string;

    await page.goto(t.url + '/catalog/browse');
    await page.waitForURL(/sort=title_desc/);
    expect(await page.inputValue('#catalog-sort')).toBe('title_desc');
    expect(await page.locator('.tile-title').first().textContent()).toBe(expected);
    await page.reload();
    expect(await page.inputValue('#catalog-sort')).toBe('title_desc');

    await Promise.all([
      page.waitForURL((u) => !u.search.includes('sort=')),
      page.selectOption('#catalog-sort', 'default'),
    ]);
    expect(await page.evaluate(() => localStorage.getItem('browse_sort'))).toBe('default');
  });

  it('reaches the search box, tile links and the pager with Tab, and Enter on a tile opens its page', async () => {
    const page = await open('/catalog/browse');
    const seen: string[] = [];
    let tileHref: string | null = null;
    for (let i = 0; i < 150 && !seen.includes('pager'); i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return { kind: 'none', href: null };
        if (el.id === 'catalog-q') return { kind: 'search', href: null };
        if (el.classList.contains('tile-title')) return { kind: 'tile', href: el.getAttribute('href') };
        if (el.closest('nav.pager')) return { kind: 'pager', href: el.getAttribute('href') };
        return { kind: el.tagName.toLowerCase(), href: null };
      });
      seen.push(focus.kind);
      if (focus.kind === 'tile' && !tileHref) tileHref = focus.href;
    }
    expect(seen).toContain('search');
    expect(seen.indexOf('search')).toBeLessThan(seen.indexOf('tile'));
    expect(seen.filter((k) => k === 'tile')).toHaveLength(24);
    expect(seen.indexOf('tile')).toBeLessThan(seen.indexOf('pager'));
    expect(tileHref).toMatch(/^\/catalog\/item\//);

    await page.goto(t.url + '/catalog/browse');
    await page.locator('#catalog-q').focus();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('tile-title'))) break;
    }
    const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    expect(href).toBe(tileHref);
    await Promise.all([page.waitForURL(`**${href}`), page.keyboard.press('Enter')]);
    await expect(page.locator('h1.item-title')).toBeVisibleNow();
  });

  it('searches as the user types, with prefix matching, and keeps focus in the box', async () => {
    const target = (await apiJson('/catalog/browse?sort=title_asc')).body.items.find((i: { title: string }) =>
      /^[A-Za-z]{6,}$/.test(i.title.split(' ')[0]),
    ) as { title: string; friendly_token: string };
    const prefix = target.title.split(' ')[0].slice(0, 4).toLowerCase();
    const page = await open('/catalog/browse');
    const before = await page.locator('.catalog-count').textContent();
    await page.locator('#catalog-q').click();
    await page.keyboard.type(prefix, { delay: 40 });
    await page.waitForURL(`**/catalog/search?q=${prefix}`);
    await page.waitForFunction(
      (p) => document.querySelector('.catalog-heading')?.textContent?.includes(p),
      prefix,
    );
    expect(await page.locator('.catalog-heading').textContent()).toBe(`Results for "${prefix}"`);
    const tokens = await page
      .locator('.catalog-grid > li.tile')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-token')));
    expect(tokens).toContain(target.friendly_token);
    const api = (await apiJson(`/catalog/search?q=${prefix}`)).body as { total: number };
    expect(await page.locator('.catalog-count').textContent()).toBe(
      `${api.total} item${api.total === 1 ? '' : 's'}`,
    );
    expect(await page.locator('.catalog-count').textContent()).not.toBe(before);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('catalog-q');

    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.waitForURL((u) => u.pathname === '/catalog/browse');
    await page.waitForFunction(
      () => document.querySelector('.catalog-heading')?.textContent === 'Browse Catalog',
    );
    expect(await page.locator('.catalog-count').textContent()).toBe(before);
  });

  it('renders a <script> title as text on browse, live search and the detail page', async () => {
    const page = await open('/catalog/browse?sort=title_asc');
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const tile = page.locator('li.tile[data-token="EvilTok02"] .tile-title');
    expect(await tile.textContent()).toBe(EVIL_TITLE);
    await page.locator('#catalog-q').click();
    await page.keyboard.type('zyzzog', { delay: 30 });
    await page.waitForURL('**/catalog/search?q=zyzzog*');
    await page.waitForSelector('li.tile[data-token="EvilTok02"]');
    expect(await page.locator('li.tile[data-token="EvilTok02"] .tile-title').textContent()).toBe(EVIL_TITLE);
    await page.goto(t.url + '/catalog/item/EvilTok02');
    expect(await page.locator('h1.item-title').textContent()).toBe(EVIL_TITLE);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(
      await page.locator('script:not([src])').evaluateAll((s) => s.map((x) => x.textContent ?? '')),
    ).not.toContainEqual(expect.stringContaining('__xss'));
    expect(dialogs).toBe(0);
  });
});

async function firstVisibleToken(): Promise<string> {
  return (await apiJson('/catalog/browse')).body.items[0].friendly_token as string;
}

// Small custom matchers so the assertions read like the spec (and fail with useful output).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toHaveCount24(): Promise<R>;
      toBeVisibleNow(): Promise<R>;
    }
  }
}
expect.extend({
  async toHaveCount24(locator: ReturnType<Page['locator']>) {
    await locator.first().waitFor();
    const n = await locator.count();
    return { pass: n === 24, message: () => `expected 24 tiles, found ${n}` };
  },
  async toBeVisibleNow(locator: ReturnType<Page['locator']>) {
    await locator.waitFor({ state: 'visible' });
    return { pass: await locator.isVisible(), message: () => 'expected the element to be visible' };
  },
});
