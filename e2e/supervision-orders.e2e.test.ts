import { describe, expect, it } from 'vitest';
import { DESKTOP, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

describe('督办通报: the city ranks its counties, presses a lagging one, and the county answers', () => {
  const journey = setupJourney();

  it('ranks, exports, sends a 督办 that lands in the county’s todos, and the reply closes it', async () => {
    // The city: 通报排名 by each figure, exported, then a 督办 to 钟祥市.
    const city = await newContext(journey.browser, journey.url, DESKTOP);
    const cityPage = await city.newPage();
    const cityErrors = collectPageErrors(cityPage);
    await login(cityPage, 'demo_prefecture', journey.demoPassword);
    await cityPage.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '督办通报' }).click();
    await cityPage.waitForURL('**/supervision-orders');
    const rows = cityPage.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(1);
    // The ranking and the dashboard read one definition: the county's rate is the one /compliance/monthly gives.
    const monthly = (await (await city.request.get('/api/v1/compliance/monthly')).json()) as {
      data: { children: Array<{ name: string; rate: number; families: number }> };
    };
    const zhongxiang = monthly.data.children.find((c) => c.name === '钟祥市')!;
    const row = rows.filter({ hasText: '钟祥市' });
    expect(await row.textContent()).toContain(`${(zhongxiang.rate * 100).toFixed(1)}%`);
    await cityPage.getByLabel('排名指标').click();
    await cityPage.getByText('双岗配齐率', { exact: true }).click();
    await cityPage.getByRole('columnheader', { name: '双岗配齐率' }).waitFor();
    const download = cityPage.waitForEvent('download');
    await cityPage.getByRole('button', { name: /导出通报/ }).click();
    expect((await download).suggestedFilename()).toMatch(/通报排名.*\.xlsx$/);

    await rows.filter({ hasText: '钟祥市' }).getByRole('button', { name: '督办 钟祥市' }).click();
    const dialog = cityPage.getByRole('dialog');
    await waitForMotion(dialog);
    await dialog.getByLabel('督办事项').fill('双岗配齐率偏低，请一周内配齐');
    await dialog.getByRole('button', { name: '发出督办' }).click();
    await cityPage.getByText('已向钟祥市发出督办').waitFor();
    expect(cityErrors).toEqual([]);

    // The county, on a phone: the 督办 is in 我的待办; it opens and is answered.
    const county = await newContext(journey.browser, journey.url, PHONE);
    const countyPage = await county.newPage();
    const countyErrors = collectPageErrors(countyPage);
    await login(countyPage, 'demo_county', journey.demoPassword);
    await countyPage.goto('/');
    const section = countyPage.getByTestId('todo-section-supervision');
    await section.waitFor();
    await section.getByTestId('todo-item').filter({ hasText: '双岗配齐率偏低' }).click();
    await countyPage.waitForURL(/\/supervision-orders\?order=/);
    const card = countyPage.getByTestId('supervision-order').filter({ hasText: '双岗配齐率偏低' });
    await card.getByLabel(/^答复：/).fill('已逐户核查，本周内配齐全部家庭的村居干部');
    await card.getByRole('button', { name: '答复并办结' }).click();
    await countyPage.getByText('已答复，督办办结').waitFor();
    await card.getByText('已答复').first().waitFor();
    await countyPage.goto('/');
    await countyPage.getByTestId('todo-section-visit').or(countyPage.getByText('我的待办')).first().waitFor();
    expect(await countyPage.getByTestId('todo-item').filter({ hasText: '双岗配齐率偏低' }).count()).toBe(0);
    expect(countyErrors).toEqual([]);

    // Back at the city: the order is answered, with the reply.
    await cityPage.goto('/supervision-orders?box=sent');
    const sent = cityPage.getByTestId('supervision-order').filter({ hasText: '双岗配齐率偏低' });
    await sent.getByText('已逐户核查').waitFor();
    await city.close();
    await county.close();
  });
});
