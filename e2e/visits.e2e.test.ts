import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as contactSchemas from '../common/schemas/contacts.js';
import * as responseSchemas from '../common/schemas/responses.js';
import { FESTIVAL_LABELS } from '../common/festivals.js';
import * as webLabels from '../web/src/features/visits/visit-labels.js';
import { POST_REGION_LEVEL } from '../web/src/features/contacts/contact-labels.js';
import { DESKTOP, horizontalOverflow, login, newContext } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

const SCREENS = path.resolve('test-results/screens');
const PHONE_390 = { width: 390, height: 844 };
// DESIGN.md §7: the first load of the phone visit form, after login, is at most 350 kB gzip of JS+CSS.
const VISIT_FORM_BUDGET_BYTES = 350 * 1024;

/** Gzip size of every JS and CSS file the page downloads. */
function recordAssets(page: Page): Map<string, number> {
  const assets = new Map<string, number>();
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (!/\.(js|css)$/.test(url.pathname)) return;
    try {
      assets.set(url.pathname, zlib.gzipSync(await response.body()).length);
    } catch {
      // The page closed before the body was read: it was not part of the first load.
    }
  });
  return assets;
}

describe('home visits on a phone and their supervision', () => {
  const journey = setupJourney();

  it('uses the same labels in the browser as the server (copied there to keep Zod out of the phone bundle)', () => {
    expect(webLabels.POST_LABELS).toEqual(contactSchemas.POST_LABELS);
    expect(POST_REGION_LEVEL).toEqual(contactSchemas.POST_REGION_LEVEL);
    expect(webLabels.CONTACT_MODE_LABELS).toEqual(contactSchemas.CONTACT_MODE_LABELS);
    expect(webLabels.DIRECTION_LABELS).toEqual(contactSchemas.DIRECTION_LABELS);
    expect(webLabels.PROBLEM_AREA_LABELS).toEqual(contactSchemas.PROBLEM_AREA_LABELS);
    expect(Object.keys(webLabels.MENTAL_STATE_LABELS)).toEqual([...contactSchemas.MENTAL_SCALE]);
    expect(webLabels.EVENT_KIND_LABELS).toEqual(responseSchemas.EVENT_KIND_LABELS);
    expect(Object.keys(webLabels.AFFECTED_LABELS)).toEqual([...responseSchemas.AFFECTED]);
    expect(webLabels.CARE_MANNER_LABELS).toEqual(responseSchemas.CARE_MANNER_LABELS);
    expect(webLabels.TARGET_LEVEL_LABELS).toEqual(responseSchemas.TARGET_LEVEL_LABELS);
    expect(webLabels.RISK_LEVEL_LABELS).toEqual(responseSchemas.RISK_LEVEL_LABELS);
    expect(webLabels.NEED_CATEGORY_LABELS).toEqual(responseSchemas.NEED_CATEGORY_LABELS);
    expect(webLabels.DEPARTMENT_LABELS).toEqual(responseSchemas.DEPARTMENT_LABELS);
    expect(webLabels.FESTIVAL_LABELS).toEqual(FESTIVAL_LABELS);
  });

  it('a village contact sees 本月待走访, logs a home visit in two taps, and the family leaves the list', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE_390);
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    await login(page, 'demo_contact', journey.demoPassword);
    const due = page.getByTestId('todo-section-visit');
    await due.waitFor();
    expect(await due.getByText('本月待走访').isVisible()).toBe(true);
    const items = due.getByTestId('todo-item');
    const before = await items.count();
    expect(before).toBeGreaterThan(0);
    const first = items.first();
    const family = (await first.locator('strong').first().textContent())!;
    const href = (await first.getAttribute('href'))!;
    expect(href).toMatch(/^\/visits\/[\w-]+$/);

    // First load of the visit form with an empty cache and a session (signed in through the API, so the
    // login and home pages download nothing): everything it downloads counts.
    const cold = await newContext(journey.browser, journey.url, PHONE_390);
    const signIn = await cold.request.post('/api/v1/auth/login', {
      data: { username: 'demo_contact', password: journey.demoPassword },
    });
    expect(signIn.status()).toBe(200);
    const fresh = await cold.newPage();
    const assets = recordAssets(fresh);
    await fresh.goto(href);
    await fresh.getByRole('button', { name: '提交联系记录' }).waitFor();
    await fresh.waitForLoadState('networkidle');
    const bytes = [...assets.values()].reduce((sum, n) => sum + n, 0);
    console.log(`visit form first load: ${assets.size} JS/CSS files, ${(bytes / 1024).toFixed(1)} kB gzip`);
    expect(bytes).toBeLessThan(VISIT_FORM_BUDGET_BYTES);
    await cold.close();

    await first.click();
    await page.waitForURL(`**${href}`);
    await expect.poll(() => page.getByTestId('visit-family-name').textContent()).toContain(family.split('、')[0]);
    await page.getByRole('button', { name: '提交联系记录' }).waitFor();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE_390.width);
    fs.mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENS, 'visit-390.png'), fullPage: true });

    // Contact, direction and time are filled in: one tap for the mode, one for the submit button.
    await page.getByRole('group', { name: '联系方式' }).getByRole('button', { name: '登门走访' }).click();
    await page.getByRole('button', { name: '提交联系记录' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    const remaining = page.getByTestId('todo-section-visit').getByTestId('todo-item');
    await expect.poll(() => remaining.count()).toBe(before - 1);
    expect(await remaining.locator('strong').allTextContents()).not.toContain(family);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('a county cadre sees home-visit rates by township as a chart and a table, and drills into a township', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    await login(page, 'demo_county', journey.demoPassword);
    // The home page summarises the county and leads to the dashboard.
    await expect.poll(() => page.getByTestId('home-visit-rate').isVisible()).toBe(true);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '走访督导' }).click();
    await page.waitForURL('**/dashboard');
    await expect.poll(() => page.getByTestId('dashboard-region').textContent()).toBe('钟祥市');

    const chart = page.getByTestId('region-rates-chart');
    await expect.poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
    const rows = page.getByTestId('region-rates-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    const township = (await rows.first().locator('td').first().textContent())!.trim();
    // The overdue list can be exported (masked, on the server).
    const exportHref = await page
      .getByTestId('overdue')
      .getByRole('link', { name: /导出名单/ })
      .getAttribute('href');
    expect(exportHref).toContain('/api/v1/compliance/overdue.xlsx?regionCode=420881000000');

    await page.waitForLoadState('networkidle');
    fs.mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENS, 'dashboard-1280.png'), fullPage: true });

    await rows.first().click();
    await page.waitForURL(/\/dashboard\?region=420881\d{3}000$/);
    await expect.poll(() => page.getByTestId('dashboard-region').textContent()).toBe(township);
    // The township's villages are now the rows, and the county is one click away in the breadcrumb.
    await expect.poll(() => rows.first().locator('td').first().textContent()).not.toBe(township);
    await expect
      .poll(() => page.locator('.ant-breadcrumb').getByRole('button', { name: '钟祥市' }).isVisible())
      .toBe(true);
    // Reloading keeps the drill-down: it lives in the address bar.
    await page.reload();
    await expect.poll(() => page.getByTestId('dashboard-region').textContent()).toBe(township);

    expect(errors).toEqual([]);
    await context.close();
  });
});
