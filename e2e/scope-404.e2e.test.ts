import { describe, expect, it } from 'vitest';
import { login, newContext } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

describe('a township cadre outside their scope', () => {
  const journey = setupJourney();

  it('sees 404 for another county (江岸区) and for an unknown page, and can go back to their own region', async () => {
    const context = await newContext(journey.browser, journey.url);
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    await login(page, 'demo_township', journey.demoPassword);
    await page.goto('/regions/420102000000');
    await expect.poll(() => page.getByText('无此区划或无权查看', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('江岸区').count()).toBe(0);

    await page.getByRole('link', { name: '返回本级区划' }).click();
    await expect.poll(() => page.getByTestId('region-name').isVisible()).toBe(true);
    const own = page.url().split('/').pop()!;
    expect(own).toMatch(/^420881\d{3}000$/);

    await page.goto('/no-such-page');
    await expect.poll(() => page.getByText('页面不存在', { exact: true }).isVisible()).toBe(true);

    // A page of another role's menu is refused in the browser too.
    await page.goto('/users');
    await expect.poll(() => page.getByText('无权访问', { exact: true }).isVisible()).toBe(true);

    expect(errors).toEqual([]);
    await context.close();
  });
});
