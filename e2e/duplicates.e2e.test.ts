import { describe, expect, it } from 'vitest';
import { DESKTOP, horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/** A button's name: antd puts a space between the two characters of a two-character label (处 理). */
const named = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

describe('重复建档核查 (issue 10 item 2)', () => {
  const journey = setupJourney();

  it('the city officer finds the demo’s cross-county duplicate and transfers the archive', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_prefecture', journey.demoPassword);

    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '重复建档核查' }).click();
    await page.waitForURL('**/duplicate-archives');
    const rows = page.getByTestId('duplicates-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.textContent()).toContain('魏某兰');
    expect(await row.textContent()).toContain('待处理');

    await row.getByRole('button', { name: named('处理') }).click();
    const dialog = page.getByRole('dialog', { name: '处理重复建档' });
    await waitForMotion(page.locator('.ant-modal').last());
    // A reason is required.
    await dialog.getByRole('button', { name: '确认处理' }).click();
    await expect.poll(() => dialog.getByText('请选择处理方式').isVisible()).toBe(true);
    await dialog.getByLabel(/转移档案/).check();
    await dialog.getByLabel('处理理由').fill('经核实，该户已迁入钟祥市');
    await dialog.getByRole('button', { name: '确认处理' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // Off the work list; under 全部状态 it shows as transferred.
    await expect.poll(() => page.getByText('没有需要核查的重复建档').isVisible()).toBe(true);
    await page.goto('/duplicate-archives?status=all');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain('已转移档案');
    const listed = (await (await context.request.get('/api/v1/duplicate-archives?status=transferred')).json()) as {
      data: Array<{ existingArchive: { status: string }; newArchive: { status: string } }>;
    };
    expect(listed.data[0]).toMatchObject({ existingArchive: { status: 'exited' }, newArchive: { status: 'active' } });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a 360 px phone, and is not offered to the township cadre who created the archive', async () => {
    const phone = await newContext(journey.browser, journey.url, PHONE);
    const page = await phone.newPage();
    await login(page, 'demo_prefecture', journey.demoPassword);
    await page.goto('/duplicate-archives?status=all');
    await page.getByTestId('duplicates-table').waitFor();
    const { scrollWidth, innerWidth } = await horizontalOverflow(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await phone.close();

    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const township = await context.newPage();
    await login(township, 'demo_township', journey.demoPassword);
    expect(
      await township.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '重复建档核查' }).count(),
    ).toBe(0);
    expect((await context.request.get('/api/v1/duplicate-archives')).status()).toBe(403);
    await context.close();
  });
});
