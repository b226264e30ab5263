import { describe, expect, it } from 'vitest';
import { DESKTOP, login, newContext, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/** A button's name: antd puts a space between the two characters of a two-character label (批 准). */
const named = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

describe('完整号码查看审批 (issue 10 item 16)', () => {
  const journey = setupJourney();

  it('the village cadre past the hourly limit asks the township, which approves; the value opens once', async () => {
    const village = await newContext(journey.browser, journey.url, DESKTOP);
    const vPage = await village.newPage();
    const errors = collectPageErrors(vPage);
    await login(vPage, 'demo_village', journey.demoPassword);
    const me = (await (await village.request.get('/api/v1/auth/me')).json()) as { data: { csrfToken: string } };
    const headers = { 'x-csrf-token': me.data.csrfToken };
    // The demo's own family of the village cadre's pending request is not used here: a second family, fresh.
    const families = (await (await village.request.get('/api/v1/families?pageSize=5')).json()) as {
      data: Array<{ id: string }>;
    };
    const familyId = families.data[1].id;
    // The hour's twenty reveals, used up through the API.
    for (let i = 0; i < 20; i += 1) {
      const res = await village.request.post(`/api/v1/families/${familyId}/reveal`, {
        data: { field: 'members.0.phone', reason: '核对联系电话，电话回访' },
        headers,
      });
      expect(res.status()).toBe(200);
    }

    await vPage.goto(`/families/${familyId}`);
    await vPage.getByText('家庭信息', { exact: true }).waitFor();
    await vPage
      .locator('#members')
      .getByRole('button', { name: /身份证号/ })
      .first()
      .click();
    const dialog = vPage.getByRole('dialog');
    await waitForMotion(dialog);
    await dialog.getByLabel('查看原因').fill('核对特别扶助金发放对象身份');
    const footer = dialog.locator('.ant-modal-footer');
    await footer.getByRole('button', { name: named('查看') }).click();
    await dialog.getByText(/已达上限/).waitFor();
    await footer.getByRole('button', { name: '申请乡镇批准' }).click();
    await expect.poll(() => dialog.getByTestId('reveal-request-state').textContent()).toContain('等待审批');
    await footer.getByRole('button', { name: named('取消') }).click();

    // The township cadre: in the todos, then on the page; approves.
    const township = await newContext(journey.browser, journey.url, DESKTOP);
    const tPage = await township.newPage();
    const tErrors = collectPageErrors(tPage);
    await login(tPage, 'demo_township', journey.demoPassword);
    await tPage.getByTestId('todo-section-reveal').waitFor();
    await tPage.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '完整号码查看审批' }).click();
    await tPage.waitForURL('**/reveal-requests');
    const rows = tPage.getByTestId('reveal-requests-table').locator('tbody tr.ant-table-row');
    // The demo's pending request and the one just filed.
    await expect.poll(() => rows.count()).toBe(2);
    const row = rows.filter({ hasText: '核对特别扶助金发放对象身份' });
    await row.getByRole('button', { name: named('批准') }).click();
    const approve = tPage.getByRole('dialog', { name: '批准查看完整号码' });
    await waitForMotion(tPage.locator('.ant-modal').last());
    await approve.getByRole('button', { name: named('批准') }).click();
    await expect.poll(() => approve.isVisible()).toBe(false);
    await expect.poll(() => rows.count()).toBe(1);
    expect(tErrors).toEqual([]);
    await township.close();

    // Back in the village: the dialog says it is approved, and the value opens once.
    await vPage.reload();
    await vPage.getByText('家庭信息', { exact: true }).waitFor();
    await vPage
      .locator('#members')
      .getByRole('button', { name: /身份证号/ })
      .first()
      .click();
    const again = vPage.getByRole('dialog');
    await waitForMotion(again);
    await expect.poll(() => again.getByTestId('reveal-request-state').textContent()).toContain('已批准');
    await again.getByLabel('查看原因').fill('核对特别扶助金发放对象身份');
    await again
      .locator('.ant-modal-footer')
      .getByRole('button', { name: named('查看') })
      .click();
    await again.getByTestId('revealed-value').waitFor();
    expect((await again.getByTestId('revealed-value').textContent())!.trim()).toMatch(/^\d{17}[\dX]$/);
    expect(errors).toEqual([]);
    await village.close();
  });
});
