import type { Browser } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/app';
import { launchBrowser } from '../support/browser';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await t.close();
});

describe('/api/docs (Swagger UI over the generated OpenAPI document)', () => {
  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])('renders every route group with no script or CSP errors (%s)', async (name, viewport) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/api/docs`);
    await page.locator('.swagger-ui .title', { hasText: 'webqueue' }).waitFor();
    await page.locator('.opblock-summary-path', { hasText: '/api/public/v1/queue' }).first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(50);
    await page.screenshot({ path: `/tmp/api-docs-${name}.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
});
