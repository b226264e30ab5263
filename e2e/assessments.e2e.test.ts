import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { seriousViolations } from './support/axe.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

interface Unit {
  rank: number;
  regionCode: string;
  name: string;
  level: string;
  score: number;
}
interface Result {
  status: string;
  units: Unit[];
}

/** The result as the API gives it to the signed-in page (same session, same scope). */
async function apiResult(page: Page, id: string): Promise<Result> {
  return page.evaluate(async (schemeId) => {
    const res = await fetch(`/api/v1/assessment-schemes/${schemeId}/result`, { credentials: 'same-origin' });
    return ((await res.json()) as { data: Result }).data;
  }, id);
}

/** The ranking table's rows as shown: 名次, name, 总分. */
async function tableRows(page: Page): Promise<Array<[string, string, string]>> {
  const rows = page.getByTestId('assessment-table').locator('tr.ant-table-row');
  return rows.evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim());
      return [cells[0], cells[1], cells[2]] as [string, string, string];
    }),
  );
}

describe('考核: the province scores its cities and counties, publishes, and the county reads its result', () => {
  const journey = setupJourney();

  it('a province officer creates a scheme, reads the ranking chart and table, and publishes it frozen', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_province', journey.demoPassword);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '考核' }).click();
    await page.waitForURL('**/assessments');
    const list = page.getByTestId('assessment-list');
    // The demo: the city's published assessment and the province's own draft.
    await list.getByText('已发布').first().waitFor();
    expect(await list.getByText('草稿').count()).toBeGreaterThanOrEqual(1);

    await page.getByRole('button', { name: '新建考核方案' }).click();
    await page.waitForURL('**/assessments/new*');
    const form = page.getByTestId('assessment-form');
    await form.getByTestId('assessment-item').nth(1).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await form.getByLabel('方案名称').fill('全省联系工作考核（旅程）');
    // Weights that do not sum to 100 are refused with the sum named.
    const firstWeight = form.getByTestId('assessment-item').first().getByLabel('权重');
    await firstWeight.fill('50');
    await firstWeight.blur();
    await expect.poll(() => form.getByTestId('weight-sum').textContent()).toContain('90 / 100');
    await page.getByRole('button', { name: '保存方案' }).click();
    await page.getByTestId('form-error').getByText('各项权重之和应为 100，现为 90').waitFor();
    expect(page.url()).toContain('/assessments/new');
    await firstWeight.fill('60');
    await firstWeight.blur();
    await expect.poll(() => form.getByTestId('weight-sum').textContent()).toContain('100 / 100');
    await page.getByRole('button', { name: '保存方案' }).click();
    await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;

    // The ranking: a chart and its table, the table's rows being the API's cities in rank order.
    const ranking = page.getByTestId('assessment-ranking');
    await ranking.getByText('各市州考核得分排名').waitFor();
    await ranking.locator('[data-testid="assessment-chart"] canvas').waitFor();
    await page.getByTestId('assessment-table').locator('tr.ant-table-row').first().waitFor();
    const live = await apiResult(page, id);
    expect(live.status).toBe('draft');
    const cities = live.units.filter((u) => u.level === 'prefecture');
    expect(cities.length).toBeGreaterThan(1);
    expect(await tableRows(page)).toEqual(cities.map((u) => [String(u.rank), u.name, String(u.score)]));
    // The demo city (荆门市) has the demo families: it leads and has a non-zero score.
    expect(cities[0].name).toBe('荆门市');
    expect(cities[0].score).toBeGreaterThan(0);
    // The counties' ranking, and a unit's item breakdown.
    await page.getByText('县（市、区）排名', { exact: true }).click();
    await ranking.getByText('各县（市、区）考核得分排名').waitFor();
    const counties = live.units.filter((u) => u.level === 'county');
    await expect.poll(async () => (await tableRows(page)).length).toBe(counties.length);
    await page.getByTestId('assessment-table').getByRole('button', { name: counties[0].name }).click();
    const breakdown = page.getByTestId('assessment-breakdown');
    await breakdown.getByText(`得分明细 · ${counties[0].name}`).waitFor();
    await breakdown.getByText('每月登门走访率').waitFor();

    // 发布: the confirmation says the result is frozen; after it the page shows when it was frozen.
    await page.getByRole('button', { name: '发布' }).click();
    const dialog = page.getByRole('dialog');
    await waitForMotion(dialog);
    await dialog.getByText(/考核结果冻结/).waitFor();
    await dialog.getByRole('button', { name: '发布并冻结' }).click();
    await page
      .getByTestId('assessment-frozen')
      .getByText(/结果已冻结：.* 由 演示省级工作人员 发布/)
      .waitFor();
    expect(await page.getByRole('button', { name: '修改方案' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '发布', exact: true }).count()).toBe(0);
    const frozen = await apiResult(page, id);
    expect(frozen.status).toBe('published');
    expect(frozen.units.map((u) => [u.regionCode, u.score])).toEqual(live.units.map((u) => [u.regionCode, u.score]));
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a county reads the city’s published assessment on a phone: its own result only, read-only, no overflow', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    await page.goto('/assessments');
    const list = page.getByTestId('assessment-list');
    await list.getByText('已发布').first().waitFor();
    await list.getByRole('link', { name: /县（市、区）特殊家庭联系工作目标责任考核/ }).click();
    await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    await page
      .getByTestId('assessment-frozen')
      .getByText(/由 演示市州工作人员 发布/)
      .waitFor();
    await page.getByText(/上级考核，仅显示本级结果（只读）/).waitFor();
    const cards = page.getByTestId('assessment-table').getByTestId('responsive-card');
    await cards.first().waitFor();
    const id = page.url().split('/').pop()!;
    const mine = await apiResult(page, id);
    expect(mine.units.map((u) => u.name)).toEqual(['钟祥市']);
    expect(await cards.count()).toBe(1);
    await cards.first().getByText('钟祥市').waitFor();
    expect(await page.getByRole('button', { name: '发布' }).count()).toBe(0);
    await page.getByTestId('assessment-breakdown').getByText('抽样调查回答与记录不符率').waitFor();
    const { scrollWidth, innerWidth } = await horizontalOverflow(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
