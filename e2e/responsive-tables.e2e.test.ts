import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { horizontalOverflow, login, newContext, PHONE } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

const LAPTOP = { width: 1366, height: 768 };

/** Whether the element lies wholly inside the viewport horizontally and inside its scroll box. */
async function fullyInView(page: Page, el: Locator): Promise<boolean> {
  const box = await el.boundingBox();
  if (!box) return false;
  const clip = await el.evaluate((node) => {
    const scroller = node.closest('.ant-table-content, .ant-table-body, .ant-table-header');
    const r = (scroller ?? document.documentElement).getBoundingClientRect();
    return { left: r.left, right: r.right };
  });
  const width = (await page.viewportSize())!.width;
  return box.x >= Math.max(0, clip.left) - 1 && box.x + box.width <= Math.min(width, clip.right) + 1;
}

describe('tables that fit (issue 11 item 6)', () => {
  const journey = setupJourney();

  it('at 1366 px the 办理 column of 诉求办理 and 完成率 of the festival table are not cut', async () => {
    const context = await newContext(journey.browser, journey.url, LAPTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_township', journey.demoPassword);
    await page.goto('/needs');
    const actions = page.getByTestId('needs-table').locator('th', { hasText: /^办理$/ });
    await actions.waitFor();
    expect(await fullyInView(page, actions)).toBe(true);
    const firstActions = page.getByTestId('needs-table').getByRole('group', { name: '办理' }).first();
    if (await firstActions.count()) expect(await fullyInView(page, firstActions)).toBe(true);

    await page.getByRole('button', { name: /退出登录/ }).click();
    await page.waitForURL('**/login');
    await login(page, 'demo_county', journey.demoPassword);
    await page.goto('/festival-care');
    const rate = page.getByTestId('care-by-region-table').locator('th', { hasText: /^完成率/ });
    await rate.waitFor();
    expect(await fullyInView(page, rate)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at 360 px lists become cards or fewer columns, actions in reach, nothing scrolls sideways', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    await login(page, 'demo_county', journey.demoPassword);
    await page.goto('/needs');
    const card = page.getByTestId('needs-table').getByTestId('responsive-card').first();
    await card.waitFor();
    const button = card.getByRole('button').first();
    if (await button.count()) expect(await fullyInView(page, button)).toBe(true);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await page.goto('/contacts');
    await page.getByTestId('responsive-card').first().waitFor();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await page.goto('/families');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    const headers = await page.locator('.ant-table-thead th').allTextContents();
    expect(headers.filter((h) => h.trim())).toEqual(['档案编号', '父母', '状态']);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await context.close();
  });
});
