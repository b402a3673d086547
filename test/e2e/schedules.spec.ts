import { type RunningSimulator, startSimulator } from '@sim/server';
import { SimControl } from '@sim/sim-control';
import type { Browser, BrowserContext } from 'playwright-core';
import { DataSource } from 'typeorm';
import { SavedPlaylistItemEntity } from '../../src/playlists/entities/saved-playlist-item.entity';
import { SavedPlaylistEntity } from '../../src/playlists/entities/saved-playlist.entity';
import { PlaylistScheduleEntity } from '../../src/schedules/entities/playlist-schedule.entity';
import { createTestApp, type TestApp } from '../support/app';
import { sessionCookieFor } from '../support/auth';
import { addCookieHeader, launchBrowser } from '../support/browser';

jest.setTimeout(60_000);

let sim: RunningSimulator;
let t: TestApp;
let browser: Browser;
let movies: number;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, clock: 'manual', catalogSize: 20 });
  const ctl = new SimControl(sim.url);
  await ctl.addUser({ name: 'Boss', rank: 3 });
  await ctl.addUser({ name: 'alice', rank: 1 });
  t = await createTestApp({ configOverrides: { api_gate_url: sim.url, api_gate_token: sim.apiToken } });
  const playlists = t.get(DataSource).getRepository(SavedPlaylistEntity);
  movies = (
    await playlists.save({
      name: 'Movie Marathon',
      description: null,
      is_immutable: true,
      created_by: 'Boss',
      created_at: new Date(),
    })
  ).id;
  // two films, 3 h in all: the guide's estimated end
  await t
    .get(DataSource)
    .getRepository(SavedPlaylistItemEntity)
    .insert(
      [5400, 5400].map((duration_sec, position) => ({
        playlist_id: movies,
        position,
        media_type: 'cm',
        media_id: `https://example.invalid/film-${position}.json`,
        title: `Film ${position + 1}`,
        duration_sec,
      })),
    );
  await playlists.save({
    name: 'Filler',
    description: null,
    is_immutable: false,
    created_by: 'Boss',
    created_at: new Date(),
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await t.close();
  await sim.close();
});

async function contextFor(name: string, rank: number): Promise<BrowserContext> {
  const context = await browser.newContext({ timezoneId: 'UTC' });
  await addCookieHeader(context, t.url, sessionCookieFor(t, name, rank));
  return context;
}

const schedules = () => t.get(DataSource).getRepository(PlaylistScheduleEntity);

describe('schedules pages', () => {
  it('the admin page lists schedules and creates one from the modal (local time sent as UTC)', async () => {
    await schedules().save({
      playlist_id: movies,
      label: 'Weekly marathon',
      fire_at: new Date(Date.now() + 3 * 86_400_000),
      is_recurring: true,
      rrule: 'FREQ=WEEKLY;BYDAY=FR',
      pre_fire_lock_minutes: 15,
      is_active: true,
      lock_disabled: false,
      created_by: 'Boss',
      created_at: new Date(),
    });
    const context = await contextFor('Boss', 3);
    const page = await context.newPage();
    await page.goto(`${t.url}/admin`);
    await page.getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('heading', { name: 'Scheduled Events' }).waitFor();
    const first = page.locator('#sched-rows tr').first();
    await first.getByText('Weekly marathon').waitFor();
    expect(await first.locator('td').allTextContents()).toEqual(
      expect.arrayContaining(['Weekly marathon ↻', 'Movie Marathon', '15', 'pending']),
    );

    await page.getByRole('button', { name: '+ New Schedule' }).click();
    await page.getByLabel('Label').fill('Saturday special');
    await page.getByLabel('Playlist', { exact: true }).selectOption({ label: 'Movie Marathon (immutable)' });
    await page.getByLabel('Fire at (your local time)').fill('2031-05-17T20:30');
    await page.getByLabel('Pre-fire lock (min)').fill('10');
    // the fallback select only offers mutable playlists
    expect(await page.locator('#f-fallback option').allTextContents()).toEqual(['None', 'Filler']);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Schedule created').waitFor();
    await page.locator('#sched-rows tr', { hasText: 'Saturday special' }).waitFor();
    const saved = await schedules().findOneByOrFail({ label: 'Saturday special' });
    expect(saved.fire_at.toISOString()).toBe('2031-05-17T20:30:00.000Z');
    expect(saved.pre_fire_lock_minutes).toBe(10);

    // a bad RRULE comes back as the server's 400 message in the form
    await page.getByRole('button', { name: '+ New Schedule' }).click();
    await page.getByLabel('Label').fill('Hourly');
    await page.getByLabel('Fire at (your local time)').fill('2031-05-17T20:30');
    await page.getByLabel('Repeats').selectOption('custom');
    await page.getByLabel('RRULE').fill('FREQ=HOURLY');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#f-error', { hasText: 'Unsupported RRULE FREQ' }).waitFor();
    await context.close();
  });

  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])(
    'recurrence from a form writes the RRULE; the 7-day guide shows each fire and warns of overlaps (%s)',
    async (name, viewport) => {
      await schedules().clear();
      const base = {
        playlist_id: movies,
        is_recurring: false,
        rrule: null,
        is_active: true,
        lock_disabled: false,
        created_by: 'Boss',
        created_at: new Date(),
        pre_fire_lock_minutes: 15,
      };
      const soon = Date.now() + 2 * 3_600_000;
      await schedules().save({ ...base, label: 'Movie night', fire_at: new Date(soon) });
      // fires 30 minutes into the movie marathon: the guide warns
      await schedules().save({ ...base, label: 'Clashing show', fire_at: new Date(soon + 30 * 60_000) });
      const context = await browser.newContext({ viewport });
      await addCookieHeader(context, t.url, sessionCookieFor(t, 'Boss', 3));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${t.url}/admin/schedules`);
      const guide = page.locator('.guide');
      await guide.locator('.guide-entry', { hasText: 'Movie night' }).waitFor();
      expect(await guide.locator('.guide-entry').count()).toBe(2);
      expect(await guide.locator('.guide-entry').first().locator('.guide-when').textContent()).toMatch(/–/); // with its end
      expect(await page.locator('#guide-warnings li').first().textContent()).toMatch(
        /^“Clashing show” \(.+\) fires while “Movie night” is still playing \(until about .+\): it will clear that event’s queue\.$/,
      );

      // a weekly event from the form
      await page.getByRole('button', { name: '+ New Schedule' }).click();
      await page.getByLabel('Label').fill('Friday and Saturday');
      await page.getByLabel('Fire at (your local time)').fill('2031-05-16T20:30');
      await page.getByLabel('Repeats').selectOption('weekly');
      await page.getByLabel('Fri', { exact: true }).check();
      await page.getByLabel('Sat', { exact: true }).check();
      expect(await page.locator('#f-repeat-words').textContent()).toBe(
        'Fires every Friday, Saturday at the time above. (RRULE FREQ=WEEKLY;BYDAY=FR,SA)',
      );
      await page.screenshot({ path: `/tmp/schedules-form-${name}.png` });
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Schedule created').waitFor();
      const saved = await schedules().findOneByOrFail({ label: 'Friday and Saturday' });
      expect(saved).toMatchObject({ is_recurring: true, rrule: 'FREQ=WEEKLY;BYDAY=FR,SA' });
      // editing it opens the form on what it is
      await page
        .locator('#sched-rows tr', { hasText: 'Friday and Saturday' })
        .getByRole('button', { name: /Edit/ })
        .click();
      await expect(page.getByLabel('Repeats').inputValue()).resolves.toBe('weekly');
      await expect(page.getByLabel('Sat', { exact: true }).isChecked()).resolves.toBe(true);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.screenshot({ path: `/tmp/schedules-guide-${name}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it('the queue page shows the Scheduled Playlist box with a countdown, and the closed text inside the lock window', async () => {
    await schedules().clear();
    const base = {
      playlist_id: movies,
      is_recurring: false,
      rrule: null,
      is_active: true,
      lock_disabled: false,
      created_by: 'Boss',
      created_at: new Date(),
      pre_fire_lock_minutes: 15,
    };
    await schedules().save({
      ...base,
      label: 'Late show',
      fire_at: new Date(Date.now() + (2 * 60 + 5) * 60_000 - 20_000),
    });
    const context = await contextFor('alice', 1);
    const page = await context.newPage();
    await page.goto(`${t.url}/queue`);
    const box = page.locator('#next-schedule');
    await box.getByText('Late show').waitFor();
    expect(await page.locator('#next-schedule-countdown').textContent()).toBe('Starts in 2h 5m');

    await schedules().save({
      ...base,
      label: 'Soon show',
      fire_at: new Date(Date.now() + 10 * 60_000 - 20_000),
    });
    await page.reload();
    await box.getByText('Soon show').waitFor();
    expect(await page.locator('#next-schedule-countdown').textContent()).toBe(
      'Pay-to-play is closed — starts in 10m',
    );
    await context.close();
  });
});
