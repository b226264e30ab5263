import { describe, expect, it } from 'vitest';
import { login, newContext } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

const DEMO_BANNER = '演示数据：本系统当前运行在演示模式，所有人员和家庭信息均为虚构';

describe('a county cadre walks the region tree', () => {
  const journey = setupJourney();

  it('logs in, sees the layout and the demo banner, and walks from 钟祥市 down to a village', async () => {
    const context = await newContext(journey.browser, journey.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    await login(page, 'demo_county', journey.demoPassword);
    await expect.poll(() => page.getByText(DEMO_BANNER).isVisible()).toBe(true);
    const header = page.getByRole('banner');
    await expect.poll(() => header.getByText('县级工作人员', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => header.getByText('钟祥市', { exact: true }).isVisible()).toBe(true);

    const menu = page.getByRole('navigation', { name: '主菜单' });
    expect(await menu.getByRole('link', { name: '工作台' }).isVisible()).toBe(true);
    expect(await menu.getByRole('link', { name: '用户管理' }).count()).toBe(0);
    expect(await menu.getByRole('link', { name: '审计日志' }).count()).toBe(0);

    await menu.getByRole('link', { name: '区划' }).click();
    await page.waitForURL('**/regions/420881000000');
    const regionName = page.getByTestId('region-name');
    await expect.poll(() => regionName.textContent()).toBe('钟祥市');

    // The county's townships load lazily under the root; open the first one from the tree.
    const tree = page.locator('.ant-tree');
    const children = page.getByTestId('region-children').getByRole('link');
    await children.first().waitFor();
    const township = (await children.first().textContent())!;
    await tree.getByText(township, { exact: true }).click();
    await page.waitForURL(/\/regions\/420881(?!000)\d{3}000$/);
    await expect.poll(() => regionName.textContent()).toBe(township);

    // Its villages load in the tree right below it; open the first one.
    await expect.poll(() => children.first().textContent()).not.toBe(township);
    const village = (await children.first().textContent())!;
    await tree.getByText(village, { exact: true }).first().click();
    await page.waitForURL(/\/regions\/420881\d{3}(?!000)\d{3}$/);
    await expect.poll(() => regionName.textContent()).toBe(village);
    const details = page.locator('.ant-descriptions');
    await expect.poll(() => details.getByText('村（居）').isVisible()).toBe(true);
    await expect.poll(() => details.getByText('无', { exact: true }).isVisible()).toBe(true);

    // The breadcrumb leads back up to the county.
    const breadcrumb = page.locator('.ant-breadcrumb');
    expect(await breadcrumb.textContent()).toContain(`钟祥市/${township}/${village}`);
    await breadcrumb.getByRole('link', { name: '钟祥市' }).click();
    await page.waitForURL('**/regions/420881000000');

    // Logging out ends the session: going back shows the login page, not the tree.
    await page.getByRole('button', { name: /退出登录/ }).click();
    await page.waitForURL('**/login');
    await page.goBack();
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });
});
