import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type LaunchOptions } from 'playwright-core';

/** Where the browser tests find Chromium (Debian's package). Override with WQ_CHROMIUM. */
export const CHROMIUM_PATH = process.env.WQ_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A headless Chromium for browser tests (playwright-core, no downloaded browsers). Close it in
 * afterAll. Give each test its own context (`browser.newContext()`) so cookies do not leak.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set WQ_CHROMIUM)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    ...options,
  });
}

/** Put a `Cookie` header value (e.g. from `sessionCookieFor`) into a browser context for `url`. */
export async function addCookieHeader(
  context: BrowserContext,
  url: string,
  cookieHeader: string,
): Promise<void> {
  const [name, ...value] = cookieHeader.split('=');
  await context.addCookies([{ name, value: value.join('='), url }]);
}
