import { describe, expect, it } from 'vitest';
import { DESKTOP, login, newContext, PHONE } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

describe('搜索: a cadre finds a family by part of a name or the last 6 of an ID number', () => {
  const journey = setupJourney();

  for (const viewport of [DESKTOP, PHONE])
    it(`finds by given name and by the last 6, and an empty result says how it searched (${viewport.width} px)`, async () => {
      const context = await newContext(journey.browser, journey.url, viewport);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await login(page, 'demo_township', journey.demoPassword);
      await page.goto('/families');
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      await rows.first().waitFor();
      const total = page.locator('.ant-pagination-total-text');

      // A parent of the township's list, searched by the name without its surname (what "某琴" is).
      const listed = (await (await context.request.get('/api/v1/families?pageSize=5')).json()) as {
        data: Array<{ id: string; archiveNo: string; members: Array<{ name: string }> }>;
      };
      const family = listed.data[1];
      const given = Array.from(family.members[0].name).slice(1).join('');
      expect(given.length).toBeGreaterThanOrEqual(2);
      const search = page.getByLabel('搜索档案');
      const searchFor = async (q: string) => {
        const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/families/search'));
        await search.fill(q);
        await search.press('Enter');
        await answered;
      };
      await searchFor(given);
      await page.locator('.ant-table-tbody tr.ant-table-row', { hasText: family.archiveNo }).waitFor();
      const count = await rows.count();
      for (let i = 0; i < count; i++) expect(await rows.nth(i).textContent()).toContain(given);

      // The last 6 of the mother's ID number, read after an audited reveal as a cadre would have it.
      const { data: me } = (await (await context.request.get('/api/v1/auth/me')).json()) as {
        data: { csrfToken: string };
      };
      const revealed = await context.request.post(`/api/v1/families/${family.id}/reveal`, {
        headers: { 'X-CSRF-Token': me.csrfToken },
        data: { field: 'members.0.idNumber', reason: '核对身份，电话联系家属' },
      });
      expect(revealed.status()).toBe(200);
      const idNumber = ((await revealed.json()) as { data: { value: string } }).data.value;
      await searchFor(idNumber.slice(-6));
      await page.locator('.ant-table-tbody tr.ant-table-row', { hasText: family.archiveNo }).waitFor();
      // The digits go in the body of a POST, never into the address bar.
      expect(page.url()).not.toContain(idNumber.slice(-6));

      // Nothing found: the page says where, by what and how it looked, and what else can be typed.
      await searchFor('查无此名');
      const empty = page.getByTestId('empty-search');
      await empty.waitFor();
      const said = (await empty.textContent()) ?? '';
      expect(said).toContain('按父母姓名中含有“查无此名”查找');
      expect(said).toMatch(/在“.+”范围内/);
      expect(said).toContain('后 6 位');
      expect(await total.count()).toBeLessThanOrEqual(1);
      expect(errors).toEqual([]);
      await context.close();
    });
});
