import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, axeViolations } from './support/axe.js';
import { DESKTOP, login, newContext } from './support/browser.js';
import { setupJourney } from './support/journey.js';

/** Issue 11 item 11: axe-core finds no serious or critical WCAG 2.1 AA violation on the main pages. */
describe('accessibility: the main pages pass axe-core', () => {
  const journey = setupJourney();

  async function check(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    const problems = await seriousViolations(page);
    expect(problems, name).toEqual([]);
    const h1 = await page.locator('h1').count();
    expect(h1, `${name}: one h1`).toBe(1);
    const names = (await axeViolations(page)).map((v) => v.id);
    expect(names, name).not.toContain('label');
    expect(names, name).not.toContain('scrollable-region-focusable');
  }

  it('login, 我的待办 and the visit form (a contact), the family list and an archive (village staff)', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('用户名').waitFor();
    await check(page, 'login');
    await login(page, 'demo_contact', journey.demoPassword);
    await page.getByTestId('todo-item').first().waitFor();
    await check(page, '我的待办');
    await page.getByTestId('todo-section-visit').getByTestId('todo-item').first().click();
    await page.waitForURL(/\/visits\//);
    await page
      .getByRole('button', { name: /提\s*交|保\s*存|登\s*记/ })
      .first()
      .waitFor();
    await check(page, 'visit form');
    await context.close();

    const village = await newContext(journey.browser, journey.url, DESKTOP);
    const vPage = await village.newPage();
    await login(vPage, 'demo_village', journey.demoPassword);
    await vPage.goto('/families');
    await vPage.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await check(vPage, 'family list');
    const listed = (await (await village.request.get('/api/v1/families?pageSize=1')).json()) as {
      data: Array<{ id: string }>;
    };
    await vPage.goto(`/families/${listed.data[0].id}`);
    await vPage.getByText('家庭信息', { exact: true }).waitFor();
    await check(vPage, 'archive');
    await village.close();
  });

  it('the dashboard, festival care and needs', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    await login(page, 'demo_county', journey.demoPassword);
    await page.goto('/dashboard');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await check(page, 'dashboard');
    await page.goto('/festival-care');
    await page.locator('.ant-table').first().waitFor();
    await check(page, 'festival care');
    await page.goto('/needs');
    await page.locator('.ant-table').first().waitFor();
    await check(page, 'needs');
    await context.close();
  });
});
