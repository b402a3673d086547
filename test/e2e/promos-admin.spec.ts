import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import type { Browser, Page } from 'playwright-core';
import request from '../support/http';
import { DataSource } from 'typeorm';
import { SavedPlaylistItemEntity } from '../../src/playlists/entities/saved-playlist-item.entity';
import { SavedPlaylistEntity } from '../../src/playlists/entities/saved-playlist.entity';
import { manifestUrl } from '../../src/kryten/mediacms.client';
import { StatePoller } from '../../src/queue/queue.poller';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';

let sim: RunningSimulator;
let t: TestApp;
let browser: Browser;
let lateIdents = 0;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, clock: 'manual', catalogSize: 20 });
  await new SimControl(sim.url).addUser({ name: 'Boss', rank: 3 });
  await new SimControl(sim.url).addUser({ name: 'viewer', rank: 1 });
  t = await createTestApp({ configOverrides: { api_gate_url: sim.url, api_gate_token: sim.apiToken } });
  const ds = t.get(DataSource);
  await ds.getRepository(SavedPlaylistEntity).insert({
    name: 'Station IDs',
    description: null,
    is_immutable: false,
    created_by: 'Boss',
    created_at: new Date(),
    updated_at: null,
    promo_type: 'channel_identity',
  });
  // A second pool with clips, and content on the channel, for the preview.
  const { items } = await new SimControl(sim.url).catalog(0, 20);
  const playable = items.filter(
    (i) => i.state === 'public' && i.encoding_status === 'success' && i.duration > 0,
  );
  const { identifiers } = await ds.getRepository(SavedPlaylistEntity).insert({
    name: 'Late idents',
    description: null,
    is_immutable: false,
    created_by: 'Boss',
    created_at: new Date(),
    updated_at: null,
    promo_type: 'channel_identity',
  });
  lateIdents = identifiers[0].id as number;
  await ds.getRepository(SavedPlaylistItemEntity).insert(
    playable.slice(0, 2).map((clip, position) => ({
      playlist_id: lateIdents,
      position,
      media_type: 'cm',
      media_id: manifestUrl(sim.url, clip.friendly_token),
      title: clip.title,
      duration_sec: 20,
    })),
  );
  for (const item of playable.slice(2, 6)) {
    await new SimControl(sim.url).queueAsOther({
      token: item.friendly_token,
      queueby: 'Someone',
      temp: false,
    });
  }
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
    await error.getByText('General promo every N content items must be at least 1').waitFor();
    await expect(n.getAttribute('aria-invalid')).resolves.toBe('true');

    await n.fill('6');
    await page.locator('[data-field="types.event.order"]').selectOption('sequential');
    await page.locator('#promo-save').click();
    await page.locator('#promo-source').getByText('Saved settings').waitFor();
    await expect(error.textContent()).resolves.toBe('');

    await page.reload();
    await expect(page.locator('#f-n').inputValue()).resolves.toBe('6');
    await expect(page.locator('[data-field="types.event.order"]').inputValue()).resolves.toBe('sequential');

    const link = page.locator('#pool-rows tr[data-type="channel_identity"] a').first();
    await expect(link.textContent()).resolves.toBe('Station IDs (0)');
    await expect(link.getAttribute('href')).resolves.toMatch(/^\/admin\/playlists#playlist-\d+$/);
    await page.getByText('No promo decided yet.').waitFor();
  });

  /** A poll (and its promo round) while the simulated CyTube applies commands as they come. */
  async function poll(): Promise<void> {
    let done = false;
    const tick = t
      .get(StatePoller)
      .tick()
      .finally(() => (done = true));
    while (!done) {
      await new SimControl(sim.url).advance(0);
      await new Promise((r) => setTimeout(r, 50));
    }
    await tick;
  }

  /** "HH:MM" in UTC, `hours` from now (a window that is surely closed now). */
  const hhmm = (hours: number): string =>
    new Date(Date.now() + hours * 3_600_000).toISOString().slice(11, 16);

  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])(
    'shows whether promos run, what comes next (live) and the chances, per-pool rules, the log in words, and off in one click (%s)',
    async (name, viewport) => {
      const cookie = sessionCookieFor(t, 'Boss', 3);
      await request(t.url).delete('/admin/promos/config').set('Cookie', cookie).expect(200);
      await request(t.url)
        .put('/admin/promos/config')
        .set('Cookie', cookie)
        .send({ general: { every_n_items: 1, every_m_minutes: 100_000 }, pools: {} })
        .expect(200);
      await poll();
      const context = await browser.newContext({ viewport });
      await addCookieHeader(context, t.url, cookie);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${t.url}/admin/promos`);
      await page.locator('#promo-state-text').getByText('Promos are on.').waitFor();
      await page.locator('#live-status').getByText('● Live').waitFor();

      // Coming up: the next decisions in words, and the chances.
      const steps = page.locator('#preview-list .preview-step');
      await steps.first().waitFor();
      expect(await steps.first().textContent()).toMatch(/Channel identity.*before “.+”.*from Late idents/);
      const readout = page.locator('#readout-rows');
      expect(await readout.locator('tr.readout-type').first().textContent()).toContain('100 %');
      expect(await readout.textContent()).toContain('Station IDs0 %the playlist is empty');
      expect(await readout.textContent()).toContain('no playlist is tagged with this type');

      // Per-pool rules: a weight and hours that are closed now.
      const row = page.locator(`#pool-rows tr[data-pool="${lateIdents}"]`);
      await row.locator(`[data-field="pools.${lateIdents}.weight"]`).fill('3');
      await row.locator(`[data-field="pools.${lateIdents}.window.start"]`).fill(hhmm(2));
      await row.locator(`[data-field="pools.${lateIdents}.window.end"]`).fill(hhmm(3));
      await row.getByLabel('Late idents on Fri').check();
      await page.locator('#pools-save').click();
      await page.getByText('Pool settings saved').waitFor();
      await readout
        .getByText(/outside its hours/)
        .first()
        .waitFor();
      await page.reload();
      await expect(row.locator(`[data-field="pools.${lateIdents}.weight"]`).inputValue()).resolves.toBe('3');
      await expect(row.getByLabel('Late idents on Fri').isChecked()).resolves.toBe(true);
      await page.locator('#preview-list .preview-step.is-skipped').first().waitFor();
      expect(await page.locator('#preview-list').textContent()).toContain('Nothing before “');

      // Hours back to any time: the next poll inserts a promo, the log says so in words (live).
      await request(t.url)
        .put('/admin/promos/config')
        .set('Cookie', cookie)
        .send({ pools: { [lateIdents]: { weight: 3 } } })
        .expect(200);
      await poll();
      const inserted = page.locator('#decision-rows tr', { hasText: 'Inserted' }).first();
      await inserted.waitFor();
      expect(await inserted.textContent()).toMatch(
        /Channel identity.*Due after every content item \(1 since the last promo\)/,
      );
      await page.screenshot({ path: `/tmp/promos-admin-${name}.png`, fullPage: true });

      // Off in one click, and it says so.
      await page.getByRole('button', { name: 'Turn promos off now' }).click();
      await page.locator('#promo-state-text').getByText('Promos are off: nothing is inserted.').waitFor();
      await page.locator('#preview-idle').getByText('Promos are off: nothing will be inserted.').waitFor();
      await page.getByRole('button', { name: 'Turn promos on' }).click();
      await page.locator('#promo-state-text').getByText('Promos are on.').waitFor();
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
