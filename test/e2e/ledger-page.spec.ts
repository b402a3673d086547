import type { Browser } from 'playwright-core';
import { PayReconciler } from '../../src/pay/pay-reconciler.service';
import { addCookieHeader, launchBrowser } from '../support/browser';
import { seedFreeItems, startPayWorld, type PayWorld } from '../medium/economy/pay-harness';

/**
 * The admin ledger as a page: totals, what is still open (an uncertain charge) and refunds by
 * reason, all in words, at desktop and phone widths.
 */
jest.setTimeout(60_000);

let w: PayWorld;
let browser: Browser;

beforeAll(async () => {
  w = await startPayWorld();
  await w.ctl.addUser({ name: 'alice', balance: 5000 });
  await seedFreeItems(w, w.items.slice(0, 2));
  const buy = (token: string) =>
    w.http().post('/queue/add').set('Cookie', w.cookie('alice')).send({ friendly_token: token });
  // one delivered, one refunded (move failed), one whose charge the economy never confirmed
  const outcomes = [(await buy(w.items[10].token)).status];
  await w.ctl.setFaults([{ method: 'PUT', path: '/api/v1/playlist/*/move', status: 500, times: 1 }]);
  outcomes.push((await buy(w.items[11].token)).body.code);
  await w.ctl.setFaults([{ method: 'POST', path: '/api/v1/economy/queue-spend', status: 500, times: 1 }]);
  outcomes.push((await buy(w.items[12].token)).body.code);
  if (outcomes.join() !== '200,move_failed,spend_uncertain') throw new Error(`set-up: ${outcomes.join()}`);
  await w.ctl.flush();
  await w.t.get(PayReconciler).tick();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

describe.each([
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
])('the ledger page on %s', (name, viewport) => {
  it('shows the totals, the open charge in words and refunds by reason, with no errors', async () => {
    const context = await browser.newContext({ viewport });
    await addCookieHeader(context, w.t.url, w.cookie('boss', 3));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await page.goto(`${w.t.url}/admin`);
      await page.getByRole('link', { name: 'Ledger' }).click();
      await page.locator('h1', { hasText: 'Ledger' }).waitFor();
      await expect(page.getByTestId('ledger-verdict').textContent()).resolves.toBe(
        'Every Z spent is delivered, refunded or being placed.',
      );
      const open = page.getByTestId('ledger-open');
      await expect(open.locator('li').count()).resolves.toBe(1);
      const row = (await open.locator('li').first().textContent()) ?? '';
      expect(row).toContain('alice');
      expect(row).toContain('Charge not confirmed');
      expect(row).toContain("If it shows up in the economy's records by");
      await expect(page.locator('.ledger-reasons').textContent()).resolves.toContain(
        'It could not be placed in the queue',
      );
      // by viewer, and one viewer's own page
      const users = page.getByTestId('ledger-users');
      const alice = users.locator('tbody tr', { hasText: 'alice' });
      expect(await alice.locator('td').allTextContents()).toEqual([
        'alice',
        '3',
        expect.stringMatching(/Z$/),
        expect.stringMatching(/Z$/),
        expect.stringMatching(/Z$/),
        expect.stringMatching(/[1-9][\d,]* Z$/), // the unconfirmed charge is open
      ]);
      await page.screenshot({ path: `/tmp/ledger-${name}.png`, fullPage: true });
      const width = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(width).toBeLessThanOrEqual(0);
      await alice.getByRole('link', { name: 'alice' }).click();
      await page.locator('h1', { hasText: 'Ledger: alice' }).waitFor();
      await page.getByRole('link', { name: 'All viewers' }).waitFor();
      expect(await page.getByTestId('ledger-open').locator('li').count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
