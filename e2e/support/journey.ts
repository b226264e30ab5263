import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_PATH, hasChromium, launchBrowser } from './browser.js';
import { startTestServer, type TestServerOptions } from './server.js';

export interface Journey {
  url: string;
  demoPassword: string;
  browser: Browser;
}

/** One fresh server (temporary SQLite, demo accounts) and one browser per test file. */
export function setupJourney(options?: TestServerOptions | (() => Promise<TestServerOptions>)): Journey {
  const journey = {} as Journey;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (!hasChromium()) {
      throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium fonts-wqy-microhei`);
    }
    const server = await startTestServer(typeof options === 'function' ? await options() : options);
    close = () => server.close();
    journey.url = server.url;
    journey.demoPassword = server.demoPassword;
    journey.browser = await launchBrowser();
  });
  afterAll(async () => {
    await journey.browser?.close();
    await close?.();
  });
  return journey;
}

/** Uncaught exceptions and CSP refusals in the page; a journey ends by checking there were none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}
