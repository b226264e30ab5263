import { describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../test/support/test-app.js';
import { horizontalOverflow, login, newContext, PHONE } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/**
 * 备份与恢复 and 县级电子备份 in the browser (issue 18): the sysadmin backs up and drills from the page, the county
 * downloads its electronic copy and compares manifests.
 */
// The page's buttons run `npm run backup` / `--drill` as the server's children: they read the server's key.
process.env.GUANHUAI_MASTER_KEY = TEST_MASTER_KEY;
process.env.GUANHUAI_DEMO = 'false';

describe('backups and the county copy', () => {
  const journey = setupJourney();

  it('the sysadmin sees the warning, backs up, drills, and the page says when', async () => {
    const context = await newContext(journey.browser, journey.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_sysadmin', journey.demoPassword);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '备份与恢复' }).click();
    await page.waitForURL('**/backups');
    await expect.poll(() => page.getByText('尚无成功的备份').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('尚未做过成功的恢复演练').isVisible()).toBe(true);

    await page.getByRole('button', { name: /立即备份/ }).click();
    await expect.poll(() => page.getByText(/备份完成：guanhuai-/).isVisible(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => page.getByText('尚无成功的备份').count()).toBe(0);
    await page.getByRole('button', { name: /对最新备份做恢复演练/ }).click();
    await expect.poll(() => page.getByText('恢复演练通过').isVisible(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => page.getByText('尚未做过成功的恢复演练').count()).toBe(0);
    const runs = page.locator('.ant-card', { hasText: '最近的备份与演练' });
    await expect.poll(() => runs.getByRole('row').count()).toBe(3);
    await expect.poll(() => runs.textContent()).toContain('页面操作');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('the county downloads its electronic copy; the page lists what it holds, also at 360 px', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    await page.goto('/county-copy');
    await expect.poll(() => page.getByRole('cell', { name: '家庭档案' }).isVisible()).toBe(true);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /下载电子备份/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^县级电子备份-.*\.der$/);
    await expect.poll(() => page.getByText('已下载县级电子备份').isVisible()).toBe(true);
    const { scrollWidth, innerWidth } = await horizontalOverflow(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
