import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { login, newContext, submitLogin } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/** The code an authenticator app would show `steps` periods from now (the server takes each step once). */
function codeFor(secret: string, steps = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * 30_000 });
}

describe('the second factor', () => {
  const journey = setupJourney();

  it('a county leader enrols TOTP from a QR code, keeps the recovery codes, and signs in with a code', async () => {
    const context = await newContext(journey.browser, journey.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    await login(page, 'demo_county_leader', journey.demoPassword);
    await page.getByRole('banner').getByRole('link', { name: '绑定动态验证码' }).click();
    await page.waitForURL('**/mfa-setup');
    // The QR code is drawn in the page (canvas), from nothing but this origin.
    await page.locator('.ant-qrcode canvas').waitFor();
    const secret = (await page.getByTestId('mfa-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    await page.getByLabel('动态验证码', { exact: true }).fill('000000');
    await page.getByRole('button', { name: '完成绑定' }).click();
    await expect.poll(() => page.getByText(/动态验证码不正确/).isVisible()).toBe(true);
    await page.getByLabel('动态验证码', { exact: true }).fill(codeFor(secret));
    await page.getByRole('button', { name: '完成绑定' }).click();
    const codes = page.getByTestId('recovery-codes').locator('li');
    await expect.poll(() => codes.count()).toBe(10);
    await page.getByRole('button', { name: /我已保存恢复码/ }).click();
    await page.waitForURL((url) => url.pathname === '/');

    // Signing in again asks for the code after the password; a wrong one is refused, the next step's is taken.
    await page
      .getByRole('banner')
      .getByRole('button', { name: /退出登录/ })
      .click();
    await page.waitForURL('**/login');
    await submitLogin(page, 'demo_county_leader', journey.demoPassword);
    await page.getByLabel('动态验证码', { exact: true }).waitFor();
    await page.getByLabel('动态验证码', { exact: true }).fill('123456');
    await page.getByRole('button', { name: '验证并登录' }).click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('动态验证码不正确');
    await page.getByLabel('动态验证码', { exact: true }).fill(codeFor(secret, 1));
    await page.getByRole('button', { name: '验证并登录' }).click();
    await page.getByRole('banner').waitFor();
    await expect.poll(() => page.getByRole('banner').getByText('演示县级分管领导').isVisible()).toBe(true);

    expect(errors).toEqual([]);
    await context.close();
  });
});
