import { describe, expect, it } from 'vitest';
import { DESKTOP, horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

type Row = { familyId: string; archiveNo: string; township: { name: string } | null; village: { name: string } | null };

describe('批量安排双岗 and 批量打印联系卡: a township assigns a village at once and prints its cards', () => {
  const journey = setupJourney();

  it('assigns one township and one village cadre to every family of a village in one step (1280 px)', async () => {
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_township', journey.demoPassword);
    const families = (await (await context.request.get('/api/v1/families?pageSize=1')).json()) as {
      data: Array<{ regionCode: string }>;
    };
    const village = families.data[0].regionCode;

    await page.goto('/contacts');
    await page.getByRole('link', { name: /批量安排双岗/ }).click();
    await page.waitForURL('**/contacts/bulk');
    await page.goto(`/contacts/bulk?region=${village}`);
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    const count = await rows.count();
    await page.getByRole('button', { name: /全选/ }).click();
    await page.getByText(`为选中的 ${count} 户安排`).waitFor();

    const pick = async (label: string) => {
      await page.getByLabel(label, { exact: true }).click();
      const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
      await waitForMotion(dropdown);
      const option = dropdown.locator('.ant-select-item-option').first();
      const name = ((await option.textContent()) ?? '').replace(/（\d+ 户）$/, '');
      await option.click();
      await dropdown.waitFor({ state: 'hidden' });
      return name;
    };
    const townshipName = await pick('乡镇包村干部');
    const villageName = await pick('村居干部');
    // The rows show what will change before anything is saved.
    expect(await rows.first().textContent()).toContain(townshipName);
    await page.getByRole('button', { name: `确认安排 ${count} 户` }).click();
    await page.getByText(`已为 ${count} 户安排双岗`).waitFor();

    const after = (await (await context.request.get(`/api/v1/assignments/bulk?regionCode=${village}`)).json()) as {
      data: Row[];
    };
    expect(after.data).toHaveLength(count);
    for (const r of after.data)
      expect(r).toMatchObject({ township: { name: townshipName }, village: { name: villageName } });
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const viewport of [DESKTOP, PHONE])
    it(`prints a village's cards six to an A4 sheet with cut lines, each naming the family masked (${viewport.width} px)`, async () => {
      const context = await newContext(journey.browser, journey.url, viewport);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await login(page, 'demo_township', journey.demoPassword);
      const families = (await (await context.request.get('/api/v1/families?pageSize=1')).json()) as {
        data: Array<{ regionCode: string }>;
      };
      const village = families.data[0].regionCode;
      await page.goto(`/contact-cards?region=${village}`);
      const cards = page.getByTestId('village-contact-card');
      await cards.first().waitFor();
      const n = await cards.count();
      const roster = (await (await context.request.get(`/api/v1/assignments/bulk?regionCode=${village}`)).json()) as {
        data: Array<{ familyName: string }>;
      };
      expect(n).toBe(roster.data.length);
      for (let i = 0; i < n; i++) {
        const text = (await cards.nth(i).textContent()) ?? '';
        expect(text).toContain(`${roster.data[i].familyName} 家`);
        expect(roster.data[i].familyName).toMatch(/某/);
      }
      await page.getByRole('button', { name: new RegExp(`打印 ${n} 张`) }).waitFor();
      expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(viewport.width);

      // On paper: only the sheets, six cells at most each, every cell with its dashed cut line.
      await page.emulateMedia({ media: 'print' });
      const sheets = page.locator('.contact-sheet');
      expect(await sheets.count()).toBe(Math.ceil(n / 6));
      for (let i = 0; i < (await sheets.count()); i++)
        expect(await sheets.nth(i).locator('.contact-sheet-cell').count()).toBeLessThanOrEqual(6);
      const cell = page.locator('.contact-sheet-cell').first();
      expect(await cell.evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('dashed');
      expect(await page.getByRole('banner').isVisible()).toBe(false);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.length).toBeGreaterThan(1000);
      expect(errors).toEqual([]);
      await context.close();
    });
});
