import { describe, expect, it } from 'vitest';
import { horizontalOverflow, login, newContext, PHONE, submitLogin, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

describe('the security administrator on a phone', () => {
  const journey = setupJourney();

  it('approves a pending account and unlocks one locked by failed logins, at 360 px', async () => {
    // Someone guesses demo_township's password five times from this address: the pair is blocked.
    const attacker = await newContext(journey.browser, journey.url);
    const guess = await attacker.newPage();
    await guess.goto('/login');
    for (let i = 1; i <= 5; i++) {
      const answered = guess.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await submitLogin(guess, 'demo_township', `wrong-${i}`);
      expect((await answered).status()).toBe(401);
    }
    await attacker.close();

    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_security', journey.demoPassword);
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.locator('.ant-drawer').getByRole('link', { name: '安全管理' }).click();
    await page.waitForURL('**/security');

    // The account the demo system administrator asked for waits here.
    const pending = page.getByRole('row', { name: /zx_new_cadre/ });
    await expect.poll(() => pending.textContent()).toContain('新建账户');
    await pending.getByRole('button', { name: /批\s*准/ }).click();
    await waitForMotion(page.locator('.ant-modal'));
    await page.getByRole('dialog').getByLabel('审批意见').fill('经核实为钟祥市卫健局新任干部');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /批\s*准/ })
      .click();
    await expect.poll(() => page.getByText('已批准 zx_new_cadre').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('没有待审批的变更').isVisible()).toBe(true);

    await page.getByRole('tab', { name: '账户与锁定' }).click();
    await page.waitForURL('**/security?tab=accounts');
    await page.getByPlaceholder('用户名或姓名').fill('demo_township');
    await page.getByPlaceholder('用户名或姓名').press('Enter');
    const row = page.getByRole('row', { name: /demo_township/ });
    await expect.poll(() => row.textContent()).toContain('1 个来源被暂停');
    expect(await horizontalOverflow(page)).toMatchObject({ scrollWidth: PHONE.width });
    await row.getByRole('button', { name: /解\s*锁/ }).click();
    await page
      .locator('.ant-popover')
      .getByRole('button', { name: /解\s*锁/ })
      .click();
    await expect.poll(() => page.getByText('已解锁 demo_township').isVisible()).toBe(true);
    await expect.poll(() => row.textContent()).toContain('正常');

    // The owner signs in again from the same address.
    const owner = await newContext(journey.browser, journey.url);
    const ownerPage = await owner.newPage();
    await login(ownerPage, 'demo_township', journey.demoPassword);
    await owner.close();

    expect(errors).toEqual([]);
    await context.close();
  });
});
