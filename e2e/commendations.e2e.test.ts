import { describe, expect, it } from 'vitest';
import { DESKTOP, login, newContext } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

describe('表彰: the city’s ranked contacts and the published 通报表彰', () => {
  const journey = setupJourney();

  it('shows the ranking with its evidence, the excluded contact, and prints the published list', async () => {
    const city = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await city.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_prefecture', journey.demoPassword);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '评选表彰' }).click();
    await page.waitForURL('**/commendations');
    const list = page.getByTestId('commendation-list');
    await list.getByText('已通报').waitFor();
    await page.getByRole('columnheader', { name: '走访达标' }).waitFor();
    expect(await page.getByText('不得提名').count()).toBeGreaterThanOrEqual(1);
    await list.getByRole('link', { name: /通报表彰/ }).click();
    await page.waitForURL('**/commendations/print?*');
    await page.getByText(/年度计划生育特殊家庭优秀联系人的通报/).waitFor();
    expect(errors).toEqual([]);
  });
});
