import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import { DESKTOP, horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

const SCREENS = path.resolve('test-results/screens');
const FESTIVALS = ['spring_festival', 'dragon_boat', 'mid_autumn'] as const;
// What the lunar calendar gives for 2026 (正月初一, 五月初五, 八月十五).
const DATES_2026 = { spring_festival: '2026-02-17', dragon_boat: '2026-06-19', mid_autumn: '2026-09-25' };

interface Figures {
  families: number;
  cared: number;
  declined: number;
  rate: number;
}
type Coverage = Figures & { label: string; children: Array<Figures & { regionCode: string; name: string }> };
interface CareFamily {
  familyId: string;
  archiveNo: string;
  parentNames: string[];
  care: { manner: string; caredOn: string } | null;
}

/** `2026-02-17` → `2026年2月17日`, as the page shows dates. */
function chineseDay(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Today in China, where the server and the browser (timezoneId Asia/Shanghai) both stand. */
function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

function coverageOf(request: APIRequestContext, year: number, festival: string, regionCode: string) {
  return getJson<{ data: Coverage }>(
    request,
    `/api/v1/festival-care/coverage?year=${year}&festival=${festival}&regionCode=${regionCode}`,
  ).then((r) => r.data);
}

function familiesOf(request: APIRequestContext, year: number, festival: string, regionCode: string, status: string) {
  return getJson<{ data: CareFamily[]; page: { total: number } }>(
    request,
    `/api/v1/festival-care/families?year=${year}&festival=${festival}&regionCode=${regionCode}&status=${status}`,
  );
}

/** The care the server stored for a family, looked up page by page in the 已慰问 list. */
async function careOf(request: APIRequestContext, year: number, festival: string, regionCode: string, id: string) {
  for (let page = 1; ; page += 1) {
    const res = await getJson<{ data: CareFamily[]; page: { total: number } }>(
      request,
      `/api/v1/festival-care/families?year=${year}&festival=${festival}&regionCode=${regionCode}&status=cared&pageSize=200&page=${page}`,
    );
    const found = res.data.find((f) => f.familyId === id);
    if (found || page * 200 >= res.page.total) return found?.care ?? null;
  }
}

/** The festival of this or last year with the most demo care recorded (the demo cares at the last closed window). */
async function festivalWithCare(request: APIRequestContext, regionCode: string) {
  const thisYear = Number(chinaToday().slice(0, 4));
  let best: { year: number; festival: (typeof FESTIVALS)[number]; coverage: Coverage } | undefined;
  for (const year of [thisYear, thisYear - 1]) {
    for (const festival of FESTIVALS) {
      const coverage = await coverageOf(request, year, festival, regionCode);
      if (!best || coverage.cared > best.coverage.cared) best = { year, festival, coverage };
    }
  }
  expect(best!.coverage.cared).toBeGreaterThan(0);
  return best!;
}

async function chooseYear(page: Page, year: number): Promise<void> {
  await page.getByRole('combobox', { name: '年份' }).click();
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await waitForMotion(dropdown);
  await dropdown.getByTitle(`${year}年`, { exact: true }).click();
  await page.waitForURL(new RegExp(`[?&]year=${year}`));
}

/** The four figures read as the page shows them. */
async function shownFigures(page: Page) {
  const value = async (testId: string) =>
    (await page.getByTestId(testId).locator('.ant-statistic-content').textContent())!.replace(/\s/g, '');
  return {
    cared: await value('care-cared'),
    declined: await value('care-declined'),
    notYet: await value('care-not-yet'),
    rate: await value('care-rate'),
  };
}

function expectedFigures(c: Figures) {
  return {
    cared: `${c.cared}户`,
    declined: `${c.declined}户`,
    notYet: `${c.families - c.cared - c.declined}户`,
    rate: `${(c.rate * 100).toFixed(1)}%`,
  };
}

describe('节日慰问: festival care coverage and the families still to visit', () => {
  const journey = setupJourney();

  it('a county cadre sees the lunar dates, the figures of a festival by township, and a township’s unvisited families', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    const county = '420881000000';

    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '节日慰问' }).click();
    await page.waitForURL('**/festival-care');

    // The year shown first is the one whose festival is open or next, by the dates the server gives.
    const today = chinaToday();
    const thisYear = Number(today.slice(0, 4));
    const current = await getJson<Array<{ windowTo: string }>>(page.request, `/api/v1/festivals?year=${thisYear}`);
    const expectedYear = current.some((f) => f.windowTo >= today) ? thisYear : thisYear + 1;
    await expect.poll(() => page.getByTestId('year-select').textContent()).toContain(`${expectedYear}年`);

    // 2026: the three festivals on the dates of the lunar calendar, each with its window from the API.
    if (expectedYear !== 2026) await chooseYear(page, 2026);
    const api2026 = await getJson<Array<{ festival: string; date: string; windowFrom: string; windowTo: string }>>(
      page.request,
      '/api/v1/festivals?year=2026',
    );
    expect(api2026.map((f) => f.date)).toEqual(Object.values(DATES_2026));
    for (const f of api2026) {
      const card = page.getByTestId(`festival-${f.festival}`);
      await expect.poll(() => card.getByTestId('festival-date').textContent()).toContain(chineseDay(f.date));
      expect(await card.textContent()).toContain(`慰问期 ${chineseDay(f.windowFrom)} 至 ${chineseDay(f.windowTo)}`);
    }
    expect(await page.getByTestId('festival-spring_festival').textContent()).toContain('农历正月初一');

    // The festival with the demo care: its figures are the API's.
    const { year, festival, coverage } = await festivalWithCare(page.request, county);
    if (year !== 2026) await chooseYear(page, year);
    await page.getByTestId(`festival-${festival}`).click();
    await page.waitForURL(new RegExp(`festival=${festival}`));
    expect(await page.getByTestId(`festival-${festival}`).getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => page.getByTestId('care-region').textContent()).toBe('钟祥市');
    await expect.poll(() => shownFigures(page)).toEqual(expectedFigures(coverage));

    // One bar chart and one table row per township, with the API's figures.
    await expect.poll(() => page.getByTestId('care-by-region-chart').locator('canvas').count()).toBeGreaterThan(0);
    const rows = page.getByTestId('care-by-region-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(coverage.children.length);
    const target = coverage.children.find((c) => c.families - c.cared - c.declined > 0)!;
    expect(target).toBeDefined();
    const row = rows.filter({ has: page.getByRole('button', { name: target.name, exact: true }) });
    expect((await row.locator('td').allTextContents()).slice(1, 5).map((s) => Number(s.trim()))).toEqual([
      target.families,
      target.cared,
      target.declined,
      target.families - target.cared - target.declined,
    ]);

    await page.waitForLoadState('networkidle');
    fs.mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENS, 'festival-care-1280.png'), fullPage: true });

    // Drill into the township: the address bar keeps it, the figures and the list are the township's.
    await row.click();
    await page.waitForURL(new RegExp(`region=${target.regionCode}`));
    await expect.poll(() => page.getByTestId('care-region').textContent()).toBe(target.name);
    const township = await coverageOf(page.request, year, festival, target.regionCode);
    await expect.poll(() => shownFigures(page)).toEqual(expectedFigures(township));

    const notCared = await familiesOf(page.request, year, festival, target.regionCode, 'not_cared');
    expect(notCared.page.total).toBe(township.families - township.cared - township.declined);
    const list = page.getByTestId('care-families');
    await expect.poll(() => list.getByText(`共 ${notCared.page.total} 户`).isVisible()).toBe(true);
    const listRows = list.locator('tbody tr.ant-table-row');
    const firstArchiveNo = notCared.data[0].archiveNo;
    await expect.poll(() => listRows.first().locator('td').first().textContent()).toBe(firstArchiveNo);
    // The parents' names as on the overdue list; the archive number opens the family's archive.
    const firstRow = listRows.first();
    expect(await firstRow.textContent()).toContain(notCared.data[0].parentNames[0]);
    expect(await firstRow.getByRole('link', { name: firstArchiveNo }).getAttribute('href')).toBe(
      `/families/${notCared.data[0].familyId}`,
    );
    // A county cadre supervises; recording care is for township and village staff.
    expect(await list.getByRole('button', { name: '登记慰问' }).count()).toBe(0);

    // Reloading keeps year, festival and township.
    await page.reload();
    await expect.poll(() => page.getByTestId('care-region').textContent()).toBe(target.name);
    await expect.poll(() => shownFigures(page)).toEqual(expectedFigures(township));

    // On a 360 px phone the page does not scroll sideways.
    const phone = await newContext(journey.browser, journey.url, PHONE);
    const small = await phone.newPage();
    const phoneErrors = collectPageErrors(small);
    await login(small, 'demo_county', journey.demoPassword);
    await small.goto(new URL(page.url()).pathname + new URL(page.url()).search);
    await expect.poll(() => small.getByTestId('care-region').textContent()).toBe(target.name);
    await expect
      .poll(() => small.getByTestId('care-families').locator('tbody tr.ant-table-row').first().textContent())
      .toContain(firstArchiveNo);
    await small.waitForLoadState('networkidle');
    expect((await horizontalOverflow(small)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await small.screenshot({ path: path.join(SCREENS, 'festival-care-360.png'), fullPage: true });

    expect(phoneErrors).toEqual([]);
    expect(errors).toEqual([]);
    await phone.close();
    await context.close();
  });

  it('the dashboard’s festival and needs cards open the pages where the work is done, for the same region', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    const county = '420881000000';
    const summary = await getJson<{ data: { festival: { festival: string; year: number } } }>(
      page.request,
      `/api/v1/supervision/summary?regionCode=${county}`,
    );
    const { festival, year } = summary.data.festival;

    await page.goto(`/dashboard?region=${county}`);
    await page.getByTestId('summary-festival').getByRole('link', { name: '逐户查看' }).click();
    await page.waitForURL(`**/festival-care?year=${year}&festival=${festival}&region=${county}`);
    await expect.poll(() => page.getByTestId('year-select').textContent()).toContain(`${year}年`);
    await page.getByTestId('care-families').waitFor();

    await page.goBack();
    await page.getByTestId('summary-needs').getByRole('link', { name: '诉求办理' }).click();
    await page.waitForURL(`**/needs?region=${county}`);
    await page.getByText(/共 \d+ 件诉求/).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });

  it('a township cadre records care for a family on the list, and the family moves to 已慰问', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_township', journey.demoPassword);
    const me = await getJson<{ data: { user: { regionCode: string } } }>(page.request, '/api/v1/auth/me');
    const township = me.data.user.regionCode;
    const { year, festival, coverage } = await festivalWithCare(page.request, township);
    const before = await familiesOf(page.request, year, festival, township, 'not_cared');
    expect(before.page.total).toBe(coverage.families - coverage.cared - coverage.declined);
    expect(before.page.total).toBeGreaterThan(0);
    const family = before.data[0];

    await page.goto(`/festival-care?year=${year}&festival=${festival}`);
    const list = page.getByTestId('care-families');
    const row = list.locator('tbody tr.ant-table-row').filter({ hasText: family.archiveNo });
    await row.getByRole('button', { name: '登记慰问' }).click();
    const drawer = page.getByRole('dialog');
    await waitForMotion(page.locator('.ant-drawer-content-wrapper'));
    await drawer.getByRole('group', { name: '慰问方式' }).getByRole('button', { name: '登门慰问' }).click();
    // Outside the window (as on most days of the year) the form asks why.
    const dates = await getJson<Array<{ festival: string; windowFrom: string; windowTo: string }>>(
      page.request,
      `/api/v1/festivals?year=${year}`,
    );
    const campaign = dates.find((f) => f.festival === festival)!;
    const today = chinaToday();
    const reason = drawer.getByLabel('不在慰问期内的原因');
    if (today < campaign.windowFrom || today > campaign.windowTo) await reason.fill('节后补登');
    else expect(await reason.count()).toBe(0);
    await drawer.getByRole('button', { name: '记录慰问' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // The list and the figures follow; the server stored the care for that family.
    const tab = (label: string) => list.locator('.ant-segmented-item').filter({ hasText: label });
    await expect.poll(() => tab('尚未慰问').textContent()).toBe(`尚未慰问 ${before.page.total - 1}`);
    expect(await list.locator('tbody tr.ant-table-row').filter({ hasText: family.archiveNo }).count()).toBe(0);
    await expect
      .poll(() => shownFigures(page))
      .toEqual(expectedFigures(await coverageOf(page.request, year, festival, township)));
    const cared = await familiesOf(page.request, year, festival, township, 'cared');
    expect(await careOf(page.request, year, festival, township, family.familyId)).toEqual({
      manner: 'home_visit',
      caredOn: today,
    });
    expect(cared.page.total).toBe(coverage.cared + 1);

    expect(await tab('已慰问').textContent()).toBe(`已慰问 ${cared.page.total}`);
    await tab('已慰问').click();
    await expect.poll(() => list.getByText(`共 ${cared.page.total} 户`).isVisible()).toBe(true);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('while a care window is open, the page opens on that festival and counts the days left', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    // Only the browser's clock moves, to 2026-06-15, inside 端午's window (06-09 … 06-24): the page works
    // out the open window itself from the dates the server gives. The demo recorded no 端午 2026 care.
    await page.clock.setFixedTime(new Date('2026-06-15T10:00:00+08:00'));
    await login(page, 'demo_village', journey.demoPassword);
    await page.goto('/festival-care');
    await expect.poll(() => page.getByTestId('year-select').textContent()).toContain('2026年');
    const card = page.getByTestId('festival-dragon_boat');
    await expect.poll(() => card.getAttribute('aria-checked')).toBe('true');
    // 06-15 to 06-24, both days counted.
    expect(await card.textContent()).toContain('慰问期中，还剩 10 天');
    expect(await page.getByTestId('festival-spring_festival').textContent()).toContain('慰问期已结束');
    expect(await page.getByTestId('festival-mid_autumn').textContent()).toContain('天后开始');

    // A village cadre can record care for every family on the list while the window is open.
    const me = await getJson<{ data: { user: { regionCode: string } } }>(page.request, '/api/v1/auth/me');
    const notCared = await familiesOf(page.request, 2026, 'dragon_boat', me.data.user.regionCode, 'not_cared');
    expect(notCared.page.total).toBeGreaterThan(0);
    const list = page.getByTestId('care-families');
    await expect.poll(() => list.getByText(`共 ${notCared.page.total} 户`).isVisible()).toBe(true);
    const rows = list.locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(notCared.data.length);
    expect(await list.getByRole('button', { name: '登记慰问' }).count()).toBe(notCared.data.length);
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

    expect(errors).toEqual([]);
    await context.close();
  });
});
