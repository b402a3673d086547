import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import type { Browser } from 'playwright-core';
import supertest from 'supertest';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';
import { simOverrides } from '../support/config';
import { StatePoller } from '../../src/queue/queue.poller';

let sim: RunningSimulator;
let t: TestApp;
let browser: Browser;
let ctl: SimControl;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 6, clock: 'manual', catalogSize: 10 });
  ctl = new SimControl(sim.url);
  await ctl.addUser({ name: 'alice', rank: 1 });
  t = await createTestApp({ configOverrides: { ...simOverrides(sim), bot_names: ['KrytenBot'] } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await t.close();
  await sim.close();
});

describe('viewer dashboard: linked devices', () => {
  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])('makes a link code, lists the linked device and revokes it (%s)', async (name, viewport) => {
    const context = await browser.newContext({ viewport });
    await addCookieHeader(context, t.url, sessionCookieFor(t, 'alice', 1));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/user/dashboard`);
    const card = page.getByTestId('devices');
    await card.getByRole('heading', { name: 'Linked devices' }).waitFor();
    await card.getByRole('button', { name: 'Link a device' }).click();
    const code = (await card.locator('.device-code-value').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(await card.locator('#device-code').textContent()).toContain('within 10 minutes');

    // the device (no cookie, no Origin) trades the code for its key
    const linked = await supertest(t.app.getHttpServer())
      .post('/api/public/v1/link')
      .send({ code, name: `Overlay ${name}` })
      .expect(200);
    const key = linked.body.api_key as string;
    await supertest(t.app.getHttpServer())
      .get('/api/public/v1/queue')
      .set('Authorization', `Bearer ${key}`)
      .expect(200);

    await page.reload();
    const row = card.locator('.device-row', { hasText: `Overlay ${name}` });
    await row.waitFor();
    expect(await row.textContent()).toContain(`Key ${key.slice(0, 8)}…`);
    expect(await row.locator('.badge').textContent()).toBe('Active');
    await page.screenshot({ path: `/tmp/devices-${name}.png`, fullPage: true });
    await row.getByRole('button', { name: `Revoke Overlay ${name}` }).click();
    await row.locator('.badge', { hasText: 'Revoked' }).waitFor();
    await supertest(t.app.getHttpServer())
      .get('/api/public/v1/queue')
      .set('Authorization', `Bearer ${key}`)
      .expect(401);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the public queue page (no login)', () => {
  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])(
    'shows now playing and up next with requester and tier in words, to anyone (%s)',
    async (name, viewport) => {
      const { items } = await ctl.catalog(0, 10);
      if ((await ctl.state()).playlist.length === 0) {
        for (const item of items.filter((i) => i.state === 'public').slice(0, 3)) {
          await ctl.queueAsOther({ token: item.friendly_token, temp: false, queueby: 'KrytenBot' });
        }
        await ctl.advance(1);
      }
      await t.get(StatePoller).tick();
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const res = await page.goto(`${t.url}/public/queue`);
      expect(res?.status()).toBe(200);
      await page.getByRole('heading', { name: 'Now Playing' }).waitFor();
      expect(await page.locator('.pq-now-title').textContent()).not.toBe('');
      expect(await page.locator('#pq-now').textContent()).toContain('Channel pick');
      expect(await page.locator('#pq-list .queue-row').first().textContent()).toContain('Channel pick');
      expect(await page.locator('#pq-list .queue-row').count()).toBeGreaterThanOrEqual(2);
      const text = (await page.locator('#public-queue').textContent()) ?? '';
      expect(text).not.toMatch(/ChannelBot|KrytenBot|balance|z_cost/i);
      await page.screenshot({ path: `/tmp/public-queue-${name}.png`, fullPage: true });
      const json = await supertest(t.app.getHttpServer()).get('/public/queue.json').expect(200);
      expect(json.body.items[0]).toMatchObject({
        is_now_playing: true,
        requester: 'Channel',
        tier: 'Channel',
      });
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
