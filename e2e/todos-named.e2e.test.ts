import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, login, newContext, PHONE } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/** Each family item of 我的待办: what a person reads on it, and where it leads. */
async function familyItems(page: Page, section: string) {
  const items = page.getByTestId(`todo-section-${section}`).getByTestId('todo-item');
  await items.first().waitFor();
  const out: Array<{ family: string; text: string; href: string }> = [];
  for (const item of await items.all())
    out.push({
      family: (await item.getByTestId('todo-family').textContent())!.trim(),
      text: (await item.textContent())!.trim(),
      href: (await item.getAttribute('href'))!,
    });
  return out;
}

describe('todos and home cards name the family (issue 11 item 3)', () => {
  const journey = setupJourney();

  it('a village contact’s 重大情况 items each name their family, masked, and open it', async () => {
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_contact', journey.demoPassword);
    const items = await familyItems(page, 'event');
    for (const item of items) {
      // 钱某兰 or 钱某兰、李某国, then the archive number.
      expect(item.family).toMatch(
        /^[\p{Script=Han}]某+[\p{Script=Han}]?(、[\p{Script=Han}]某+[\p{Script=Han}]?)? · \S+$/u,
      );
      expect(item.href).toMatch(/^\/visits\/[\w-]+$/);
    }
    // No two items read the same.
    expect(new Set(items.map((i) => i.text)).size).toBe(items.length);

    const first = items[0];
    await page.getByTestId('todo-section-event').getByTestId('todo-item').first().click();
    await page.waitForURL(`**${first.href}`);
    const header = (await page.getByTestId('visit-family-name').textContent())!;
    // The masked name's surname is the family's.
    expect(header.startsWith(first.family[0])).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the county leader’s 信访预警 names the family and opens its archive', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_county_leader', journey.demoPassword);
    const items = await familyItems(page, 'petition');
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.family).toMatch(/某/);
      expect(item.href).toMatch(/^\/families\/[\w-]+$/);
    }
    await page.getByTestId('todo-section-petition').getByTestId('todo-item').first().click();
    await page.waitForURL(`**${items[0].href}`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
