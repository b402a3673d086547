import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Browser } from 'playwright-core';
import { LiveEvent, type PresenceEvent } from '../../src/live/live.events';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';

let sim: RunningSimulator;
let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, clock: 'manual', catalogSize: 20 });
  await new SimControl(sim.url).addUser({ name: 'Boss', rank: 3 });
  t = await createTestApp({ configOverrides: { api_gate_url: sim.url, api_gate_token: sim.apiToken } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await t.close();
  await sim.close();
});

describe('admin dashboard', () => {
  it('shows the presence watch live: who is watched, why, grace left and items', async () => {
    const context = await browser.newContext();
    await addCookieHeader(context, t.url, sessionCookieFor(t, 'Boss', 3));
    const page = await context.newPage();
    await page.goto(`${t.url}/admin`);
    await page.locator('#live-status.live').waitFor();
    await page.getByText('Nobody is being watched').waitFor();

    const event: PresenceEvent = {
      tracked: [
        { owner: 'alice', state: 'gone', since: new Date().toISOString(), grace_left_sec: 42, items: 2 },
        { owner: 'bob', state: 'afk', since: new Date().toISOString(), grace_left_sec: 10, items: 1 },
      ],
    };
    t.get(EventEmitter2).emit(LiveEvent.Presence, event);
    const rows = page.locator('#presence-rows tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const alice = await rows.nth(0).locator('td').allTextContents();
    expect(alice[0]).toBe('alice');
    expect(alice[1]).toBe('left the channel');
    expect(Number.parseInt(alice[2], 10)).toBeLessThanOrEqual(42);
    expect(Number.parseInt(alice[2], 10)).toBeGreaterThanOrEqual(38);
    expect(alice[3]).toBe('2');
    expect((await rows.nth(1).locator('td').allTextContents())[1]).toBe('AFK');
    await page.getByText('watching alice (gone), bob (afk)').waitFor();

    t.get(EventEmitter2).emit(LiveEvent.Presence, { tracked: [] } satisfies PresenceEvent);
    await page.getByText('Nobody is being watched').waitFor({ state: 'visible' });
    expect(await page.locator('#presence-table').isHidden()).toBe(true);
    await context.close();
  });

  it('has the quick actions and asks before clearing the queue', async () => {
    const context = await browser.newContext();
    await addCookieHeader(context, t.url, sessionCookieFor(t, 'Boss', 3));
    const page = await context.newPage();
    await page.goto(`${t.url}/admin`);
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Clear Queue' }).click();
    expect(asked).toContain('Every pending paid item is refunded');
    await page.getByRole('button', { name: 'Sync Catalog' }).click();
    await page.locator('.toast').first().waitFor();
    await context.close();
  });
});
