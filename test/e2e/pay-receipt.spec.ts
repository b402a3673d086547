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

  async function pageFor(user: string, viewport = { width: 1280, height: 800 }) {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    await addCookieHeader(context, w.t.url, w.cookie(user));
    return context.newPage();
  }

  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])(
    'prices both buttons, shows the rules before Confirm, and says what happened after it (%s)',
    async (name, viewport) => {
      await w.ctl.addUser({ name: 'alice', balance: 2500 });
      await seedFreeItems(w, w.items.slice(0, 1));
      await w.poll();
      const item = w.items[10];
      const page = await pageFor('alice', viewport);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${w.t.url}/catalog/item/${item.token}`);
      // the navbar balance and this viewer's price on both buttons
      await page.locator('#nav-balance').getByText('2,500 Z').waitFor();
      const queue = page.getByRole('link', { name: /^Queue · \d[\d,]* Z$/ });
      await queue.waitFor();
      await page.getByRole('link', { name: /^Play next · \d[\d,]* Z$/ }).waitFor();
      await queue.click();
      await page.waitForSelector('.receipt-lines');
      const text = await page.textContent('.receipt-lines');
      expect(text).toContain(item.title);
      expect(text).toContain('PlaysAfter the items already queued');
      expect(text).toContain('Balance2,500 Z');
      expect(text).toMatch(/Total\d[\d,]* Z/);
      expect(text).toMatch(/Purchases left today\d+ \(this one included\)/);
      // Queue and Play next side by side in the receipt: same price, a different place
      const tiers = page.getByRole('group', { name: 'How it plays' });
      await tiers.getByRole('button', { name: 'Play next' }).click();
      await page.getByRole('heading', { name: 'Play Next' }).waitFor();
      await page.locator('.receipt-lines', { hasText: 'Right after what is playing now' }).waitFor();
      await tiers.getByRole('button', { name: 'Queue' }).click();
      await page.locator('.receipt-lines', { hasText: 'After the items already queued' }).waitFor();
      expect(await tiers.getByRole('button', { name: 'Queue' }).getAttribute('aria-pressed')).toBe('true');
      await page.screenshot({ path: `/tmp/receipt-${name}.png` });
      await page.click('[data-testid="receipt-confirm"]');
      const outcome = page.locator('.receipt-done');
      await outcome.waitFor();
      expect(await outcome.textContent()).toBe(`Queued “${item.title}”.`);
      const lines = (await page.textContent('.receipt-lines')) ?? '';
      expect(lines).toMatch(/Paid\d[\d,]* ZBalance now\d[\d,]* ZPlace in the queue#\d+/);
      await page.screenshot({ path: `/tmp/receipt-done-${name}.png` });
      expect((await w.journal()).map((r) => r.state)).toEqual(['recorded']);
      await page.getByRole('button', { name: 'Done' }).click();
      // the detail page now says where it is, the buttons say why it can't be bought again
      await w.poll();
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await page.locator('.item-status .badge.queued', { hasText: /^In the queue · #\d+/ }).waitFor();
      await page.locator('.item-status', { hasText: 'It is already in the queue.' }).waitFor();
      await page
        .locator('#nav-balance')
        .getByText(/^[\d,]+ Z$/)
        .waitFor();
      expect(await page.textContent('#nav-balance')).not.toBe('2,500 Z');
      expect(errors).toEqual([]);
    },
    60_000,
  );

  it('the navbar balance follows a refund made elsewhere, live, without a reload', async () => {
    await w.ctl.addUser({ name: 'dave', balance: 3000 });
    await seedFreeItems(w, w.items.slice(0, 1));
    const bought = await w
      .http()
      .post('/queue/add')
      .set('Cookie', w.cookie('dave'))
      .send({ friendly_token: w.items[13].token });
    expect(bought.status).toBe(200);
    const page = await pageFor('dave');
    await page.goto(`${w.t.url}/queue`);
    await page.locator('#live-status.live').waitFor();
    const nav = page.locator('#nav-balance');
    await nav.getByText(/^[\d,]+ Z$/).waitFor();
    const before = await nav.textContent();
    expect(before).not.toBe('3,000 Z');
    // an admin removes the paid item: it is refunded, and dave's open page hears of it
    const removed = await w
      .http()
      .delete(`/admin/queue/${bought.body.uid}`)
      .set('Cookie', w.cookie('boss', 3));
    expect(removed.body).toMatchObject({ refunded: true });
    await nav.getByText('3,000 Z').waitFor({ timeout: 10_000 });
  }, 60_000);

  it('a failure after the charge says it was refunded', async () => {
    await w.ctl.addUser({ name: 'carol', balance: 5000 });
    const item = w.items[12];
    const page = await pageFor('carol');
    await page.goto(`${w.t.url}/catalog/item/${item.token}`);
    await page.locator('.item-actions [data-action="queue"]').first().click();
    await page.waitForSelector('.receipt-lines');
    await w.ctl.setFaults([{ method: 'POST', path: '/api/v1/playlist/add', status: 503, times: 10 }]);
    await page.click('[data-testid="receipt-confirm"]');
    const outcome = page.locator('.receipt-body .receipt-reason');
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(/^Not queued: .+ You were charged and the Z was refunded\.$/);
    expect((await w.journal()).map((r) => r.state)).toEqual(['refunded']);
  }, 60_000);

  it('disables Confirm with a friendly reason when the balance is too low', async () => {
    await w.ctl.addUser({ name: 'bob', balance: 10 });
    const page = await pageFor('bob');
    await page.goto(`${w.t.url}/catalog/item/${w.items[11].token}`);
    await page.click('[data-action="queue"]');
    await page.waitForSelector('.receipt-reason');
    expect(await page.textContent('.receipt-reason')).toBe(
      "You don't have enough Z for this item. Nothing was charged.",
    );
    expect(await page.isDisabled('[data-testid="receipt-confirm"]')).toBe(true);
    expect(await page.getAttribute('.receipt-lines dd.negative', 'class')).toContain('negative');
  }, 60_000);
});
