import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { login, newContext, submitLogin, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

const NEW_USER = { username: 'e2e_zx_staff', displayName: '测试县级干部', password: 'Zhongxiang#2026' };

const openPopup = (page: Page) => page.locator('.ant-select-dropdown:visible');

/** Picks an option of the open Select and waits for its popup to close, so it covers nothing after. */
async function chooseOption(page: Page, label: string) {
  await waitForMotion(openPopup(page));
  await openPopup(page).getByText(label, { exact: true }).click();
  await expect.poll(() => openPopup(page).count()).toBe(0);
}

/** The security administrator approves the pending account on 安全管理. */
async function approveAsSecurityAdmin(browser: Browser, url: string, password: string, username: string) {
  const context = await newContext(browser, url);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await login(page, 'demo_security', password);
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '安全管理' }).click();
  await page.waitForURL('**/security');
  const row = page.getByRole('row', { name: new RegExp(username) });
  await expect.poll(() => row.textContent()).toContain('新建账户');
  await row.getByRole('button', { name: /批\s*准/ }).click();
  const confirm = page.getByRole('dialog');
  await waitForMotion(page.locator('.ant-modal'));
  await confirm.getByRole('button', { name: /批\s*准/ }).click();
  await expect.poll(() => page.getByText(`已批准 ${username}`).isVisible()).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
}

describe('the system administrator manages accounts', () => {
  const journey = setupJourney();

  it('creates a county user through the modal, with server errors on the fields; the user then sets a password', async () => {
    const context = await newContext(journey.browser, journey.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    await login(page, 'demo_sysadmin', journey.demoPassword);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '用户管理' }).click();
    await page.waitForURL('**/users');
    await page.getByRole('cell', { name: 'demo_county', exact: true }).waitFor();

    await page.getByRole('button', { name: /新建用户/ }).click();
    const modal = page.getByRole('dialog', { name: '新建用户' });
    await waitForMotion(page.locator('.ant-modal'));
    // A username the server refuses (too short, and the server's own rule): its message lands on the field.
    await modal.getByLabel('用户名').fill('ab');
    await modal.getByLabel('姓名').fill(NEW_USER.displayName);
    await modal.getByLabel('初始密码').fill(NEW_USER.password);

    await modal.getByLabel('角色').click();
    await chooseOption(page, '县级工作人员');

    // The region picker starts at the administrator's 湖北省 and loads levels as they open.
    await modal.getByLabel('所属区划').click();
    const popup = openPopup(page);
    await waitForMotion(popup);
    const jingmen = popup.locator('.ant-select-tree-treenode', { hasText: '荆门市' });
    await jingmen.waitFor();
    await jingmen.locator('.ant-select-tree-switcher').click();
    await popup.locator('.ant-select-tree-title', { hasText: '钟祥市' }).click();
    await expect.poll(() => openPopup(page).count()).toBe(0);

    await modal.getByRole('button', { name: /创\s*建/ }).click();
    const usernameItem = modal.locator('.ant-form-item', { has: page.getByLabel('用户名') });
    await expect.poll(() => usernameItem.locator('.ant-form-item-explain-error').textContent()).toMatch(/用户名/);

    await modal.getByLabel('用户名').fill(NEW_USER.username);
    await modal.getByRole('button', { name: /创\s*建/ }).click();
    await expect.poll(() => page.getByText(`已创建用户 ${NEW_USER.username}`).isVisible()).toBe(true);
    await expect.poll(() => modal.isVisible()).toBe(false);

    await page.getByPlaceholder('用户名或姓名').fill(NEW_USER.username);
    await page.getByPlaceholder('用户名或姓名').press('Enter');
    await page.waitForURL(`**/users?q=${NEW_USER.username}`);
    const row = page.getByRole('row', { name: new RegExp(NEW_USER.username) });
    await expect.poll(() => row.textContent()).toContain('钟祥市');
    expect(await row.textContent()).toContain('县级工作人员');

    // The same username again: the server's CONFLICT lands on the field.
    await page.getByRole('button', { name: /新建用户/ }).click();
    await waitForMotion(page.locator('.ant-modal'));
    await modal.getByLabel('用户名').fill(NEW_USER.username);
    await modal.getByLabel('姓名').fill('重复');
    await modal.getByLabel('初始密码').fill(NEW_USER.password);
    await modal.getByLabel('角色').click();
    await chooseOption(page, '省级工作人员');
    await modal.getByLabel('所属区划').click();
    await waitForMotion(openPopup(page));
    await openPopup(page).locator('.ant-select-tree-title', { hasText: '湖北省' }).click();
    await expect.poll(() => openPopup(page).count()).toBe(0);
    await modal.getByRole('button', { name: /创\s*建/ }).click();
    await expect.poll(() => usernameItem.locator('.ant-form-item-explain-error').textContent()).toBe('用户名已存在');
    await modal.getByRole('button', { name: /取\s*消/ }).click();

    // When the session is gone (expired, or ended elsewhere) the next request brings back the login page.
    await context.clearCookies();
    await page.getByPlaceholder('用户名或姓名').fill('demo');
    await page.getByPlaceholder('用户名或姓名').press('Enter');
    await page.waitForURL(/\/login\?next=%2Fusers%3Fq%3Ddemo$/);

    // 三员 separation: until the security administrator approves it, the new account cannot sign in.
    await page.goto('/login');
    await submitLogin(page, NEW_USER.username, NEW_USER.password);
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/待安全管理员审批/);
    await approveAsSecurityAdmin(journey.browser, journey.url, journey.demoPassword, NEW_USER.username);

    // The new user's first login goes to 修改密码 (the server refuses everything else until then).
    await page.goto('/login');
    await submitLogin(page, NEW_USER.username, NEW_USER.password);
    await page.waitForURL('**/password');
    await page.getByText('请先修改密码').waitFor();
    await page.getByLabel('当前密码').fill(NEW_USER.password);
    // The form checks as typed with the server's own policy: a common password is refused before submitting.
    await page.getByLabel('新密码', { exact: true }).fill('Password1!');
    await page.getByText('该密码过于常见，容易被猜中，请换一个').waitFor();
    await page.getByLabel('新密码', { exact: true }).fill('Zhongxiang#2027');
    await page.getByLabel('再次输入新密码').fill('Zhongxiang#2027');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => page.getByRole('banner').getByText('钟祥市', { exact: true }).isVisible()).toBe(true);

    expect(errors).toEqual([]);
    await context.close();
  });
});
