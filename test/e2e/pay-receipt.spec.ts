import type { Browser, BrowserContext } from 'playwright-core';
import { seedFreeItems, startPayWorld, type PayWorld } from '../medium/economy/pay-harness';
import { addCookieHeader, launchBrowser } from '../support/browser';

describe('receipt modal (browser)', () => {
  let w: PayWorld;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());
  beforeEach(async () => {
    w = await startPayWorld();
  });
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    // Close the browser side first: an open page keeps a Socket.IO connection to the app.
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await w.close();
  });

  async function pageFor(user: string) {
    const context = await browser.newContext();
    contexts.push(context);
    await addCookieHeader(context, w.t.url, w.cookie(user));
    return context.newPage();
  }

  it('shows price, total, balance after, and queues on Confirm', async () => {
    await w.ctl.addUser({ name: 'alice', balance: 2500 });
    await seedFreeItems(w, w.items.slice(0, 1));
    const item = w.items[10];
    const page = await pageFor('alice');
    await page.goto(`${w.t.url}/catalog/item/${item.token}`);
    await page.click('[data-action="queue"]');
    await page.waitForSelector('.receipt-lines');
    const text = await page.textContent('.receipt-lines');
    expect(text).toContain(item.title);
    expect(text).toContain('Balance2,500 Z');
    expect(text).toMatch(/Total\d[\d,]* Z/);
    await page.click('[data-testid="receipt-confirm"]');
    // Wait for the toast by its text: under load another toast may be on screen first.
    await page.locator('.toast', { hasText: 'Added to queue!' }).waitFor();
    expect((await w.journal()).map((r) => r.state)).toEqual(['recorded']);
  }, 60_000);

  it('disables Confirm with a friendly reason when the balance is too low', async () => {
    await w.ctl.addUser({ name: 'bob', balance: 10 });
    const page = await pageFor('bob');
    await page.goto(`${w.t.url}/catalog/item/${w.items[11].token}`);
    await page.click('[data-action="queue"]');
    await page.waitForSelector('.receipt-reason');
    expect(await page.textContent('.receipt-reason')).toBe("You don't have enough Z for this item.");
    expect(await page.isDisabled('[data-testid="receipt-confirm"]')).toBe(true);
    expect(await page.getAttribute('.receipt-lines dd.negative', 'class')).toContain('negative');
  }, 60_000);
});
