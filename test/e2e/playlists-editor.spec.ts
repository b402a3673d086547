import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import type { Browser, Page } from 'playwright-core';
import request from '../support/http';
import { DataSource } from 'typeorm';
import { CatalogService } from '../../src/catalog/catalog.service';
import { CatalogItemEntity } from '../../src/catalog/entities/catalog-item.entity';
import { InstantSleeper, Sleeper } from '../../src/common/sleeper';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';
import { simOverrides } from '../support/config';

jest.setTimeout(30_000);

let sim: RunningSimulator;
let ctl: SimControl;
let t: TestApp;
let browser: Browser;
let items: CatalogItemEntity[];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 9, clock: 'manual', catalogSize: 20 });
  ctl = new SimControl(sim.url);
  await ctl.addUser({ name: 'Boss', rank: 3 });
  t = await createTestApp({
    configOverrides: simOverrides(sim),
    override: (b) => b.overrideProvider(Sleeper).useValue(new InstantSleeper()),
  });
  await t.get(CatalogService).runSync('test');
  const visible = (
    await t
      .get(CatalogService)
      .browse({ page: 1, sort: 'title_asc', showHidden: false, category: null, tag: null })
  ).items.map((i) => i.friendly_token);
  const all = await t.get(DataSource).getRepository(CatalogItemEntity).find();
  // Two visible items whose titles are distinct single searches.
  items = all.filter((i) => visible.includes(i.friendly_token) && /^[A-Za-z][A-Za-z ]+$/.test(i.title));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await t.close();
  await sim.close();
});

async function adminPage(): Promise<Page> {
  const context = await browser.newContext();
  await addCookieHeader(context, t.url, sessionCookieFor(t, 'Boss', 3));
  return context.newPage();
}

describe('Admin Playlists page', () => {
  it('is a page for browsers and JSON for fetch; admins only', async () => {
    const admin = sessionCookieFor(t, 'Boss', 3);
    const html = await request(t.url).get('/admin/playlists').set('Cookie', admin).set('Accept', 'text/html');
    expect(html.status).toBe(200);
    expect(html.text).toContain('+ New Playlist');
    expect(html.text).toContain('/static/js/admin-playlists.js');
    const json = await request(t.url)
      .get('/admin/playlists')
      .set('Cookie', admin)
      .set('Accept', 'application/json');
    expect(json.status).toBe(200);
    expect(Array.isArray(json.body)).toBe(true);
    const anon = await request(t.url).get('/admin/playlists').set('Accept', 'text/html');
    expect(anon.status).toBe(302);
    expect(anon.headers.location).toContain('/auth/login');
    const dashboard = await request(t.url).get('/admin').set('Cookie', admin).set('Accept', 'text/html');
    expect(dashboard.text).toContain('href="/admin/playlists"');
  });

  it('creates a playlist, adds two catalog items, reorders with ↑, saves, reloads and imports to live', async () => {
    expect(items.length).toBeGreaterThanOrEqual(2);
    const [first, second] = items;
    const page = await adminPage();
    await page.goto(`${t.url}/admin/playlists`);
    await page.getByText('No playlists yet.').waitFor();

    await page.getByRole('button', { name: '+ New Playlist' }).click();
    await page.locator('#new-name').fill('Friday <b>Night</b>');
    await page.locator('#new-description').fill('two films');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#pl-editor').waitFor({ state: 'visible' });
    expect(await page.locator('#ed-heading').textContent()).toBe('Edit: Friday <b>Night</b>');

    for (const item of [first, second]) {
      await page.locator('#ed-q').fill(item.title);
      await page.locator('#ed-search-form button[type=submit]').click();
      const hit = page.locator('#ed-results li', { hasText: item.title }).first();
      await hit.getByRole('button', { name: 'Add' }).click();
    }
    const titles = page.locator('#ed-items .pl-item-title');
    await expect(titles.allTextContents()).resolves.toEqual([first.title, second.title]);
    expect(await page.locator('#ed-dirty').isVisible()).toBe(true);

    await page.locator('#ed-items li').nth(1).getByRole('button', { name: 'Move up' }).click();
    expect(await titles.allTextContents()).toEqual([second.title, first.title]);

    await page.getByRole('button', { name: 'Save Items' }).click();
    await page.getByText('Saved 2 item(s)').waitFor();
    expect(await page.locator('#ed-dirty').isHidden()).toBe(true);

    await page.reload();
    await page.locator('#pl-editor').waitFor({ state: 'visible' });
    await page.locator('#ed-items li').nth(1).waitFor();
    expect(await titles.allTextContents()).toEqual([second.title, first.title]);

    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Import to Live' }).click();
    await page.getByText('Imported 2 item(s)', { exact: true }).waitFor();
    expect(await page.locator('#ed-import-summary').textContent()).toBe(
      'Added 2 of 2 to the end of the live queue.',
    );
    expect(asked).toContain('live queue');
    const live = (await ctl.state()).playlist.map((p) => p.media.id);
    expect(live.slice(-2)).toEqual([second.manifest_url, first.manifest_url]);

    await page.getByRole('button', { name: '← Back' }).click();
    const row = page.locator('#pl-rows tr', { hasText: 'Friday <b>Night</b>' });
    await row.waitFor();
    expect(await row.locator('td').nth(3).textContent()).toBe('2');
    expect(await row.locator('.badge').first().textContent()).toBe('Mutable');
    await page.context().close();
  });

  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])('Import to Live lists each item it could not add, with the reason (%s)', async (name, viewport) => {
    const admin = sessionCookieFor(t, 'Boss', 3);
    const created = await request(t.url)
      .post('/admin/playlists')
      .set('Cookie', admin)
      .send({ name: `Faulty ${name}` });
    const id = created.body.id as number;
    // items not yet on the live playlist (CyTube refuses a media twice)
    const live = new Set((await ctl.state()).playlist.map((p) => p.media.id));
    const picks = items.filter((i) => !live.has(i.manifest_url)).slice(0, 2);
    expect(picks).toHaveLength(2);
    await request(t.url)
      .put(`/admin/playlists/${id}/items`)
      .set('Cookie', admin)
      .send({
        items: picks.map((i) => ({
          media_type: 'cm',
          media_id: i.manifest_url,
          title: i.title,
          duration_sec: i.duration_sec,
        })),
      })
      .expect(200);
    await ctl.clearFaults();
    const context = await browser.newContext({ viewport });
    await addCookieHeader(context, t.url, admin);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/admin/playlists#playlist-${id}`);
    await page.locator('#pl-editor').waitFor({ state: 'visible' });
    await ctl.setFaults([{ method: 'POST', path: '/api/v1/playlist/add', status: 500, times: 1 }]);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Import to Live' }).click();
    const summary = page.locator('#ed-import-summary');
    await summary.getByText(/^Added 1 of 2/).waitFor();
    expect(await summary.textContent()).toBe(
      'Added 1 of 2 to the end of the live queue; 1 could not be added:',
    );
    expect(await page.locator('#ed-import-failures li').allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^#1 ${picks[0].title}: .+`)),
    ]);
    await page.screenshot({ path: `/tmp/playlist-import-${name}.png`, fullPage: true });
    await ctl.clearFaults();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('bulk text import appends parsed items and lists the unresolved lines', async () => {
    const page = await adminPage();
    await page.goto(`${t.url}/admin/playlists`);
    await page.getByRole('button', { name: '+ New Playlist' }).click();
    await page.locator('#new-name').fill('Bulk');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#pl-editor').waitFor({ state: 'visible' });
    await page
      .locator('#ed-bulk')
      .fill(['# comment', 'https://youtu.be/dQw4w9WgXcQ - Rick', 'https://vimeo.com/1'].join('\n'));
    await page.getByRole('button', { name: 'Parse and add' }).click();
    await page.locator('#ed-unresolved li').first().waitFor();
    expect(await page.locator('#ed-unresolved li').allTextContents()).toEqual([
      'Line 3: https://vimeo.com/1 — links from this site cannot be played',
    ]);
    expect(await page.locator('#ed-items .pl-item-title').allTextContents()).toEqual(['Rick']);
    await page.context().close();
  });

  it('Reserve asks first and flips the badge', async () => {
    await request(t.url)
      .post('/admin/playlists')
      .set('Cookie', sessionCookieFor(t, 'Boss', 3))
      .send({ name: 'Reserve me' })
      .expect(200);
    const page = await adminPage();
    await page.goto(`${t.url}/admin/playlists`);
    const row = page.locator('#pl-rows tr', { hasText: 'Reserve me' });
    await row.waitFor();
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await row.getByRole('button', { name: 'Reserve' }).click();
    await row.getByRole('button', { name: 'Release' }).waitFor();
    expect(asked).toContain('cannot be bought');
    expect(await row.locator('.badge').first().textContent()).toBe('Immutable');
    await page.context().close();
  });

  it('catalog admin buttons: + Recent and Add to playlist append the item', async () => {
    const admin = sessionCookieFor(t, 'Boss', 3);
    const older = (
      await request(t.url).post('/admin/playlists').set('Cookie', admin).send({ name: 'AAA Picked' })
    ).body.id as number;
    const newest = (
      await request(t.url).post('/admin/playlists').set('Cookie', admin).send({ name: 'ZZZ Newest' })
    ).body.id as number;
    const item = items[0];
    const page = await adminPage();
    await page.goto(`${t.url}/catalog/item/${item.friendly_token}`);
    await page.getByRole('button', { name: '+ Recent' }).click();
    await page.getByText('Added to "ZZZ Newest"').waitFor();

    await page.getByRole('button', { name: 'Add to playlist' }).click();
    await page
      .getByRole('dialog', { name: 'Add to playlist' })
      .getByLabel('Playlist')
      .selectOption(String(older));
    await page.getByRole('dialog', { name: 'Add to playlist' }).getByRole('button', { name: 'Add' }).click();
    await page.getByText('Added to "AAA Picked"').waitFor();

    await page.goto(`${t.url}/catalog/browse`);
    const tile = page.locator(`.tile[data-token="${item.friendly_token}"]`);
    await tile.getByRole('button', { name: '+ Recent' }).click();
    await page.getByText('Added to "ZZZ Newest"').first().waitFor();

    const get = async (id: number) =>
      (
        await request(t.url)
          .get(`/admin/playlists/${id}`)
          .set('Cookie', admin)
          .set('Accept', 'application/json')
      ).body.items as { media_id: string }[];
    expect((await get(newest)).map((i) => i.media_id)).toEqual([item.manifest_url, item.manifest_url]);
    expect((await get(older)).map((i) => i.media_id)).toEqual([item.manifest_url]);
    await page.context().close();
  });
});
