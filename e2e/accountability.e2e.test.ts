import { describe, expect, it } from 'vitest';
import { DESKTOP, login, newContext, PHONE } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

describe('问责: a province-level petition opens a case the county concludes on a phone', () => {
  const journey = setupJourney();

  it('the county opens the case from its todos, reads the evidence and records the finding', async () => {
    const county = await newContext(journey.browser, journey.url, PHONE);
    const page = await county.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    const section = page.getByTestId('todo-section-supervision');
    await section.waitFor();
    await section.getByTestId('todo-item').filter({ hasText: '问责核查' }).first().click();
    await page.waitForURL('**/accountability?case=*');
    const view = page.getByTestId('accountability-case');
    await view.getByText('证据摘要（启动时自动汇集）').waitFor();
    await view.getByText('信访苗头与必访').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360 + 1);
    await view.getByText('已履职', { exact: true }).click();
    await view.getByLabel('处理措施').fill('核实联系人按时走访，信访因政策诉求引起，已化解。');
    await view.getByRole('button', { name: '记录结论并办结' }).click();
    await page.getByText('已记录核查结论，案件办结').waitFor();
    expect(errors).toEqual([]);

    // The city sees both cases, one concluded 履职不到位 in the demo and the one just concluded.
    const city = await newContext(journey.browser, journey.url, DESKTOP);
    const cityPage = await city.newPage();
    await login(cityPage, 'demo_prefecture', journey.demoPassword);
    await cityPage.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '问责核查' }).click();
    await cityPage.getByText('已办结', { exact: true }).click();
    await cityPage.getByTestId('accountability-item').nth(1).waitFor();
    expect(await cityPage.getByTestId('accountability-item').filter({ hasText: '履职不到位' }).count()).toBe(1);
  });
});
