import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { login, newContext, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/** A button's name: antd puts a space between the two characters of a two-character label (上 报). */
const named = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

async function signedIn(browser: Browser, url: string, username: string, password: string) {
  const context = await newContext(browser, url);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await login(page, username, password);
  return { context, page, errors };
}

async function openAnnual(page: Page): Promise<string> {
  await page.goto('/stat-returns');
  await page.getByTestId('due-returns').getByRole('button', { name: '开始填报' }).first().click();
  await page.getByTestId('stat-return-page').waitFor();
  return page.url();
}

async function submit(page: Page) {
  await page
    .getByTestId('stat-return-actions')
    .getByRole('button', { name: named('上报') })
    .click();
  const dialog = page.getByRole('dialog', { name: '上报报表' });
  await waitForMotion(page.locator('.ant-modal').last());
  await dialog.getByRole('button', { name: '确认上报' }).click();
  await expect.poll(() => page.getByTestId('stat-return-status').textContent()).toContain('已上报');
}

describe('statistical returns in the browser', () => {
  const journey = setupJourney();

  it('submit → send back → resubmit → approve, between the township and the county leader', async () => {
    const township = await signedIn(journey.browser, journey.url, 'demo_township', journey.demoPassword);
    const returnUrl = await openAnnual(township.page);
    await submit(township.page);

    const leader = await signedIn(journey.browser, journey.url, 'demo_county_leader', journey.demoPassword);
    await leader.page.goto(new URL(returnUrl).pathname);
    await leader.page.getByTestId('stat-return-page').waitFor();
    await leader.page
      .getByTestId('stat-return-actions')
      .getByRole('button', { name: named('退回') })
      .click();
    const dialog = leader.page.getByRole('dialog', { name: '退回报表' });
    await waitForMotion(leader.page.locator('.ant-modal').last());
    await dialog.getByLabel('原因').fill('请补填入住养老机构人数');
    await dialog.getByRole('button', { name: named('退回') }).click();
    await expect.poll(() => leader.page.getByTestId('stat-return-status').textContent()).toContain('已退回');

    await township.page.reload();
    await expect.poll(() => township.page.getByTestId('return-reason').textContent()).toContain('养老机构');
    await township.page.getByLabel('入住养老机构人数').fill('3');
    await submit(township.page);
    await expect.poll(() => township.page.getByTestId('figure-manual_elderly_care_admitted').textContent()).toBe('3');

    await leader.page.reload();
    await leader.page.getByTestId('stat-return-actions').getByRole('button', { name: '审核通过' }).click();
    await expect.poll(() => leader.page.getByTestId('stat-return-status').textContent()).toContain('已审核');
    const history = await leader.page.getByTestId('history').textContent();
    expect(history).toContain('退回：请补填入住养老机构人数');
    expect(history).toContain('审核通过');

    // The county sees its townships' reporting, with a chart and its table.
    await leader.page.goto('/reporting-rates?template=annual&period=2025');
    await expect
      .poll(() =>
        leader.page.getByTestId('reporting-rates').getByRole('row').filter({ hasText: '郢中街道' }).textContent(),
      )
      .toContain('已审核');
    expect([...township.errors, ...leader.errors]).toEqual([]);
    await township.context.close();
    await leader.context.close();
  });
});
