import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Locator, Page } from 'playwright-core';
import { DEPARTMENT_LABELS } from '../common/labels.js';
import { DESKTOP, horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

const SCREENS = path.resolve('test-results/screens');

interface Need {
  id: string;
  familyId: string;
  archiveNo: string;
  department: keyof typeof DEPARTMENT_LABELS;
  description: string;
  status: string;
  resolution: string | null;
  confirmedWithFamilyAt: string | null;
  version: number;
}
interface ByDepartment {
  department: string;
  total: number;
  resolved: number;
  overdue: number;
  resolutionRate: number;
}

async function apiGet<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status()).toBe(200);
  return (await res.json()) as T;
}

const openPopup = (page: Page) => page.locator('.ant-select-dropdown:visible');

async function choose(page: Page, combobox: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).click();
  await waitForMotion(openPopup(page));
  await openPopup(page).getByTitle(option, { exact: true }).click();
  await expect.poll(() => openPopup(page).count()).toBe(0);
}

/** A button's name: antd puts a space between the two characters of a two-character label (转 办). */
const named = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

/** The action buttons a row offers, in order. */
const actionsOf = async (row: Locator) =>
  (await row.getByRole('group', { name: '办理' }).getByRole('button').allTextContents()).map((t) =>
    t.replace(/\s/g, ''),
  );

/** Opens one action's dialog from a row and returns the dialog. */
async function openAction(page: Page, row: Locator, action: string, title: string): Promise<Locator> {
  await row.getByRole('button', { name: named(action) }).click();
  const dialog = page.getByRole('dialog', { name: title });
  await waitForMotion(page.locator('.ant-modal').last());
  return dialog;
}

async function submitAndWaitClosed(page: Page, dialog: Locator, button: string): Promise<void> {
  await dialog.getByRole('button', { name: named(button) }).click();
  await expect.poll(() => dialog.isVisible()).toBe(false);
}

const cellTexts = (row: Locator) => row.locator('td').allTextContents();

describe('诉求办理 and 联席会议 (R11)', () => {
  const journey = setupJourney();

  it('a county cadre filters the needs, moves one from open to resolved with the family confirming, and the department figures follow', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);

    // A demo need still open, and its department's figures before.
    const open = await apiGet<{ data: Need[] }>(context.request, '/api/v1/needs?status=open&pageSize=100');
    const need = open.data[0];
    expect(need).toBeDefined();
    const department = DEPARTMENT_LABELS[need.department];
    const before = (await apiGet<{ data: ByDepartment[] }>(context.request, '/api/v1/needs/by-department')).data.find(
      (d) => d.department === need.department,
    )!;

    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '诉求办理' }).click();
    await page.waitForURL('**/needs');
    const table = page.getByTestId('needs-table');
    const rows = table.locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);

    // Filters live in the address bar, and the server does the filtering.
    await choose(page, '责任部门', department);
    await choose(page, '办理状态', '待办理');
    await page.waitForURL(
      new RegExp(`department=${need.department}.*status=open|status=open.*department=${need.department}`),
    );
    const filtered = await apiGet<{ data: Need[]; page: { total: number } }>(
      context.request,
      `/api/v1/needs?status=open&department=${need.department}`,
    );
    await expect.poll(() => rows.count()).toBe(filtered.data.length);
    await expect.poll(() => page.getByText(`共 ${filtered.page.total} 件诉求`).isVisible()).toBe(true);
    for (const cells of await Promise.all((await rows.all()).map(cellTexts))) {
      expect(cells[3]).toBe(department);
      expect(cells[6]).toBe('待办理');
    }
    // Overdue only: every row carries 已超期, as many as the server counts.
    // A click, not check(): the box follows the address bar, which React Router updates in a transition.
    await page.getByRole('checkbox', { name: '只看已超期' }).click();
    await page.waitForURL(/overdue=true/);
    await expect.poll(() => page.getByRole('checkbox', { name: '只看已超期' }).isChecked()).toBe(true);
    const overdue = await apiGet<{ page: { total: number } }>(
      context.request,
      `/api/v1/needs?status=open&department=${need.department}&isOverdue=true`,
    );
    await expect.poll(() => rows.count()).toBe(overdue.page.total);
    for (const row of await rows.all()) expect(await row.getByText('已超期').count()).toBe(1);
    // Back to all statuses of the department, so the need stays in the list while it moves on.
    await page.goto(`/needs?department=${need.department}`);
    const row = table.locator(`tr[data-row-key="${need.id}"]`);
    await row.waitFor();
    expect(await row.getByRole('link', { name: need.archiveNo }).getAttribute('href')).toBe(
      `/families/${need.familyId}`,
    );
    expect(await actionsOf(row)).toEqual(['转办', '开始办理', '办结', '无法解决', '调整部门/期限']);

    // open → referred: 转办 keeps the department.
    let dialog = await openAction(page, row, '转办', '转办诉求');
    await submitAndWaitClosed(page, dialog, '转办');
    await expect.poll(() => row.locator('td').nth(6).textContent()).toBe('已转办');
    // A referred need cannot be referred again.
    expect(await actionsOf(row)).toEqual(['开始办理', '办结', '无法解决', '调整部门/期限']);

    // referred → in progress.
    dialog = await openAction(page, row, '开始办理', '开始办理');
    await submitAndWaitClosed(page, dialog, '开始办理');
    await expect.poll(() => row.locator('td').nth(6).textContent()).toBe('办理中');
    expect(await actionsOf(row)).toEqual(['办结', '无法解决', '调整部门/期限']);

    // in progress → resolved: not without the resolution and the family's confirmation.
    dialog = await openAction(page, row, '办结', '办结诉求');
    await dialog.getByRole('button', { name: named('办结') }).click();
    await dialog.getByText('请填写办理结果').waitFor();
    await dialog.getByText('办结前须与家庭确认办理结果').waitFor();
    await dialog.getByLabel('办理结果').fill('民政部门已办理临时救助 2000 元');
    await dialog.getByRole('checkbox', { name: '已与家庭确认' }).check();
    await submitAndWaitClosed(page, dialog, '办结');
    await expect
      .poll(() => row.locator('td').nth(6).textContent())
      .toBe('已解决民政部门已办理临时救助 2000 元（已与家庭确认）');
    // A closed need offers nothing more.
    expect(await row.getByRole('group', { name: '办理' }).count()).toBe(0);

    // What the server stored.
    const stored = (
      await apiGet<{ data: Need[] }>(context.request, `/api/v1/needs?familyId=${need.familyId}&pageSize=100`)
    ).data.find((n) => n.id === need.id)!;
    expect(stored).toMatchObject({ status: 'resolved', resolution: '民政部门已办理临时救助 2000 元', version: 4 });
    expect(stored.confirmedWithFamilyAt).not.toBeNull();

    // The department's figures moved: one more resolved, shown in the table beside the chart.
    const after = (await apiGet<{ data: ByDepartment[] }>(context.request, '/api/v1/needs/by-department')).data.find(
      (d) => d.department === need.department,
    )!;
    expect(after.resolved).toBe(before.resolved + 1);
    expect(after.resolutionRate).toBeGreaterThan(before.resolutionRate);
    const figures = page.getByTestId('needs-by-department');
    await expect.poll(() => figures.locator('canvas').count()).toBeGreaterThan(0);
    const figureRow = figures.locator('tbody tr.ant-table-row').filter({ hasText: department });
    await expect
      .poll(() => cellTexts(figureRow))
      .toEqual([
        department,
        String(after.total),
        String(after.resolved),
        expect.any(String),
        String(after.overdue),
        `${(after.resolutionRate * 100).toFixed(1)}%`,
      ]);

    await page.waitForLoadState('networkidle');
    fs.mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENS, 'needs-1280.png'), fullPage: true });

    // The archive shows the same need resolved.
    await row.getByRole('link', { name: need.archiveNo }).click();
    await page.waitForURL(`**/families/${need.familyId}`);
    const section = page.locator('#needs');
    await section.getByText('民政部门已办理临时救助 2000 元（已与家庭确认）', { exact: false }).waitFor();
    expect(await section.getByText('已解决').count()).toBeGreaterThan(0);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('tells the cadre when someone else changed the need first, reloads it, and acts from the archive page', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    const need = (await apiGet<{ data: Need[] }>(context.request, '/api/v1/needs?status=open&pageSize=100')).data[0];

    await page.goto(`/families/${need.familyId}`);
    const section = page.locator('#needs');
    const item = section.locator('li').filter({ hasText: need.description });
    await item.getByRole('button', { name: '开始办理' }).click();
    const dialog = page.getByRole('dialog', { name: '开始办理' });
    await waitForMotion(page.locator('.ant-modal').last());

    // Meanwhile another cadre refers it.
    const me = (await (await context.request.get('/api/v1/auth/me')).json()) as { data: { csrfToken: string } };
    const other = await context.request.patch(`/api/v1/needs/${need.id}`, {
      data: { version: need.version, status: 'referred' },
      headers: { 'X-CSRF-Token': me.data.csrfToken },
    });
    expect(other.status()).toBe(200);

    await dialog.getByRole('button', { name: '开始办理', exact: true }).click();
    const warning = page.getByRole('dialog').filter({ hasText: '该诉求已被他人修改' });
    await warning.waitFor();
    await warning.getByRole('button', { name: '知道了' }).click();
    // Reloaded: the archive shows what the other cadre did, and nothing was overwritten.
    await item.getByText('已转办').waitFor();
    const stored = (
      await apiGet<{ data: Need[] }>(context.request, `/api/v1/needs?familyId=${need.familyId}&pageSize=100`)
    ).data.find((n) => n.id === need.id)!;
    expect(stored).toMatchObject({ status: 'referred', version: need.version + 1 });

    // The same dialog on the archive page: 无法解决 needs a reason.
    await item.getByRole('button', { name: '无法解决' }).click();
    const close = page.getByRole('dialog', { name: '无法解决' });
    await waitForMotion(page.locator('.ant-modal').last());
    await close.getByLabel('无法解决的原因').fill('不符合住房保障条件，已向家庭解释政策');
    await submitAndWaitClosed(page, close, '无法解决');
    await item.getByText('无法解决：不符合住房保障条件，已向家庭解释政策').waitFor();
    expect(await item.getByRole('group', { name: '办理' }).count()).toBe(0);
    fs.mkdirSync(SCREENS, { recursive: true });
    await section.screenshot({ path: path.join(SCREENS, 'archive-needs-1280.png') });

    expect(errors).toEqual([]);
    await context.close();
  });

  it('the county holds a joint meeting with two departments and a decision on one need, and it is listed', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county_leader', journey.demoPassword);
    const before = (await apiGet<{ data: unknown[] }>(context.request, '/api/v1/joint-meetings')).data.length;

    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '联席会议' }).click();
    await page.waitForURL('**/joint-meetings');
    const rows = page.getByTestId('meetings-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(before);

    await page.getByRole('button', { name: /召开联席会议/ }).click();
    const dialog = page.getByRole('dialog', { name: '召开联席会议' });
    await waitForMotion(page.locator('.ant-modal').last());
    // One department is not a joint meeting.
    await dialog.getByRole('checkbox', { name: '民政' }).check();
    await dialog.getByRole('button', { name: '登记会议' }).click();
    await dialog.getByText('联席会议至少两个部门参加').waitFor();
    await dialog.getByRole('checkbox', { name: '财政' }).check();
    await dialog.getByLabel('会议纪要').fill('研究困难家庭临时救助');

    // The agenda: the county's needs still being handled; pick the first and decide on it.
    const candidates = dialog.getByTestId('agenda-candidates').locator('tbody tr.ant-table-row');
    await expect.poll(() => candidates.count()).toBeGreaterThan(0);
    const picked = candidates.first();
    const needId = (await picked.getAttribute('data-row-key'))!;
    const archiveNo = (await picked.locator('td').nth(1).textContent())!;
    await picked.getByRole('checkbox').check();
    await dialog.getByText('已选 1 件').waitFor();
    await dialog.getByLabel(/^决定事项 1：/).fill('民政部门两周内入户核查，财政保障资金');
    await submitAndWaitClosed(page, dialog, '登记会议');

    await expect.poll(() => rows.count()).toBe(before + 1);
    const newest = rows.first();
    const cells = await cellTexts(newest);
    expect(cells.slice(2, 4)).toEqual(['民政财政', '1 件诉求']);
    await newest.click();
    const detail = page.getByTestId('meetings-table').locator('tr.ant-table-expanded-row').first();
    await detail.getByText('民政部门两周内入户核查，财政保障资金').waitFor();
    expect(await detail.getByRole('link', { name: archiveNo }).count()).toBe(1);

    // What the server stored.
    const meetings = (
      await apiGet<{
        data: Array<{ departments: string[]; minutes: string; items: Array<{ needId: string; decision: string }> }>;
      }>(context.request, '/api/v1/joint-meetings')
    ).data;
    expect(meetings).toHaveLength(before + 1);
    expect(meetings[0]).toMatchObject({
      departments: ['civil_affairs', 'finance'],
      minutes: '研究困难家庭临时救助',
      items: [{ needId, decision: '民政部门两周内入户核查，财政保障资金' }],
    });

    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits both pages and the dialogs on a 360 px phone without sideways scrolling', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    fs.mkdirSync(SCREENS, { recursive: true });

    await page.goto('/needs');
    // On a phone the needs are cards, their 办理 buttons inside each (ResponsiveTable).
    await page.getByTestId('needs-table').getByTestId('responsive-card').first().waitFor();
    await page.getByTestId('needs-by-department').locator('canvas').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SCREENS, 'needs-360.png'), fullPage: true });

    const row = page
      .getByTestId('needs-table')
      .getByTestId('responsive-card')
      .filter({ has: page.getByRole('group', { name: '办理' }) })
      .first();
    await row.scrollIntoViewIfNeeded();
    const dialog = await openAction(page, row, '办结', '办结诉求');
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await dialog.getByRole('button', { name: named('取消') }).click();

    await page.goto('/joint-meetings');
    await page.getByTestId('meetings-table').locator('tbody tr.ant-table-row').first().click();
    await page.locator('tr.ant-table-expanded-row').first().waitFor();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SCREENS, 'joint-meetings-360.png'), fullPage: true });
    await page.getByRole('button', { name: /召开联席会议/ }).click();
    const holding = page.getByRole('dialog', { name: '召开联席会议' });
    await waitForMotion(page.locator('.ant-modal').last());
    await holding.getByTestId('agenda-candidates').locator('tbody tr.ant-table-row').first().waitFor();
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SCREENS, 'joint-meeting-form-360.png'), fullPage: true });

    expect(errors).toEqual([]);
    await context.close();
  });
});
