import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import { seriousViolations } from './support/axe.js';
import { horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

interface Listed<T> {
  data: T[];
  page: { total: number };
}
interface FamilyRow {
  archiveNo: string;
  members: Array<{ name: string }>;
}

const DESKTOP_WIDE = { width: 1366, height: 800 };

async function apiGet<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

const openPopup = (page: Page) => page.locator('.ant-select-dropdown:visible');

async function choose(page: Page, combobox: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).click();
  await waitForMotion(openPopup(page));
  await openPopup(page).getByTitle(option, { exact: true }).click();
  await expect.poll(() => openPopup(page).count()).toBe(0);
}

/** antd's DatePicker takes a typed date when the text matches its format; Tab closes it. */
async function typeDate(page: Page, label: string, date: string): Promise<void> {
  const input = page.getByRole('textbox', { name: label });
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').waitFor({ state: 'hidden' });
}

/** Today in the browser's time zone (Asia/Shanghai), as the page's date filter writes it. */
function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

const bodyText = (page: Page) => page.locator('body').innerText();

function namesIn(text: string, names: string[]): string[] {
  return names.filter((n) => text.includes(n));
}

describe('the auditor reads the audit log (issue 11 item 12)', () => {
  const journey = setupJourney();

  it('Chinese actions, archive numbers not names, filters kept in the URL, a readable detail, an audited export, at 1366 and 360 px', async () => {
    // The demo families' member names, read as the county (the auditor may not read archives).
    const county = await newContext(journey.browser, journey.url);
    const countyPage = await county.newPage();
    await login(countyPage, 'demo_county', journey.demoPassword);
    const families = await apiGet<Listed<FamilyRow>>(county.request, '/api/v1/families?pageSize=100');
    expect(families.data.length).toBeGreaterThan(0);
    const names = [...new Set(families.data.flatMap((f) => f.members.map((m) => m.name)))].filter((n) => n.length > 1);
    expect(names.length).toBeGreaterThan(0);
    await county.close();

    const context = await newContext(journey.browser, journey.url, DESKTOP_WIDE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_auditor', journey.demoPassword);
    await page.goto('/audit');
    await page.getByRole('heading', { name: '审计日志', exact: true }).waitFor();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();

    // Chinese action names (登录 is the auditor's own sign-in), never an action code or a member's name.
    await expect.poll(() => page.getByRole('cell', { name: /^登录/ }).count()).toBeGreaterThan(0);
    const listText = await bodyText(page);
    expect(listText).not.toMatch(/\b(auth|family|user|audit)\.[a-z_]+\b/);
    expect(namesIn(listText, names)).toEqual([]);
    expect(await seriousViolations(page), 'axe on the list').toEqual([]);

    // Filter by category and by a start date: the URL holds both, a reload keeps them.
    const today = shanghaiToday();
    await choose(page, '类别', '档案');
    await page.waitForURL(/[?&]category=family/);
    await typeDate(page, '开始日期', today);
    await page.waitForURL(new RegExp(`[?&]from=${today}`));
    await page.reload();
    await page.getByRole('heading', { name: '审计日志', exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get('category')).toBe('family');
    expect(new URL(page.url()).searchParams.get('from')).toBe(today);
    const categorySelect = page.locator('.ant-select').filter({ has: page.getByRole('combobox', { name: '类别' }) });
    await expect.poll(() => categorySelect.innerText()).toContain('档案');
    expect(await page.getByRole('textbox', { name: '开始日期' }).inputValue()).toBe(today);
    await rows.first().waitFor();
    // Every row is of the 档案 category, its target an archive number.
    const targets = await rows.locator('td:nth-child(4)').allInnerTexts();
    expect(targets.length).toBeGreaterThan(0);
    const archiveTargets = targets.filter((t) => t.startsWith('档案 '));
    expect(archiveTargets.length).toBeGreaterThan(0);
    for (const t of archiveTargets) expect(t).toMatch(/^档案 [A-Z]{2}\d{16}$/);
    const filteredText = await bodyText(page);
    expect(namesIn(filteredText, names)).toEqual([]);

    // A row's detail reads as sentences and labels, not raw JSON.
    await rows
      .first()
      .getByRole('button', { name: /^查看第 \d+ 条详情$/ })
      .click();
    const drawer = page.getByRole('dialog').filter({ hasText: /审计记录 #\d+/ });
    await waitForMotion(drawer);
    await expect.poll(() => drawer.isVisible()).toBe(true);
    const detail = await drawer.innerText();
    for (const label of ['时间', '操作', '结果', '操作人', '对象', '详情']) expect(detail).toContain(label);
    expect(detail).toMatch(/档案 \S+/);
    expect(detail).not.toMatch(/[{}]|"\w+"\s*:/);
    expect(namesIn(detail, names)).toEqual([]);
    // The drawer's motion classes sit on its wrapper, not on the dialog: while it still fades in, axe reads the
    // secondary text against a half-transparent panel (a contrast it does not have once open). Ask again until
    // it has settled; a real violation stays and fails.
    await waitForMotion(page.locator('.ant-drawer-content-wrapper').last());
    await expect.poll(() => seriousViolations(page), { message: 'axe on the detail', timeout: 5_000 }).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.isVisible()).toBe(false);

    // The export downloads a workbook, and the export is itself audited.
    const exportsBefore = (await apiGet<Listed<unknown>>(context.request, '/api/v1/audit-events?action=audit.export'))
      .page.total;
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /导出（\d+ 条）/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    await expect
      .poll(
        async () =>
          (await apiGet<Listed<unknown>>(context.request, '/api/v1/audit-events?action=audit.export')).page.total,
      )
      .toBe(exportsBefore + 1);
    await page.goto('/audit?category=audit');
    await expect.poll(() => page.getByRole('cell', { name: /^导出审计日志/ }).count()).toBeGreaterThan(0);
    expect(await horizontalOverflow(page)).toMatchObject({ scrollWidth: DESKTOP_WIDE.width });
    expect(errors).toEqual([]);
    await context.close();

    // At 360 px: no sideways page scroll, and the export, the chain check and a row's detail are reachable.
    const phone = await newContext(journey.browser, journey.url, PHONE);
    const phonePage = await phone.newPage();
    const phoneErrors = collectPageErrors(phonePage);
    await login(phonePage, 'demo_auditor', journey.demoPassword);
    await phonePage.goto(`/audit?category=family&from=${today}`);
    await phonePage.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    const { scrollWidth, innerWidth } = await horizontalOverflow(phonePage);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    for (const control of [
      phonePage.getByRole('link', { name: /导出（\d+ 条）/ }),
      phonePage.getByRole('button', { name: /校验日志链/ }),
    ]) {
      await control.scrollIntoViewIfNeeded();
      expect(await control.isVisible()).toBe(true);
    }
    const view = phonePage
      .locator('.ant-table-tbody tr.ant-table-row')
      .first()
      .getByRole('button', { name: /^查看第 \d+ 条详情$/ });
    await view.scrollIntoViewIfNeeded();
    await view.click();
    const phoneDrawer = phonePage.getByRole('dialog').filter({ hasText: /审计记录 #\d+/ });
    await waitForMotion(phoneDrawer);
    await expect.poll(() => phoneDrawer.isVisible()).toBe(true);
    expect((await horizontalOverflow(phonePage)).scrollWidth).toBeLessThanOrEqual(innerWidth);
    expect(namesIn(await bodyText(phonePage), names)).toEqual([]);
    expect(await seriousViolations(phonePage), 'axe at 360 px').toEqual([]);
    expect(phoneErrors).toEqual([]);
    await phone.close();
  }, 120_000);
});
