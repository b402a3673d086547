import type { Browser } from 'playwright-core';
import { Clock, ManualClock } from '../../src/common/clock';
import { startSimulator, type RunningSimulator } from '../../sim/server';
import { SimControl } from '../../sim/sim-control';
import { createTestApp, type TestApp } from '../support/app';
import { readLoginCode } from '../support/auth';
import { launchBrowser } from '../support/browser';
import { testConfig } from '../support/config';

describe('the login page in a browser', () => {
  let sim: RunningSimulator;
  let ctl: SimControl;
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, catalogSize: 10 });
    ctl = new SimControl(sim.url);
    await ctl.addUser({ name: 'TacoBelmont', rank: 1 });
    const clock = new ManualClock(Date.UTC(2026, 5, 14, 12, 0, 0));
    t = await createTestApp({
      config: testConfig({ api_gate_url: sim.url, api_gate_token: sim.apiToken, mediacms_url: sim.url }),
      override: (b) => b.overrideProvider(Clock).useValue(clock),
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await t.close();
    await sim.close();
  });

  it('types a name, reads the PM code, verifies and lands on the catalog', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/auth/login`);
    await page.fill('#login-username', 'TacoBelmont');
    await page.click('#login-send');
    await page.waitForSelector('#login-code', { state: 'visible' });
    expect(await page.textContent('#login-sent')).toContain('TacoBelmont');

    const code = await readLoginCode(ctl, 'TacoBelmont');
    await page.fill('#login-code', code);
    await Promise.all([page.waitForURL(`${t.url}/catalog`), page.click('#login-verify-button')]);
    expect(new URL(page.url()).pathname).toBe('/catalog');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await context.close();
  });

  it('shows a wrong code inline from `detail` and follows a safe next', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/auth/login?next=${encodeURIComponent('/queue')}`);
    await page.fill('#login-username', 'TacoBelmont');
    await page.click('#login-send');
    await page.waitForSelector('#login-code', { state: 'visible' });
    const code = await readLoginCode(ctl, 'TacoBelmont');
    await page.fill('#login-code', code === '111111' ? '222222' : '111111');
    await page.click('#login-verify-button');
    await page.waitForSelector('#login-verify-error:not([hidden])');
    expect(await page.textContent('#login-verify-error')).toBe('Invalid or expired code');

    await page.fill('#login-code', code);
    await Promise.all([page.waitForURL(`${t.url}/queue`), page.click('#login-verify-button')]);
    expect(new URL(page.url()).pathname).toBe('/queue');
    await context.close();
  });

  it('shows the blank-name error without calling the server', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/auth/login`);
    await page.click('#login-send');
    expect(await page.textContent('#login-request-error')).toBe('Enter your CyTube username.');
    expect(await page.isHidden('#login-verify')).toBe(true);
    await context.close();
  });
});
