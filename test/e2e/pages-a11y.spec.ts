import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import type { Browser, Page } from 'playwright-core';
import request from '../support/http';
import { CatalogService } from '../../src/catalog/catalog.service';
import { StatePoller } from '../../src/queue/queue.poller';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';
import { simOverrides } from '../support/config';

/**
 * Every main page (viewer and admin; /admin itself is left to its own spec) on a 390 px phone:
 * no horizontal overflow, no console errors, no failed same-origin requests, an accessible name
 * on every button/link/field, and exactly one visible h1.
 */
jest.setTimeout(60_000);

const PHONE = { width: 390, height: 844 };

let sim: RunningSimulator;
let t: TestApp;
let browser: Browser;
let token: string;

interface PageCase {
  name: string;
  path: () => string;
  as: 'anonymous' | 'viewer' | 'admin';
  /** A selector that shows the page has its data (the JS-rendered parts are in). */
  ready?: string;
  /** Something to do once ready (open a modal or the editor). */
  act?: (page: Page) => Promise<void>;
  /** The document itself answers with this status (the 404 page). */
  status?: number;
}

const PAGES: PageCase[] = [
  { name: 'login', path: () => '/auth/login', as: 'anonymous' },
  { name: 'home', path: () => '/catalog', as: 'viewer', ready: '.home-row .tile' },
  {
    name: 'not played in a while',
    path: () => '/catalog/not-played',
    as: 'viewer',
    ready: '.catalog-heading',
  },
  { name: 'browse', path: () => '/catalog/browse', as: 'viewer', ready: '.catalog-grid .tile' },
  { name: 'movies', path: () => '/catalog/browse?length=movie', as: 'viewer', ready: '.catalog-heading' },
  { name: 'search', path: () => '/catalog/search?q=the', as: 'viewer', ready: '.catalog-heading' },
  { name: 'item detail', path: () => `/catalog/item/${token}`, as: 'viewer', ready: '.item-title' },
  {
    name: 'receipt modal on browse',
    path: () => '/catalog/browse',
    as: 'viewer',
    ready: '.catalog-grid .tile',
    act: async (page) => {
      await page.locator('.tile [data-action="queue"]').first().click();
      await page.locator('.receipt-lines').waitFor();
    },
  },
  { name: 'queue', path: () => '/queue', as: 'viewer', ready: '#live-status.live' },
  { name: 'dashboard', path: () => '/user/dashboard', as: 'viewer', ready: '.dash-balance' },
  { name: 'not found', path: () => '/no/such/page', as: 'viewer', status: 404 },
  { name: 'browse as admin', path: () => '/catalog/browse', as: 'admin', ready: '[data-action="hide"]' },
  {
    name: 'queue management',
    path: () => '/admin/queue-mgmt',
    as: 'admin',
    ready: '#mgmt-rows tr[data-uid]',
  },
  { name: 'playlists', path: () => '/admin/playlists', as: 'admin', ready: '#pl-rows tr[data-id]' },
  {
    name: 'playlist editor',
    path: () => '/admin/playlists',
    as: 'admin',
    ready: '#pl-rows tr[data-id]',
    act: async (page) => {
      await page.locator('#pl-rows tr[data-id]').first().getByRole('button', { name: 'Edit' }).click();
      await page.locator('#pl-editor').waitFor();
    },
  },
  { name: 'schedules', path: () => '/admin/schedules', as: 'admin', ready: '#sched-rows tr[data-id]' },
  {
    name: 'new schedule modal',
    path: () => '/admin/schedules',
    as: 'admin',
    ready: '#sched-rows tr[data-id]',
    act: async (page) => {
      await page.getByRole('button', { name: '+ New Schedule' }).click();
      await page.locator('#sched-modal').waitFor();
    },
  },
  {
    name: 'promos',
    path: () => '/admin/promos',
    as: 'admin',
    ready: '#pool-rows tr[data-type], #pool-rows td',
  },
];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 12, clock: 'manual', catalogSize: 40 });
  const ctl = new SimControl(sim.url);
  await ctl.addUser({ name: 'Boss', rank: 3 });
  await ctl.addUser({ name: 'Vicky', rank: 1, balance: 5000 });
  t = await createTestApp({
    configOverrides: simOverrides(sim),
  });
  const summary = await t.get(CatalogService).runSync('a11y');
  if (summary.status !== 'completed') throw new Error(`catalog sync: ${JSON.stringify(summary)}`);

  const catalog = (await ctl.catalog(0, 40)).items.filter((i) => i.duration > 60 && i.duration < 4000);
  token = catalog[0].friendly_token;
  await ctl.queueAsOther({ token: catalog[1].friendly_token, queueby: 'Eve' });
  await ctl.queueAsOther({ token: catalog[2].friendly_token, queueby: 'A very long viewer name indeed' });
  await t.get(StatePoller).tick();

  const admin = sessionCookieFor(t, 'Boss', 3);
  const playlist = await request(t.url)
    .post('/admin/playlists')
    .set('Cookie', admin)
    .send({ name: 'Friday Night Double Feature', description: 'Two long films, back to back' })
    .expect(200);
  await request(t.url)
    .post('/admin/schedules')
    .set('Cookie', admin)
    .send({
      playlist_id: playlist.body.id,
      label: 'Friday marathon',
      fire_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      is_recurring: true,
      rrule: 'FREQ=WEEKLY;BYDAY=FR',
      pre_fire_lock_minutes: 15,
    })
    .expect(201);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await sim?.close();
});

/** Buttons, links and fields that have no accessible name (text, aria-label(ledby), title, label). */
function namelessControls(page: Page): Promise<string[]> {
  return page.locator('button, a, input, select, textarea').evaluateAll((elements) =>
    elements
      .filter((node) => {
        const el = node as HTMLInputElement;
        if (el.type === 'hidden' || el.closest('[aria-hidden="true"]')) return false;
        if ((el.textContent ?? '').trim()) return false;
        if ((el.getAttribute('aria-label') ?? '').trim() || (el.getAttribute('title') ?? '').trim()) {
          return false;
        }
        const labelledBy = (el.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join('');
        if (labelledBy.trim()) return false;
        if (Array.from(el.labels ?? []).some((label) => (label.textContent ?? '').trim())) return false;
        if (['submit', 'button', 'reset'].includes(el.type) && el.value.trim()) return false;
        if (el.querySelector('img[alt]:not([alt=""])')) return false;
        return true;
      })
      .map((el) => el.outerHTML.slice(0, 160)),
  );
}

describe.each(PAGES)('$name at 390 px', (c) => {
  it('does not overflow, logs no errors, loads everything, names every control, has one h1', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    if (c.as !== 'anonymous') {
      const cookie = c.as === 'admin' ? sessionCookieFor(t, 'Boss', 3) : sessionCookieFor(t, 'Vicky', 1);
      await addCookieHeader(context, t.url, cookie);
    }
    const page = await context.newPage();
    const origin = new URL(t.url).origin;
    const url = `${t.url}${c.path()}`;
    const problems: string[] = [];
    page.on('console', (msg) => {
      // The 404 page's own document is expected to be a 404: Chromium logs it as a console error.
      if (msg.type() === 'error' && !(c.status && msg.location().url === url)) {
        problems.push(`console: ${msg.text()} (${msg.location().url})`);
      }
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => {
      if (new URL(req.url()).origin === origin) {
        problems.push(`failed: ${req.url()} ${req.failure()?.errorText}`);
      }
    });
    page.on('response', (res) => {
      if (res.status() >= 400 && new URL(res.url()).origin === origin && res.url() !== url) {
        problems.push(`HTTP ${res.status()}: ${res.url()}`);
      }
    });
    try {
      const res = await page.goto(url, { waitUntil: 'load' });
      expect(res?.status()).toBe(c.status ?? 200);
      if (c.ready) await page.locator(c.ready).first().waitFor();
      if (c.act) await c.act(page);
      await page.waitForLoadState('networkidle');

      const width = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      }));
      expect(width.scroll).toBeLessThanOrEqual(width.inner);
      expect(await namelessControls(page)).toEqual([]);
      const h1s = await page
        .locator('h1')
        .evaluateAll((els) => els.filter((el) => el.checkVisibility()).length);
      expect(h1s).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
