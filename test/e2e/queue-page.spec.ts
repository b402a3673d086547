import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import type { Browser } from 'playwright-core';
import request from '../support/http';
import { StatePoller } from '../../src/queue/queue.poller';
import { QueueShadowService } from '../../src/queue/queue-shadow.service';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';

let sim: RunningSimulator;
let ctl: SimControl;
let t: TestApp;
let browser: Browser;
let catalog: { friendly_token: string; title: string; duration: number }[];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 9, clock: 'manual', catalogSize: 30 });
  ctl = new SimControl(sim.url);
  catalog = (await ctl.catalog(0, 30)).items.filter((i) => i.duration > 60 && i.duration < 4000);
  await ctl.addUser({ name: 'Boss', rank: 3 });
  t = await createTestApp({ configOverrides: { api_gate_url: sim.url, api_gate_token: sim.apiToken } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await t.close();
  await sim.close();
});

describe('GET /queue/state and the queue pages', () => {
  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])('an empty queue invites to browse (%s)', async (name, viewport) => {
    await t.get(StatePoller).tick();
    const context = await browser.newContext({ viewport });
    await addCookieHeader(context, t.url, sessionCookieFor(t, 'Viewer', 1));
    const page = await context.newPage();
    try {
      await page.goto(`${t.url}/queue`);
      const empty = page.locator('#queue-list .queue-empty');
      await empty.waitFor();
      expect(await empty.textContent()).toBe(
        'The queue is empty. Browse the catalog and put something on: it starts at once.',
      );
      expect(await empty.getByRole('link', { name: 'Browse the catalog' }).getAttribute('href')).toBe(
        '/catalog',
      );
      await page.screenshot({ path: `/tmp/queue-empty-${name}.png` });
    } finally {
      await context.close();
    }
  });

  it('answers /queue/state for viewers only, with the enriched state', async () => {
    await request(t.url).get('/queue/state').set('Accept', 'application/json').expect(401);
    await ctl.queueAsOther({ token: catalog[0].friendly_token, queueby: 'Bob' });
    await t.get(StatePoller).tick();
    const res = await request(t.url)
      .get('/queue/state')
      .set('Cookie', sessionCookieFor(t, 'Viewer', 1))
      .expect(200);
    expect(res.body).toMatchObject({ stale: false, now_playing: { title: catalog[0].title } });
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ paid_by: 'Bob', estimated_start_in_sec: 0 });
    expect(Number.isNaN(Date.parse(res.body.updated_at))).toBe(false);
  });

  it('guards the pages: viewers get /queue, only admins get /admin and /admin/queue-mgmt', async () => {
    const viewer = sessionCookieFor(t, 'Viewer', 1);
    const admin = sessionCookieFor(t, 'Boss', 3);
    const login = await request(t.url).get('/queue').set('Accept', 'text/html').expect(302);
    expect(login.headers.location).toMatch(/^\/auth\/login/);
    const page = await request(t.url)
      .get('/queue')
      .set('Cookie', viewer)
      .set('Accept', 'text/html')
      .expect(200);
    expect(page.text).toContain('Up Next');
    expect(page.text).toContain('/socket.io/socket.io.js');
    const denied = await request(t.url).get('/admin').set('Cookie', viewer).set('Accept', 'text/html');
    expect(denied.status).not.toBe(200);
    const dash = await request(t.url)
      .get('/admin')
      .set('Cookie', admin)
      .set('Accept', 'text/html')
      .expect(200);
    expect(dash.text).toContain('href="/admin/queue-mgmt"');
    expect(dash.text).toContain('Live events');
    const mgmt = await request(t.url)
      .get('/admin/queue-mgmt')
      .set('Cookie', admin)
      .set('Accept', 'text/html')
      .expect(200);
    expect(mgmt.text).toContain('Catalog Sync');
    await request(t.url).get('/socket.io/socket.io.js').expect(200);
  });

  it('shows the queue in a browser and updates it live when the queue changes', async () => {
    const context = await browser.newContext();
    await addCookieHeader(context, t.url, sessionCookieFor(t, 'Viewer', 1));
    const page = await context.newPage();
    try {
      await page.goto(`${t.url}/queue`);
      await page.locator('#live-status.live').waitFor();
      await page.locator('#now-title', { hasText: catalog[0].title }).waitFor();
      expect(await page.locator('#queue-list .queue-row').count()).toBe(1);

      await ctl.queueAsOther({ token: catalog[1].friendly_token, queueby: 'Eve' });
      await t.get(StatePoller).tick();
      await page.locator('#queue-list .queue-row').nth(1).waitFor();
      const second = page.locator('#queue-list .queue-row').nth(1);
      expect(await second.locator('.queue-row-title').textContent()).toBe(catalog[1].title);
      expect(await second.textContent()).toContain('by Eve');
      // the viewer's own time format, and the place in play order
      expect(await second.locator('.queue-row-side .muted').textContent()).toMatch(
        /^~\d{1,2}:\d\d( [AP]M)?$/,
      );
      expect(await page.locator('#queue-list .queue-row .queue-pos').allTextContents()).toEqual([
        'Now',
        '#1',
      ]);
      expect(await page.locator('#queue-summary').textContent()).toMatch(/^2 items · /);
    } finally {
      await context.close();
    }
  });
  it('shows the admin queue table live, with the Add Item modal closed until asked for', async () => {
    const context = await browser.newContext();
    await addCookieHeader(context, t.url, sessionCookieFor(t, 'Boss', 3));
    const page = await context.newPage();
    try {
      await page.goto(`${t.url}/admin/queue-mgmt`);
      await page.locator('#live-status.live').waitFor();
      await page.locator('#mgmt-rows tr[data-uid]').first().waitFor();
      expect(await page.locator('#add-modal').isVisible()).toBe(false);
      const rows = await page.locator('#mgmt-rows tr[data-uid]').count();
      await ctl.queueAsOther({ token: catalog[2].friendly_token, queueby: 'Zed' });
      await t.get(StatePoller).tick();
      await page.locator('#mgmt-rows tr[data-uid]').nth(rows).waitFor();
      expect(await page.locator('#mgmt-rows tr[data-uid]').nth(rows).textContent()).toContain('Zed');
      await page.click('#btn-add');
      expect(await page.locator('#add-modal').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('never hides a paid item that has not played: after a jump past it, it stays in Up Next, in words', async () => {
    const shadow = t.get(QueueShadowService);
    await t.get(StatePoller).tick();
    const items = shadow.items();
    expect(items.length).toBeGreaterThanOrEqual(3);
    const paid = items[1];
    await shadow.updateMetadata(paid.uid, { is_pay: true, paid_by: 'alice', tier: 'playnext' });
    const last = items[items.length - 1];
    await request(t.url)
      .post(`/admin/queue/${last.uid}/jump`)
      .set('Cookie', sessionCookieFor(t, 'Boss', 3))
      .expect(200);
    await ctl.advance(1);
    await t.get(StatePoller).tick();
    expect(shadow.nowPlayingUid()).toBe(last.uid);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await addCookieHeader(context, t.url, sessionCookieFor(t, 'Viewer', 1));
    const page = await context.newPage();
    try {
      await page.goto(`${t.url}/queue`);
      await page.locator('#live-status.live').waitFor();
      expect(await page.locator('#hide-previous').isChecked()).toBe(true);
      const row = page.locator(`#queue-list .queue-row[data-uid="${paid.uid}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('by alice');
      expect(await row.textContent()).toContain('Paid · Play next');
      expect(await row.textContent()).toContain('Waiting: skipped by a jump');
      // the channel's own earlier item is hidden as before
      expect(await page.locator(`#queue-list .queue-row[data-uid="${items[0].uid}"]`).count()).toBe(0);
      await page.screenshot({ path: '/tmp/queue-after-jump-phone.png', fullPage: true });
    } finally {
      await context.close();
    }
  });

  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])(
    'queue management: Jump names the paid items it goes past, Clear offers to keep the loop (%s)',
    async (name, viewport) => {
      const shadow = t.get(QueueShadowService);
      // a few permanent items, so there is something to jump past
      for (const item of catalog.slice(3, 6)) {
        await ctl
          .queueAsOther({ token: item.friendly_token, queueby: 'Eve', temp: false })
          .catch(() => undefined);
      }
      await t.get(StatePoller).tick();
      const items = shadow.items();
      const np = shadow.nowPlayingUid();
      const at = items.findIndex((i) => i.uid === np);
      const order = [...items.slice(at + 1), ...items.slice(0, at)];
      expect(order.length).toBeGreaterThanOrEqual(2);
      const paid = order[0];
      await shadow.updateMetadata(paid.uid, { is_pay: true, paid_by: 'alice', tier: 'queue' });
      const target = order[order.length - 1];

      const context = await browser.newContext({ viewport });
      await addCookieHeader(context, t.url, sessionCookieFor(t, 'Boss', 3));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(`${t.url}/admin/queue-mgmt`);
        await page.locator(`#mgmt-rows tr[data-uid="${target.uid}"]`).waitFor();
        // The first state a page gets may be the version before the metadata change; the
        // change follows as a diff, so wait for the row to show it.
        await page.locator(`#mgmt-rows tr[data-uid="${paid.uid}"]`, { hasText: 'Queue · alice' }).waitFor();
        await page.locator(`#mgmt-rows tr[data-uid="${target.uid}"] button[data-action="jump"]`).click();
        const dialog = page.getByRole('dialog', { name: 'Jump' });
        await dialog.waitFor();
        expect(await dialog.locator('p').textContent()).toMatch(/goes past 1 paid item:$/);
        expect(await dialog.locator('li').allTextContents()).toEqual([`${paid.title} — paid by alice`]);
        await dialog.getByRole('button', { name: 'Jump and refund them' }).waitFor();
        await page.screenshot({ path: `/tmp/jump-dialog-${name}.png` });
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        expect(await page.getByRole('dialog').count()).toBe(0);

        await page.getByRole('button', { name: 'Clear Queue' }).click();
        const clear = page.getByRole('dialog', { name: 'Clear the queue' });
        await clear.waitFor();
        const paidNow = shadow.items().filter((i) => i.is_pay).length;
        expect(await clear.locator('p').textContent()).toBe(
          `${paidNow} paid item${paidNow === 1 ? ' is' : 's are'} refunded either way.`,
        );
        await clear.getByRole('button', { name: 'Clear everything' }).waitFor();
        await page.screenshot({ path: `/tmp/clear-dialog-${name}.png` });
        await page.keyboard.press('Escape');
        await page.screenshot({ path: `/tmp/mgmt-${name}.png`, fullPage: true });
        await page.getByRole('button', { name: 'Clear Queue' }).click();
        await page.keyboard.press('Escape');
        expect(await page.getByRole('dialog').count()).toBe(0);
        expect(errors).toEqual([]);
      } finally {
        await shadow.updateMetadata(paid.uid, { is_pay: false, paid_by: null, tier: null });
        await context.close();
      }
    },
  );

  it('queue management: reorder from the keyboard (Move after…) and by drag and drop', async () => {
    const shadow = t.get(QueueShadowService);
    for (const item of catalog.slice(6, 9)) {
      await ctl
        .queueAsOther({ token: item.friendly_token, queueby: 'Eve', temp: false })
        .catch(() => undefined);
    }
    await t.get(StatePoller).tick();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await addCookieHeader(context, t.url, sessionCookieFor(t, 'Boss', 3));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const order = async (): Promise<number[]> => (await ctl.state()).playlist.map((p) => p.uid);
    // the simulated CyTube applies moves as they come (its clock is manual otherwise)
    const flusher = setInterval(() => void ctl.advance(0).catch(() => undefined), 100);
    try {
      await page.goto(`${t.url}/admin/queue-mgmt`);
      const before = await order();
      const [first, , third] = before;
      await page.locator(`#mgmt-rows tr[data-uid="${third}"]`).waitFor();
      // keyboard: focus Move, Enter, pick the first item, Move
      await page.locator(`#mgmt-rows tr[data-uid="${third}"] button[data-action="move"]`).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Put it right after').selectOption(String(first));
      await dialog.getByRole('button', { name: 'Move' }).click();
      await page
        .getByText(/^Moved /)
        .first()
        .waitFor();
      expect((await order()).slice(0, 2)).toEqual([first, third]);

      // drag: the last row onto the first one
      await t.get(StatePoller).tick();
      const now = await order();
      const last = now[now.length - 1];
      await page.locator(`#mgmt-rows tr[data-uid="${last}"]`).waitFor();
      await page
        .locator(`#mgmt-rows tr[data-uid="${last}"]`)
        .dragTo(page.locator(`#mgmt-rows tr[data-uid="${now[0]}"]`));
      for (let i = 0; i < 50 && (await order())[1] !== last; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await order())[1]).toBe(last);
      expect(shadow.items().length).toBe(now.length);
      expect(errors).toEqual([]);
    } finally {
      clearInterval(flusher);
      await context.close();
    }
  }, 30_000);
});
