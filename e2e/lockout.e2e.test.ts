import { describe, expect, it } from 'vitest';
import { newContext, submitLogin } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

describe('login lockout', () => {
  const journey = setupJourney();

  it('shows 用户名或密码错误 five times, then the lock message even with the right password', async () => {
    const context = await newContext(journey.browser, journey.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/login');
    const alert = page.getByTestId('login-error');

    for (let attempt = 1; attempt <= 5; attempt++) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await submitLogin(page, 'demo_village', `wrong-password-${attempt}`);
      expect((await answered).status()).toBe(401);
      await expect.poll(() => alert.textContent()).toBe('用户名或密码错误');
    }

    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await submitLogin(page, 'demo_village', journey.demoPassword);
    expect((await answered).status()).toBe(423);
    await expect.poll(() => alert.textContent()).toMatch(/账户已锁定.*\d+ 分钟/);
    expect(page.url()).toContain('/login');

    expect(errors).toEqual([]);
    await context.close();
  });
});
