import { describe, expect, it } from 'vitest';
import { DESKTOP, horizontalOverflow, login, newContext, PHONE } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

describe('the sample survey in the browser', () => {
  const journey = setupJourney();

  it('on a 360 px phone: the province previews the allocation, draws, assigns itself and records an answer', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_province', journey.demoPassword);

    await page.goto('/sample-surveys');
    await page.getByTestId('draw-card').waitFor();
    await page.getByLabel('随机种子').fill('2026 年全省抽样（浏览器）');
    await page.getByRole('button', { name: '预览分配' }).click();
    const preview = page.getByTestId('allocation-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('钟祥市');
    expect(await preview.getByRole('row').count()).toBeGreaterThan(1);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

    await page.getByRole('button', { name: '确认抽取' }).click();
    await page.waitForURL(/\/sample-surveys\/[0-9a-f-]{36}$/);
    const surveyId = new URL(page.url()).pathname.split('/')[2];
    await page.getByTestId('survey-progress').waitFor();
    await page.getByTestId('survey-estimates').waitFor();

    // Hand the whole sample to oneself (a province officer surveys too).
    const bar = page.getByTestId('assign-bar');
    await bar.locator('.ant-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '演示省级工作人员' }).click();
    await bar.getByRole('button', { name: '分派全部待访问' }).click();
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain('已分派');

    await page.goto(`/sample-surveys/${surveyId}/calls`);
    const list = page.getByTestId('call-list');
    await list.waitFor();
    // A family with a phone on record (masked in the list).
    await list.getByRole('link').filter({ hasText: '****' }).first().click();
    await page.getByTestId('reveal-phone').click();
    await expect.poll(() => page.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);

    await page.getByLabel('乡镇和村两级联系人都认识').check();
    await page.getByLabel('本月').check();
    await page.getByLabel('收到').check();
    await page.getByLabel('没有', { exact: true }).last().check();
    await page.locator('.ant-radio-button-wrapper').filter({ hasText: /^5$/ }).click();
    await page.getByLabel('其他意见和建议').fill('联系人每月都来，很满意');
    await page.getByTestId('submit-answers').click();
    await expect
      .poll(async () => (await page.locator('.ant-alert').allTextContents()).join(' '))
      .toMatch(/未发现差异|已交县级核实说明/);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

    const stored = (await (await context.request.get(`/api/v1/sample-surveys/${surveyId}`)).json()) as {
      data: { progress: { reached: number } };
    };
    expect(stored.data.progress.reached).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the county sees the discrepancies the city found in its families, and explains one', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    await page.goto('/survey-discrepancies');
    const items = page.getByTestId('discrepancy-item');
    await items.first().waitFor();
    const before = await items.count();
    await items
      .first()
      .getByRole('button', { name: /说\s*明/ })
      .click();
    await page.getByPlaceholder('核实情况、原因和整改措施').fill('经核实，走访记录属实，家庭成员记忆有误。');
    await page.getByRole('button', { name: '提交说明' }).click();
    await expect.poll(() => items.count()).toBe(before - 1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
