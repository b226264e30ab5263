import { describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

async function csrf(context: BrowserContext): Promise<string> {
  const me = (await (await context.request.get('/api/v1/auth/me')).json()) as { data: { csrfToken: string } };
  return me.data.csrfToken;
}

describe('the bell (R10)', () => {
  const journey = setupJourney();

  it('a province-level petition tendency rings the county leader on the phone; the bell opens the family and marks it read', async () => {
    // The township records a tendency to petition the province: the county leader is told at once.
    const township = await newContext(journey.browser, journey.url);
    const tp = await township.newPage();
    await login(tp, 'demo_township', journey.demoPassword);
    const families = (await (await township.request.get('/api/v1/families?pageSize=1')).json()) as {
      data: Array<{ id: string; archiveNo: string }>;
    };
    const family = families.data[0];
    expect(family).toBeDefined();
    const risk = await township.request.post(`/api/v1/families/${family.id}/petition-risks`, {
      data: { targetLevel: 'province', scope: 'individual', riskLevel: 'orange', signals: '扬言去省里反映补助问题' },
      headers: { 'x-csrf-token': await csrf(township) },
    });
    expect(risk.status()).toBe(201);
    await township.close();

    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county_leader', journey.demoPassword);
    const countOf = async () =>
      ((await (await context.request.get('/api/v1/notifications/unread-count')).json()) as { data: { unread: number } })
        .data.unread;
    const before = await countOf();
    expect(before).toBeGreaterThan(0);

    const bell = page.getByRole('banner').getByRole('button', { name: /^通知/ });
    await expect.poll(() => bell.getAttribute('aria-label')).toBe(`通知（${before} 条未读）`);
    await bell.click();
    const drawer = page.locator('.ant-drawer-section');
    await waitForMotion(page.locator('.ant-drawer-content-wrapper'));
    const title = `信访苗头预警：档案 ${family.archiveNo}`;
    const item = drawer.getByRole('article', { name: `未读：${title}` });
    await item.waitFor();
    expect(await item.getByText('紧急 · 信访苗头预警').count()).toBe(1);
    // Nothing in it names the family: only the archive number.
    expect(await item.textContent()).not.toMatch(/张|李|王/);
    expect(await horizontalOverflow(page)).toMatchObject({ scrollWidth: PHONE.width });

    await item.getByRole('link', { name: `打开：${title}` }).click();
    await page.waitForURL(`**/families/${family.id}`);
    await expect.poll(countOf).toBe(before - 1);
    await expect.poll(() => bell.getAttribute('aria-label')).toBe(before - 1 ? `通知（${before - 1} 条未读）` : '通知');

    // The full page: the alert is no longer among the unread, and read among all.
    await page.goto('/notifications');
    const list = page.getByRole('list', { name: '通知列表' });
    await list.waitFor();
    expect(await list.getByRole('article', { name: `未读：${title}` }).count()).toBe(0);
    await page.getByText('全部', { exact: true }).click();
    await page.waitForURL(/filter=all/);
    await list.getByRole('article', { name: title }).waitFor();
    expect(await list.getByRole('article', { name: title }).getAttribute('data-unread')).toBe('false');
    expect(await horizontalOverflow(page)).toMatchObject({ scrollWidth: PHONE.width });

    // 通知设置 says plainly that this deployment pushes nothing beyond the bell.
    await page.goto('/notification-settings');
    const summary = page.getByTestId('provider-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('本平台未配置企业微信应用消息或短信服务');
    expect(await page.getByRole('checkbox', { name: /短信/ }).isDisabled()).toBe(true);
    await page.getByRole('switch', { name: '免打扰时段' }).click();
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('通知设置已保存').waitFor();
    const prefs = (await (await context.request.get('/api/v1/notification-preferences')).json()) as {
      data: { quietFrom: string | null; quietTo: string | null };
    };
    expect(prefs.data).toMatchObject({ quietFrom: '22:00', quietTo: '07:00' });
    expect(await horizontalOverflow(page)).toMatchObject({ scrollWidth: PHONE.width });
    expect(errors).toEqual([]);
    await context.close();
  });
});
