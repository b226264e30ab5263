import { describe, expect, it } from 'vitest';
import type { APIRequestContext } from 'playwright-core';
import { DESKTOP, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

interface FestivalDate {
  festival: string;
  label: string;
  date: string;
  windowFrom: string;
  windowTo: string;
}

async function json<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('state that is visible on the visit form (issue 11 items 5 and 10)', () => {
  const journey = setupJourney();

  it('offers festival care outside the window as late care with its reason, then shows the family as cared for', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    // A township cadre logs visits and care on the contacts' behalf; the demo contact's own families are all cared for.
    await login(page, 'demo_township', journey.demoPassword);

    // The festival the visit form offers: the open one, else the one whose window closed last.
    const today = chinaToday();
    const year = Number(today.slice(0, 4));
    const dates = [
      ...(await json<FestivalDate[]>(page.request, `/api/v1/festivals?year=${year - 1}`)),
      ...(await json<FestivalDate[]>(page.request, `/api/v1/festivals?year=${year}`)),
    ];
    const open = dates.find((f) => f.windowFrom <= today && today <= f.windowTo);
    const festival =
      open ?? dates.filter((f) => f.windowTo < today).sort((a, b) => (a.windowTo < b.windowTo ? 1 : -1))[0];
    const festivalYear = Number(festival.date.slice(0, 4));

    // A family of the township not yet cared for at that festival.
    const me = await json<{ data: { user: { regionCode: string } } }>(page.request, '/api/v1/auth/me');
    const notCared = await json<{ data: Array<{ familyId: string }> }>(
      page.request,
      `/api/v1/festival-care/families?year=${festivalYear}&festival=${festival.festival}&regionCode=${me.data.user.regionCode}&status=not_cared`,
    );
    const familyId = notCared.data[0]?.familyId;
    expect(familyId).toBeDefined();

    await page.goto(`/visits/${familyId}`);
    const button = page.getByRole('button', { name: open ? `${festival.label}慰问` : `补记${festival.label}慰问` });
    await button.click();
    const drawer = page.getByRole('dialog');
    await waitForMotion(page.locator('.ant-drawer-content-wrapper'));
    await drawer.getByRole('group', { name: '慰问方式' }).getByRole('button', { name: '登门慰问' }).click();
    const reason = drawer.getByLabel('不在慰问期内的原因');
    if (open) expect(await reason.count()).toBe(0);
    else await reason.fill('节日期间家中无人，节后补送');
    await drawer.getByRole('button', { name: '记录慰问' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // Done: said so, and not offered again.
    await expect.poll(() => page.getByTestId('festival-care-state').textContent()).toContain('已慰问');
    expect(await button.count()).toBe(0);
    const stored = (
      await json<{ data: Array<{ festival: string; year: number; isOutsideWindow: boolean }> }>(
        page.request,
        `/api/v1/families/${familyId}/festival-care`,
      )
    ).data.find((c) => c.festival === festival.festival && c.year === festivalYear);
    expect(stored?.isOutsideWindow).toBe(!open);
    // A reload still shows it as done.
    await page.reload();
    await expect.poll(() => page.getByTestId('festival-care-state').textContent()).toContain('已慰问');
    expect(await button.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens the login page without an error in the console (no 401 for “is anyone signed in?”)', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const logged: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') logged.push(m.text());
    });
    const statuses: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/')) statuses.push(r.status());
    });
    await page.goto('/login');
    await page.getByLabel('用户名').waitFor();
    await page.waitForLoadState('networkidle');
    expect(statuses.every((s) => s < 400)).toBe(true);
    expect(logged).toEqual([]);
    await context.close();
  });

  it('marks the month under way as 进行中 on the dashboard’s trend instead of a drop', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    await page.goto('/dashboard');
    const trend = page.getByTestId('trend');
    const rows = trend.locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    const current = rows.filter({ hasText: '进行中' });
    expect(await current.count()).toBe(1);
    expect(await rows.last().textContent()).toContain('进行中');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('finds a village in the region picker by typing part of its name', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    const me = await json<{ data: { user: { regionCode: string } } }>(page.request, '/api/v1/auth/me');
    // A village three levels down, by the last two characters of its name.
    const township = (
      await json<{ data: Array<{ code: string }> }>(page.request, `/api/v1/regions/${me.data.user.regionCode}/children`)
    ).data[0];
    const village = (
      await json<{ data: Array<{ code: string; name: string }> }>(
        page.request,
        `/api/v1/regions/${township.code}/children`,
      )
    ).data[0];
    const part = [...village.name].slice(-3).join('');
    await page.goto('/families');
    const picker = page.getByRole('combobox', { name: '全部区划' });
    await picker.click();
    await picker.pressSequentially(part);
    const option = page
      .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper')
      .filter({ hasText: village.name })
      .first();
    await option.waitFor();
    expect(await option.textContent()).toContain('›');
    await option.click();
    await page.waitForURL((url) => url.searchParams.get('region') === village.code);
    expect(errors).toEqual([]);
    await context.close();
  });
});
