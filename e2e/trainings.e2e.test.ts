import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import { DESKTOP, horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

interface Coverage {
  contacts: number;
  trained: number;
  untrainedTotal: number;
  untrained: Array<{ contactId: string; name: string }>;
}

async function coverage(request: APIRequestContext): Promise<Coverage> {
  const res = await request.get('/api/v1/trainings/coverage');
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: Coverage }).data;
}

/** antd puts a space between the two characters of a two-character button label (保 存). */
const named = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const untrainedTab = (page: Page) => page.getByRole('tab', { name: /未参训人员/ });

describe('培训 (R15)', () => {
  const journey = setupJourney();

  it('a township cadre records a training with attendance and the untrained list shrinks, then ticks one more on a phone', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_township', journey.demoPassword);

    // The demo county trained about two contacts in three this year: the township still has untrained ones.
    const before = await coverage(context.request);
    expect(before.untrainedTotal).toBeGreaterThan(1);
    const first = before.untrained[0];

    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '培训' }).click();
    await page.waitForURL('**/trainings');
    await expect.poll(() => untrainedTab(page).textContent()).toContain(`（${before.untrainedTotal}）`);

    await page.getByRole('button', { name: /登记培训/ }).click();
    const dialog = page.getByRole('dialog', { name: '登记培训' });
    await waitForMotion(page.locator('.ant-modal').last());
    await dialog.getByLabel('培训名称').fill('心理疏导专题培训');
    await dialog.getByRole('checkbox', { name: '心理疏导' }).check();
    const list = dialog.getByTestId('attendance-list');
    await list
      .getByRole('checkbox', { name: new RegExp(`^${escape(first.name)} ·`) })
      .first()
      .check();
    await dialog.getByRole('button', { name: named('保存') }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    // The list shrank by the one who came, on the page and on the server.
    await expect.poll(() => untrainedTab(page).textContent()).toContain(`（${before.untrainedTotal - 1}）`);
    const after = await coverage(context.request);
    expect(after.untrainedTotal).toBe(before.untrainedTotal - 1);
    expect(after.trained).toBe(before.trained + 1);
    expect(after.untrained.map((u) => u.contactId)).not.toContain(first.contactId);

    // The untrained tab is in the address bar and lists the server's untrained contacts.
    await untrainedTab(page).click();
    await page.waitForURL(/tab=untrained/);
    const rows = page.getByTestId('untrained-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(Math.min(after.untrainedTotal, 20));
    await expect.poll(() => page.getByText(`未参训 ${after.untrainedTotal} 人`).isVisible()).toBe(true);
    expect(errors).toEqual([]);

    // On a phone: open the session and tick one more attendee.
    const phone = await newContext(journey.browser, journey.url, PHONE);
    const mobile = await phone.newPage();
    const mobileErrors = collectPageErrors(mobile);
    await login(mobile, 'demo_township', journey.demoPassword);
    await mobile.goto('/trainings');
    await mobile.getByTestId('trainings-table').getByRole('button', { name: '心理疏导专题培训' }).click();
    const drawer = mobile.getByTestId('training-drawer');
    await drawer.waitFor();
    const second = after.untrained[0];
    const box = drawer.getByRole('checkbox', { name: new RegExp(`^${escape(second.name)} ·`) }).first();
    await box.check();
    await drawer.getByRole('button', { name: /保存签到（2 人）/ }).click();
    await expect.poll(async () => (await coverage(phone.request)).untrainedTotal).toBe(after.untrainedTotal - 1);
    const overflow = await horizontalOverflow(mobile);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.innerWidth + 1);
    expect(mobileErrors).toEqual([]);
    await phone.close();
    await context.close();
  });

  it('a township cadre records what a liaison relayed, on a phone', async () => {
    const phone = await newContext(journey.browser, journey.url, PHONE);
    const page = await phone.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_township', journey.demoPassword);
    const listed = await phone.request.get('/api/v1/liaisons?status=active');
    const liaison = ((await listed.json()) as { data: Array<{ id: string; name: string; reportCount: number }> })
      .data[0];
    expect(liaison).toBeDefined();
    await page.goto('/liaisons');
    await page.getByTestId('liaisons-table').getByRole('button', { name: liaison.name }).first().click();
    const drawer = page.getByTestId('liaison-drawer');
    await drawer.waitFor();
    await drawer.getByRole('button', { name: /记录反映情况/ }).click();
    const dialog = page.getByRole('dialog', { name: '记录反映情况' });
    await waitForMotion(page.locator('.ant-modal').last());
    await dialog.getByLabel('反映的政策宣传、家庭诉求等').fill('反映：两户家庭希望了解护理补贴申请办法');
    await dialog.getByRole('button', { name: named('保存') }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => drawer.getByText('两户家庭希望了解护理补贴申请办法').isVisible()).toBe(true);
    const after = await phone.request.get(`/api/v1/liaisons/${liaison.id}`);
    expect(((await after.json()) as { data: { reportCount: number } }).data.reportCount).toBe(liaison.reportCount + 1);
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.innerWidth + 1);
    expect(errors).toEqual([]);
    await phone.close();
  });

  it('a county cadre sees the liaison check, the staffing and the three coverages', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county', journey.demoPassword);
    await page.goto('/liaisons');
    const coverageCard = page.getByTestId('liaison-coverage');
    await coverageCard.waitFor();
    await expect.poll(() => coverageCard.getByText('不足 2 名').count()).toBeGreaterThan(0);
    await expect.poll(() => coverageCard.getByText('超过 3 名').count()).toBe(1);
    expect(await page.getByRole('switch', { name: '本县开展联络员工作' }).isChecked()).toBe(true);
    await page.goto('/county-staffing');
    await page.getByTestId('own-staffing').getByText('已配齐').waitFor();
    await page.goto('/dashboard');
    await page.getByTestId('three-coverages').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
