import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';
import { simOverrides } from '../support/config';

let sim: RunningSimulator;
let ctl: SimControl;
let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, clock: 'manual', catalogSize: 20 });
  ctl = new SimControl(sim.url);
  await ctl.addUser({ name: 'Boss', rank: 3 });
  t = await createTestApp({
    configOverrides: simOverrides(sim),
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await t.close();
  await sim.close();
});

async function adminPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await addCookieHeader(context, t.url, sessionCookieFor(t, 'Boss', 3));
  const page = await context.newPage();
  await page.goto(`${t.url}/admin`);
  await page.locator('#live-status.live').waitFor();
  return page;
}

describe('admin dashboard: Jobs, Recent Job Runs, Sync Logs', () => {
  it('runs catalog_sync: the row shows Running…, then a completed badge and a sync log appear', async () => {
    const page = await adminPage();
    const row = page.locator('#jobs-rows tr[data-job="catalog_sync"]');
    await row.getByText('Catalog Sync').waitFor();
    await row.getByText('Never run').waitFor();
    // Slow the first catalog page so "Running…" is on screen long enough to see.
    await ctl.setFaults([{ method: 'GET', path: '/api/v1/manage_media', latency_ms: 1500, times: 1 }]);
    await row.getByRole('button', { name: 'Run' }).click();
    const running = row.getByRole('button', { name: 'Running…' });
    await running.waitFor();
    expect(await running.isDisabled()).toBe(true);
    expect(await row.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    const runRow = page.locator('#runs-rows tr').first();
    await runRow.locator('.badge.job-completed').waitFor({ timeout: 15_000 });
    expect(await runRow.locator('td').first().textContent()).toBe('Catalog Sync');
    expect(await runRow.locator('.job-detail').textContent()).toContain('new: ');
    await row.getByRole('button', { name: 'Run' }).waitFor();
    expect(await row.locator('.job-last').textContent()).toMatch(/^completed · /);
    await page.locator('#synclog-rows tr .badge.ok').first().waitFor();
    const cells = await page.locator('#synclog-rows tr').first().locator('td').allTextContents();
    expect(cells[1]).toBe('completed');
    expect(Number(cells[2])).toBeGreaterThan(0);
    await page.context().close();
  });

  it('fetch opens a form from its schema; a missing required URL shows the 400 message inline', async () => {
    const page = await adminPage();
    await page.locator('#jobs-rows tr[data-job="fetch"]').getByRole('button', { name: 'Run' }).click();
    const modal = page.locator('#job-modal');
    await modal.getByRole('heading', { name: 'Fetch (download → MediaCMS)' }).waitFor();
    expect(await modal.getByText('URL *').count()).toBe(1);
    expect(await page.locator('#job-f-url').getAttribute('required')).not.toBeNull();
    expect(await page.locator('#job-f-quality').inputValue()).toBe('medium');
    expect(await page.locator('#job-f-max_videos').getAttribute('type')).toBe('number');
    expect(await page.locator('#job-f-add_to_playlist option').first().textContent()).toBe('None');
    await modal.getByRole('button', { name: 'Run' }).click();
    const error = page.locator('#job-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('URL is required');

    await page.context().close();
  });

  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])(
    'fetch downloads for real with a live progress bar; enrichtitles cleans a title (%s)',
    async (name, viewport) => {
      const page = await adminPage(viewport);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // a slow first answer from the video host keeps the run on screen long enough to see
      await ctl.setFaults([{ method: 'GET', path: '/videos/*', latency_ms: 1500, times: 1 }]);
      await page.locator('#jobs-rows tr[data-job="fetch"]').getByRole('button', { name: 'Run' }).click();
      await page.locator('#job-f-url').fill(`${sim.url}/videos/Sample-${name}.mp4`);
      await page.locator('#job-modal').getByRole('button', { name: 'Run' }).click();
      const row = page.locator('#jobs-rows tr[data-job="fetch"]');
      await row.locator('progress.job-progress').waitFor();
      expect(await row.locator('.job-phase').textContent()).toMatch(/yt-dlp|Downloading|Uploading/);
      await page.screenshot({ path: `/tmp/jobs-running-${name}.png`, fullPage: true });
      // the job's own row turns from the progress bar into the result in words
      await row
        .locator('.job-last', { hasText: /^completed · .* · Uploaded 1 video to MediaCMS$/ })
        .waitFor({ timeout: 30_000 });
      expect(sim.world.mediacms.all().some((i) => i.title === `Sample-${name}`)).toBe(true);

      const raw = sim.world.mediacms.all().find((i) => i.state === 'public')!;
      raw.title = `Burning.Kingdom.${name}.1942.1080p.mp4`;
      await page
        .locator('#jobs-rows tr[data-job="enrichtitles"]')
        .getByRole('button', { name: 'Run' })
        .click();
      await page.locator('#job-modal').getByRole('button', { name: 'Run' }).click();
      // the title changes in MediaCMS when this run commits; then the dashboard says so in words
      for (let i = 0; i < 300 && raw.title !== `Burning Kingdom ${name} (1942)`; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const titles = page.locator('#jobs-rows tr[data-job="enrichtitles"] .job-last');
      await titles.filter({ hasText: /Cleaned \d+ of \d+ titles? to change/ }).waitFor({ timeout: 30_000 });
      await page.locator('#runs-rows tr', { hasText: 'Enrich Titles' }).first().waitFor();
      expect(raw.title).toBe(`Burning Kingdom ${name} (1942)`);
      await page.screenshot({ path: `/tmp/jobs-done-${name}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    },
    60_000,
  );
});
