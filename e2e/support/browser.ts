import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export async function newContext(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
  });
  // The platform may load nothing from another origin (CSP default-src 'self').
  await context.route(
    (url) => url.origin !== new URL(baseURL).origin && url.protocol.startsWith('http'),
    (route) => route.abort(),
  );
  return context;
}

/** Fills the login form and submits it; does not wait for the outcome. */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/** Logs in from /login and waits for the signed-in layout. */
export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await submitLogin(page, username, password);
  await page.getByRole('banner').waitFor();
}

/** True when the page can be scrolled sideways, i.e. something is wider than the viewport. */
export function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

/**
 * Waits until an antd popup or dialog has finished its opening animation. Clicking into one that is
 * still zooming or sliding can land on the wrong element.
 */
export async function waitForMotion(locator: Locator): Promise<void> {
  await locator.waitFor();
  for (let i = 0; i < 50; i++) {
    const moving = await locator.evaluate((el) => /-(appear|enter|leave)(\s|$|-)/.test(el.className));
    if (!moving) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
