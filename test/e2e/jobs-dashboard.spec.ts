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

async function adminPage(): Promise<Page> {
  const context = await browser.newContext();
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
    expect(await row.getByRole('button', { name: 'Cancel' }).count()).toBe(0); // not cancellable
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

    // A valid URL starts the run; it fails cleanly (no yt-dlp here) and the table says why.
    await page.locator('#job-f-url').fill('https://www.youtube.com/watch?v=abc');
    await modal.getByRole('button', { name: 'Run' }).click();
    await modal.waitFor({ state: 'hidden' });
    const failed = page.locator('#runs-rows tr', { has: page.locator('.badge.job-failed') }).first();
    await failed.waitFor();
    expect(await failed.locator('.job-detail').textContent()).toMatch(
      /yt-dlp is not installed|not available/,
    );
    await page.context().close();
  });
});
