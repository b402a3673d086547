import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import type { Browser, Page } from 'playwright-core';
import request from '../support/http';
import { DataSource } from 'typeorm';
import { SavedPlaylistEntity } from '../../src/playlists/entities/saved-playlist.entity';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';

let sim: RunningSimulator;
let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, clock: 'manual', catalogSize: 20 });
  await new SimControl(sim.url).addUser({ name: 'Boss', rank: 3 });
  await new SimControl(sim.url).addUser({ name: 'viewer', rank: 1 });
  t = await createTestApp({ configOverrides: { api_gate_url: sim.url, api_gate_token: sim.apiToken } });
  await t.get(DataSource).getRepository(SavedPlaylistEntity).insert({
    name: 'Station IDs',
    description: null,
    is_immutable: false,
    created_by: 'Boss',
    created_at: new Date(),
    updated_at: null,
    promo_type: 'channel_identity',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await t.close();
  await sim.close();
});

async function adminPage(path: string): Promise<Page> {
  const context = await browser.newContext();
  await addCookieHeader(context, t.url, sessionCookieFor(t, 'Boss', 3));
  const page = await context.newPage();
  await page.goto(`${t.url}${path}`);
  return page;
}

describe('admin promos page', () => {
  it('is admin only and linked from the dashboard', async () => {
    const viewer = await request(t.url)
      .get('/admin/promos')
      .set('Accept', 'text/html')
      .set('Cookie', sessionCookieFor(t, 'viewer', 1));
    expect(viewer.status).toBe(302);
    const page = await adminPage('/admin');
    await page.getByRole('link', { name: 'Promos' }).click();
    await page.getByRole('heading', { name: 'Promos', level: 1 }).waitFor();
    expect(page.url()).toBe(`${t.url}/admin/promos`);
  });

  it('edits the settings with inline errors, saves, and shows the pools with editor links', async () => {
    const page = await adminPage('/admin/promos');
    const n = page.locator('#f-n');
    await expect(n.inputValue()).resolves.toBe('4'); // the config file's default
    await page.locator('#promo-source').getByText('config file').waitFor();

    await n.fill('0');
    await page.locator('#promo-save').click();
    const error = page.locator('[data-error-for="general.every_n_items"]');
    await error.getByText('every_n_items must not be less than 1').waitFor();
    await expect(n.getAttribute('aria-invalid')).resolves.toBe('true');

    await n.fill('6');
    await page.locator('[data-field="types.event.order"]').selectOption('sequential');
    await page.locator('#promo-save').click();
    await page.locator('#promo-source').getByText('Saved settings').waitFor();
    await expect(error.textContent()).resolves.toBe('');

    await page.reload();
    await expect(page.locator('#f-n').inputValue()).resolves.toBe('6');
    await expect(page.locator('[data-field="types.event.order"]').inputValue()).resolves.toBe('sequential');

    const link = page.locator('#pool-rows tr[data-type="channel_identity"] a');
    await expect(link.textContent()).resolves.toBe('Station IDs (0)');
    await expect(link.getAttribute('href')).resolves.toMatch(/^\/admin\/playlists#playlist-\d+$/);
    await page.getByText('No promo decided since the server started.').waitFor();
  });
});
