import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/** A button's name: antd puts a space between the two characters of a two-character label (上 报). */
const named = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

async function signedIn(browser: Browser, url: string, username: string, password: string, viewport = DESKTOP) {
  const context = await newContext(browser, url, viewport);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await login(page, username, password);
  return { context, page, errors };
}

async function noSidewaysScroll(page: Page, where: string) {
  const { scrollWidth, innerWidth } = await horizontalOverflow(page);
  expect(scrollWidth, `${where} scrolls sideways at ${innerWidth} px`).toBeLessThanOrEqual(innerWidth);
}

const action = (page: Page, name: string) =>
  page.getByTestId('stat-return-actions').getByRole('button', { name: named(name) });

const status = (page: Page) => page.getByTestId('stat-return-status').textContent();

/** A child's row on 报送情况. */
const childRow = (page: Page, name: string) =>
  page.getByTestId('reporting-rates').getByRole('row').filter({ hasText: name });

/** Opens the office's own return of the annual period from 统计报表 (本期应报 → 打开). */
async function openOwnAnnual(page: Page) {
  await page.goto('/stat-returns');
  await page
    .getByTestId('due-returns')
    .getByRole('link', { name: named('打开') })
    .first()
    .click();
  await page.getByTestId('stat-return-page').waitFor();
}

/**
 * 上报 with the dialog: what was written before stays (a resubmission after a send-back); a field still
 * empty (a new reason or warning) gets `filler`.
 */
async function submit(page: Page, filler: string): Promise<void> {
  await action(page, '上报').click();
  const dialog = page.getByRole('dialog', { name: '上报报表' });
  await waitForMotion(page.locator('.ant-modal').last());
  for (const box of await dialog.getByRole('textbox').all()) if (!(await box.inputValue())) await box.fill(filler);
  await dialog.getByRole('button', { name: '确认上报' }).click();
  await expect.poll(() => status(page)).toContain('已上报');
}

async function sendBack(page: Page, reason: string) {
  await action(page, '退回').click();
  const dialog = page.getByRole('dialog', { name: '退回报表' });
  await waitForMotion(page.locator('.ant-modal').last());
  await dialog.getByLabel('原因').fill(reason);
  await dialog.getByRole('button', { name: named('退回') }).click();
  await expect.poll(() => status(page)).toContain('已退回');
}

async function approve(page: Page) {
  await action(page, '审核通过').click();
  await expect.poll(() => status(page)).toContain('已审核');
}

/** The figures on 报送情况 as the page shows them. */
async function shownRates(page: Page) {
  const value = async (key: string) =>
    Number(await page.getByTestId(`rate-${key}`).locator('.ant-statistic-content-value').textContent());
  return {
    expected: await value('expected'),
    submitted: await value('submitted'),
    onTime: await value('onTime'),
    late: await value('late'),
    missing: await value('missing'),
    percent: await value('percent'),
  };
}

interface Rates {
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  missing: number;
  children: Array<{ regionCode: string; name: string; status: string; timeliness: string | null }>;
}

async function apiRates(page: Page): Promise<Rates> {
  const res = await page.request.get('/api/v1/reporting-rates?template=annual&period=2025');
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: Rates }).data;
}

const percentOf = (r: Rates) => (r.expected ? Math.round((r.submitted / r.expected) * 1000) / 10 : 0);

/**
 * The whole chain of the 2025 annual return on the demo returns (server/demo/demo-stat-returns.ts): the
 * township corrects its sent-back return on a phone, the county leader approves it, the city sends the
 * county's early return back, the county hands it in again, the city approves it and hands in its own
 * (late: 15 May is past), and the province sees it arrive on 报送情况 and approves it.
 */
describe('statistical returns above the county, and on a phone', () => {
  const journey = setupJourney({ statReturns: true });

  it('township (phone) → county leader → county → city → province, with 报送情况 at each level', async () => {
    const { browser, url, demoPassword } = journey;

    // The township officer, on a phone: 统计报表, the sent-back return, its figures and checks, 上报.
    const township = await signedIn(browser, url, 'demo_township', demoPassword, PHONE);
    const tp = township.page;
    await tp.goto('/stat-returns');
    await tp.getByTestId('due-returns').waitFor();
    expect(await tp.getByTestId('due-returns').textContent()).toContain('已退回');
    await noSidewaysScroll(tp, '统计报表');
    await openOwnAnnual(tp);
    expect(await status(tp)).toContain('已退回');
    expect(await tp.getByTestId('return-reason').textContent()).toContain('特别扶助人数');
    const active = Number(await tp.getByTestId('figure-families_active').textContent());
    expect(active).toBeGreaterThan(0);
    await tp.getByTestId('figure-families_active').scrollIntoViewIfNeeded();
    expect(await tp.getByTestId('figure-families_active').isVisible()).toBe(true);
    await tp.getByTestId('checks').waitFor();
    expect(await tp.getByTestId('checks').textContent()).toMatch(/审核/);
    await noSidewaysScroll(tp, 'the return page');
    await tp.getByLabel('填报说明').fill('特别扶助人数已与发放花名册逐户核对');
    await submit(tp, '已核实');
    await noSidewaysScroll(tp, 'the submitted return page');
    expect(Number(await tp.getByTestId('figure-families_active').textContent())).toBe(active);

    // The county leader, on a phone too: 报送情况 of the townships, approves the two awaiting review.
    const leader = await signedIn(browser, url, 'demo_county_leader', demoPassword, PHONE);
    const lp = leader.page;
    await lp.goto('/reporting-rates?template=annual&period=2025');
    await expect.poll(() => childRow(lp, '郢中街道').textContent()).toContain('已上报');
    await lp.getByTestId('reporting-rates').locator('canvas, svg').first().waitFor();
    await noSidewaysScroll(lp, '报送情况 (county)');
    for (const name of ['郢中街道', '长寿镇']) {
      await lp.goto('/reporting-rates?template=annual&period=2025');
      await childRow(lp, name).getByRole('link', { name: '查看报表' }).click();
      await lp.getByTestId('stat-return-page').waitFor();
      await noSidewaysScroll(lp, `the return page of ${name} (leader)`);
      await approve(lp);
    }

    // The city: the county's return, handed in on 28 April with those two townships missing, goes back.
    const city = await signedIn(browser, url, 'demo_prefecture', demoPassword);
    const cp = city.page;
    await cp.goto('/reporting-rates?template=annual&period=2025');
    await expect.poll(() => childRow(cp, '钟祥市').textContent()).toContain('已上报');
    await childRow(cp, '钟祥市').getByRole('link', { name: '查看报表' }).click();
    await cp.getByTestId('stat-return-page').waitFor();
    const countyReturnUrl = new URL(cp.url()).pathname;
    await sendBack(cp, '郢中街道、长寿镇报表已上报，请县级审核后重新上报');

    // The county: the reason, then 上报 again. The townships now approved are no longer asked about; the
    // reasons given in April for the others are still there.
    const county = await signedIn(browser, url, 'demo_county', demoPassword);
    const kp = county.page;
    await openOwnAnnual(kp);
    expect(new URL(kp.url()).pathname).toBe(countyReturnUrl);
    expect(await kp.getByTestId('return-reason').textContent()).toContain('请县级审核后重新上报');
    await submit(kp, '未报送');
    const countyReturn = (await (await kp.request.get(`/api/v1${countyReturnUrl}`)).json()) as {
      data: { missingReasons: Record<string, string>; timeliness: string };
    };
    const reasons = countyReturn.data.missingReasons;
    const countyRates = await apiRates(kp);
    const code = (name: string) => countyRates.children.find((c) => c.name === name)!.regionCode;
    expect(reasons[code('郢中街道')]).toBeUndefined();
    expect(reasons[code('长寿镇')]).toBeUndefined();
    expect(reasons[code('丰乐镇')]).toBe('乡镇报表未按时报送，已电话督促');
    // Timeliness is the first submission's: handed in on 28 April, before 30 April.
    expect(countyReturn.data.timeliness).toBe('on_time');

    // The city approves the county's return, then hands in its own (a draft since 6 May).
    await cp.reload();
    // The reasons for the townships still missing, by name.
    await expect.poll(() => cp.getByTestId('missing-reasons').textContent()).toContain('丰乐镇：乡镇报表未按时报送');
    await approve(cp);
    expect(await cp.getByTestId('history').textContent()).toContain('退回：郢中街道、长寿镇报表已上报');

    const province = await signedIn(browser, url, 'demo_province', demoPassword);
    const pp = province.page;
    await pp.goto('/reporting-rates?template=annual&period=2025');
    await expect.poll(() => childRow(pp, '荆门市').textContent()).toContain('草稿');
    const before = await apiRates(pp);
    expect(await shownRates(pp)).toEqual({ ...pick(before), percent: percentOf(before) });

    await openOwnAnnual(cp);
    expect(await cp.getByTestId('stat-return-page').textContent()).toContain('荆门市');
    await submit(cp, '东宝区本年度无在册特殊家庭变动，报表未报送');
    expect(await cp.getByTestId('stat-return-page').textContent()).toContain('迟报');

    // The province: the city's return has arrived, late; the reporting rate moved, as the API says.
    await pp.reload();
    await expect.poll(() => childRow(pp, '荆门市').textContent()).toContain('已上报');
    expect(await childRow(pp, '荆门市').textContent()).toContain('迟报');
    const after = await apiRates(pp);
    expect(after.submitted).toBe(before.submitted + 1);
    expect(after.late).toBe(before.late + 1);
    expect(after.missing).toBe(before.missing - 1);
    await expect.poll(async () => shownRates(pp)).toEqual({ ...pick(after), percent: percentOf(after) });
    await childRow(pp, '荆门市').getByRole('link', { name: '查看报表' }).click();
    await pp.getByTestId('stat-return-page').waitFor();
    await approve(pp);
    // The city may reopen the county's return only while its own is not approved: now it is.
    await cp.goto(countyReturnUrl);
    await cp.getByTestId('stat-return-page').waitFor();
    expect(await action(cp, '重新打开').count()).toBe(0);

    await pp.goto('/reporting-rates?template=annual&period=2025');
    await expect.poll(() => childRow(pp, '荆门市').textContent()).toContain('已审核');
    // The province drills down to the county and to its townships.
    await childRow(pp, '荆门市').getByRole('link', { name: '荆门市' }).click();
    await expect.poll(() => childRow(pp, '钟祥市').textContent()).toContain('已审核');

    // 报送情况 at the province on a phone: the chart and its table fit.
    const phone = await newContext(browser, url, PHONE);
    await phone.addCookies(await province.context.cookies());
    const ph = await phone.newPage();
    const phoneErrors = collectPageErrors(ph);
    await ph.goto('/reporting-rates?template=annual&period=2025');
    await expect.poll(() => childRow(ph, '荆门市').textContent()).toContain('已审核');
    await ph.getByTestId('reporting-rates').locator('canvas, svg').first().waitFor();
    await noSidewaysScroll(ph, '报送情况 (province)');

    expect([
      ...township.errors,
      ...leader.errors,
      ...city.errors,
      ...county.errors,
      ...province.errors,
      ...phoneErrors,
    ]).toEqual([]);
    for (const c of [township, leader, city, county, province]) await c.context.close();
    await phone.close();
  }, 240_000);
});

function pick(r: Rates) {
  return { expected: r.expected, submitted: r.submitted, onTime: r.onTime, late: r.late, missing: r.missing };
}
