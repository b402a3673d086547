import type { Browser, BrowserContext } from 'playwright-core';
import { PlayHistoryService } from '../../src/history/play-history.service';
import { startPayWorld, type PayWorld } from '../medium/economy/pay-harness';
import { finishCurrent, queuePermanent } from '../medium/promos/promo-world';
import { addCookieHeader, launchBrowser } from '../support/browser';

/** The catalog's home page: the channel now and next, then rows that scroll sideways and link to their grids. */
describe('home page of rows (browser)', () => {
  let w: PayWorld;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    w = await startPayWorld();
    await w.ctl.addUser({ name: 'viewer', balance: 5000 });
    const content = w.items.filter((i) => i.duration > 300 && i.duration < 3000);
    await queuePermanent(w, content.slice(0, 3));
    await w.poll();
    await finishCurrent(w); // the first one played: it leaves "Not played in a while"
    await w.poll();
  });
  afterAll(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await w.close();
    await browser.close();
  });

  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])(
    'shows now playing and up next, then rows linking to their grids (%s)',
    async (name, viewport) => {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      await addCookieHeader(context, w.t.url, w.cookie('viewer'));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${w.t.url}/`);
      expect(new URL(page.url()).pathname).toBe('/catalog');

      const hero = page.locator('.home-hero');
      await hero.getByText('Now playing on the channel').waitFor();
      const playing = w.t.get(PlayHistoryService);
      const [current] = await playing.recent(1, 'content');
      expect(await hero.locator('.hero-title').textContent()).toBe(current.title);
      expect(await hero.locator('.hero-next-list li').count()).toBeGreaterThanOrEqual(1);
      expect(await hero.locator('.hero-next-list time').first().textContent()).toMatch(/^~\d{1,2}:\d{2}/);

      const rows = page.locator('.home-row');
      const titles = await rows.locator('.home-row-title').allTextContents();
      expect(titles.slice(0, 3)).toEqual(['Recently added', 'Movies', 'Short picks']);
      expect(titles[titles.length - 1]).toBe('Not played in a while');
      // (category rows sit between them when the catalog has categories: see home.spec in medium)
      // what played lately is not in "Not played in a while"
      const notPlayed = page.locator('.home-row', {
        has: page.getByRole('heading', { name: 'Not played in a while' }),
      });
      const firstPlayed = (await playing.recent(10, 'content')).map((r) => r.title);
      const notPlayedTitles = await notPlayed.locator('.tile-title').allTextContents();
      for (const title of firstPlayed) expect(notPlayedTitles).not.toContain(title);
      // rows scroll sideways, not the page
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      const row = rows.first().locator('.home-row-tiles');
      expect(await row.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      // prices arrive on the tiles
      await rows
        .first()
        .locator('[data-action="queue"]', { hasText: /· \d[\d,]* Z$/ })
        .first()
        .waitFor();
      await page.screenshot({ path: `/tmp/home-${name}.png`, fullPage: true });

      // each row links to its full grid
      await rows
        .nth(1)
        .getByRole('link', { name: /^See all/ })
        .click();
      await page.waitForURL(
        (u) => u.pathname === '/catalog/browse' && u.searchParams.get('length') === 'movie',
      );
      expect(await page.locator('.catalog-heading').textContent()).toBe('Movies');
      const lengths = await page.locator('.tile-duration').allTextContents();
      expect(lengths.length).toBeGreaterThan(0);
      for (const l of lengths) expect(l.split(':').length).toBe(3); // an hour or more
      // the filter stays across paging and can be cleared
      const pagerLinks = await page
        .locator('.pager a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      expect(pagerLinks.filter((href) => !href.includes('length=movie'))).toEqual([]);
      await page.getByRole('link', { name: /Show all lengths/ }).click();
      await page.waitForURL((u) => u.pathname === '/catalog/browse' && !u.searchParams.has('length'));

      await page.goto(`${w.t.url}/catalog/not-played`);
      expect(await page.locator('.catalog-heading').textContent()).toBe('Not played in a while');
      const gridTitles = await page.locator('.tile-title').allTextContents();
      for (const title of firstPlayed) expect(gridTitles).not.toContain(title);
      expect(errors).toEqual([]);
    },
    60_000,
  );
});
