import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Locator, Page } from 'playwright-core';
import { DESKTOP, horizontalOverflow, login, newContext, PHONE, waitForMotion } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

const SCREENS = path.resolve('test-results/screens');

interface Member {
  relation: 'father' | 'mother';
  name: string;
  isDeceased: boolean;
}
interface Family {
  id: string;
  status: string;
  statusReason: string | null;
  members: Member[];
}
interface MajorEvent {
  id: string;
  kind: string;
  affectedRelation: string | null;
  status: string;
  version: number;
  responseVisit: { occurredAt: string; contactName: string } | null;
  followUp: string | null;
  deathConfirmedAt: string | null;
}
interface Risk {
  id: string;
  status: string;
  visitedAt: string | null;
  reviewDate: string | null;
  handlings: Array<{ kind: string; note: string; handledBy: string | null }>;
}
interface PetitionData {
  risks: Risk[];
  events: Array<{ riskId: string | null; level: string; form: string; size: number; outcome: string | null }>;
}

/** A second session of demo_township through the API only: finds the demo cases and reads back what was stored. */
async function apiSession(browser: Browser, url: string, password: string) {
  const context = await newContext(browser, url);
  const signIn = await context.request.post('/api/v1/auth/login', { data: { username: 'demo_township', password } });
  expect(signIn.status()).toBe(200);
  const { csrfToken } = ((await signIn.json()) as { data: { csrfToken: string } }).data;
  const request: APIRequestContext = context.request;
  const get = async <T>(p: string): Promise<T> => {
    const res = await request.get(`/api/v1${p}`);
    expect(res.status(), p).toBe(200);
    return ((await res.json()) as { data: T }).data;
  };
  const post = (p: string, data: unknown) =>
    request.post(`/api/v1${p}`, { data, headers: { 'x-csrf-token': csrfToken } });
  return { context, get, post };
}
type Api = Awaited<ReturnType<typeof apiSession>>;

/** The demo township's families with their events and petition risks (demo-responses.ts seedArchiveWork). */
async function demoCases(api: Api) {
  const families = await api.get<Family[]>('/families?pageSize=100');
  const cases = await Promise.all(
    families.map(async (f) => ({
      family: await api.get<Family>(`/families/${f.id}`),
      events: await api.get<MajorEvent[]>(`/families/${f.id}/events`),
      petitions: await api.get<PetitionData>(`/families/${f.id}/petition-risks`),
    })),
  );
  const parentDeath = (e: MajorEvent) =>
    e.kind === 'death' && (e.affectedRelation === 'father' || e.affectedRelation === 'mother') && !e.deathConfirmedAt;
  const othersDeceased = (c: (typeof cases)[number], e: MajorEvent) =>
    c.family.members.every((m) => m.relation === e.affectedRelation || m.isDeceased);
  const closable = (e: MajorEvent) => e.status === 'responded' && e.kind !== 'death';
  const handleable = (r: Risk) => r.status === 'open' && r.visitedAt !== null;
  const found = <T>(value: T | undefined, what: string): T => {
    expect(value, `demo data: ${what}`).toBeDefined();
    return value!;
  };
  return {
    /** A visited event awaiting 结案. */
    closable() {
      const c = found(
        cases.find((x) => x.events.some(closable)),
        'a visited event',
      );
      return { family: c.family, event: c.events.find(closable)! };
    },
    /** An open risk already visited, so it can be resolved. */
    handleable() {
      const c = found(
        cases.find((x) => x.petitions.risks.some(handleable)),
        'a visited petition risk',
      );
      return { family: c.family, risk: c.petitions.risks.find(handleable)! };
    },
    /** A reported death of a parent awaiting confirmation: the last living one, or one of a couple. */
    death(isLast: boolean) {
      const c = found(
        cases.find(
          (x) =>
            x.family.status === 'active' && x.events.some((e) => parentDeath(e) && othersDeceased(x, e) === isLast),
        ),
        isLast ? 'a lone parent’s death' : 'a death in a couple',
      );
      return { family: c.family, event: c.events.find(parentDeath)! };
    },
  };
}

/** The archive page of a family, loaded down to its events. */
async function openArchive(page: Page, familyId: string): Promise<void> {
  await page.goto(`/families/${familyId}`);
  await page.locator('#events li').first().waitFor();
}

async function openDialog(page: Page, button: Locator, title: string): Promise<Locator> {
  await button.click();
  const dialog = page.getByRole('dialog', { name: title });
  await waitForMotion(page.locator('.ant-modal').filter({ has: page.getByText(title, { exact: true }) }));
  return dialog;
}

/** antd's DatePicker takes a typed date when the text matches its format; Tab closes it. */
async function typeDate(page: Page, input: Locator, date: string): Promise<void> {
  await input.click();
  await input.fill(date);
  await input.press('Tab');
  await page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').waitFor({ state: 'hidden' });
}

const eventRow = (page: Page, text: string) => page.locator('#events li').filter({ hasText: text });

describe('重大情况 and 信访苗头 on the archive page (R5, R7)', () => {
  const journey = setupJourney();

  it('fits the archive and its new dialogs on a 360 px phone', async () => {
    const api = await apiSession(journey.browser, journey.url, journey.demoPassword);
    const cases = await demoCases(api);
    const visited = cases.closable();
    expect(cases.handleable().family.id, 'the demo family with both a visited event and a visited risk').toBe(
      visited.family.id,
    );
    const couple = cases.death(false);
    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_township', journey.demoPassword);

    const fits = async () => expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await openArchive(page, visited.family.id);
    await page.locator('#petitions').getByText('处置记录').waitFor();
    await fits();
    fs.mkdirSync(SCREENS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENS, 'archive-responses-360.png'), fullPage: true });
    const close = await openDialog(
      page,
      page.locator('#events').getByRole('button', { name: /结\s*案/ }),
      '重大情况结案',
    );
    await fits();
    await page.screenshot({ path: path.join(SCREENS, 'event-close-360.png') });
    await close.getByRole('button', { name: /取\s*消/ }).click();
    await close.waitFor({ state: 'hidden' });
    for (const [title, file] of [
      ['处置记录', 'petition-handling-360.png'],
      ['登记信访事件', 'petition-event-360.png'],
    ] as const) {
      const dialog = await openDialog(page, page.locator('#petitions').getByRole('button', { name: title }), title);
      await fits();
      await page.screenshot({ path: path.join(SCREENS, file) });
      await dialog.getByRole('button', { name: /取\s*消/ }).click();
      await dialog.waitFor({ state: 'hidden' });
    }

    await openArchive(page, couple.family.id);
    const death = await openDialog(page, page.getByRole('button', { name: '确认亡故' }), '确认亡故');
    await fits();
    await page.screenshot({ path: path.join(SCREENS, 'event-death-360.png') });
    // The other parent lives: the archive stays.
    expect(await death.getByTestId('death-consequences').textContent()).toContain('档案继续在册');
    await death.getByRole('button', { name: /取\s*消/ }).click();

    expect(errors).toEqual([]);
    await context.close();
    await api.context.close();
  });

  it('a township cadre closes a visited event with its follow-up, and confirms a death that exits the archive', async () => {
    const api = await apiSession(journey.browser, journey.url, journey.demoPassword);
    const cases = await demoCases(api);
    const visited = cases.closable();
    const lone = cases.death(true);
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_township', journey.demoPassword);

    // 结案: the row names the visit that answered the event; the follow-up is required.
    await openArchive(page, visited.family.id);
    const contactName = visited.event.responseVisit!.contactName;
    const row = eventRow(page, `由${contactName}登门走访`).first();
    await row.getByText('已走访', { exact: true }).waitFor();
    const dialog = await openDialog(page, row.getByRole('button', { name: /结\s*案/ }), '重大情况结案');
    await dialog.getByRole('button', { name: /结\s*案/ }).click();
    await dialog.getByText('请填写后续帮扶情况').waitFor();
    const followUp = '协调医保大病报销，家庭医生每周上门随访';
    await dialog.getByLabel('后续帮扶情况').fill(followUp);
    await dialog.getByRole('button', { name: /结\s*案/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    const closedRow = eventRow(page, followUp);
    await closedRow.getByText('已结案', { exact: true }).waitFor();
    expect(await closedRow.getByRole('button', { name: /结\s*案/ }).count()).toBe(0);
    const stored = (await api.get<MajorEvent[]>(`/families/${visited.family.id}/events`)).find(
      (e) => e.id === visited.event.id,
    )!;
    expect(stored).toMatchObject({ status: 'closed', followUp });

    // 确认亡故 on a lone parent: the dialog says the archive will exit before anything happens.
    const parent = lone.family.members.find((m) => m.relation === lone.event.affectedRelation)!;
    await openArchive(page, lone.family.id);
    expect(await page.locator('#members').getByText('已故', { exact: true }).count()).toBe(0);
    const confirm = await openDialog(page, page.getByRole('button', { name: '确认亡故' }), '确认亡故');
    const consequences = await confirm.getByTestId('death-consequences').textContent();
    expect(consequences).toContain(`${parent.name}标记为已故`);
    expect(consequences).toContain('档案将自动退出');

    // Meanwhile a home visit is logged for the family, which moves the event's version on: the stale
    // confirmation is refused, the user is told, and the dialog picks up the current version.
    const assignments = await api.get<{ current: Array<{ contactId: string; post: string }> }>(
      `/families/${lone.family.id}/assignments`,
    );
    const visit = await api.post(`/families/${lone.family.id}/contact-logs`, {
      contactId: assignments.current.find((a) => a.post === 'village_cadre')!.contactId,
      mode: 'home_visit',
      direction: 'outreach',
      occurredAt: new Date().toISOString(),
    });
    expect(visit.status()).toBe(201);
    await confirm.getByRole('button', { name: '确认亡故' }).click();
    await confirm.getByText(/数据已被他人修改/).waitFor();
    const untouched = await api.get<Family>(`/families/${lone.family.id}`);
    expect(untouched.members.find((m) => m.relation === parent.relation)!.isDeceased).toBe(false);
    await expect.poll(() => eventRow(page, '已走访').count()).toBeGreaterThan(0);
    await confirm.getByRole('button', { name: '确认亡故' }).click();
    await confirm.waitFor({ state: 'hidden' });

    // The archive shows the new state without a reload: the parent deceased, the archive exited.
    await page.locator('#members').getByText('已故', { exact: true }).waitFor();
    await page
      .locator('.ant-tag')
      .filter({ hasText: /^退出$/ })
      .first()
      .waitFor();
    await page.locator('#history').getByText('确认亡故', { exact: true }).first().waitFor();
    await eventRow(page, '确认亡故并更新档案').waitFor();
    await expect.poll(() => page.getByRole('button', { name: '确认亡故' }).count()).toBe(0);
    const archive = await api.get<Family>(`/families/${lone.family.id}`);
    expect(archive).toMatchObject({ status: 'exited', statusReason: 'both_parents_deceased' });
    expect(archive.members.find((m) => m.relation === parent.relation)!.isDeceased).toBe(true);
    // The exit ended the family's work (issue 11 item 4): its contacts' posts closed with the exit's
    // reason, and the archive offers no 登记走访 any more.
    const ended = await api.get<{ current: unknown[]; history: Array<{ endReason: string | null }> }>(
      `/families/${lone.family.id}/assignments`,
    );
    expect(ended.current).toEqual([]);
    expect(ended.history.some((h) => h.endReason === '家庭退出：夫妻双方均已亡故')).toBe(true);
    await expect.poll(() => page.getByRole('link', { name: /登记走访/ }).count()).toBe(0);

    expect(errors).toEqual([]);
    await context.close();
    await api.context.close();
  });

  it('records a petition handling and a petition event; a village cadre sees no 信访苗头 at all', async () => {
    const api = await apiSession(journey.browser, journey.url, journey.demoPassword);
    const visited = (await demoCases(api)).handleable();
    const context = await newContext(journey.browser, journey.url, DESKTOP);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_township', journey.demoPassword);
    await openArchive(page, visited.family.id);
    const section = page.locator('#petitions');

    // A first handling with the next review date, then one that marks the risk 已化解.
    let dialog = await openDialog(page, section.getByRole('button', { name: '处置记录' }), '处置记录');
    await dialog.getByText('了解情况', { exact: true }).click();
    await dialog.getByLabel('处置情况').fill('上门了解，对住院报销比例有疑问');
    const review = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await typeDate(page, dialog.getByLabel('下次复查日期'), review);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await section.getByText('上门了解，对住院报销比例有疑问').waitFor();
    const [y, m, d] = review.split('-').map(Number);
    await section.getByText(`下次复查 ${y}年${m}月${d}日`).waitFor();

    dialog = await openDialog(page, section.getByRole('button', { name: '处置记录' }), '处置记录');
    await dialog.getByText('疏导劝解', { exact: true }).click();
    await dialog.getByLabel('处置情况').fill('讲解大病保险二次报销政策，老人表示理解');
    await dialog.getByRole('checkbox', { name: /已化解/ }).check();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    const block = section.getByTestId('petition-risk').filter({ hasText: '讲解大病保险二次报销政策' });
    await block.getByText('已化解', { exact: true }).waitFor();
    expect(await block.getByText('疏导劝解', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => block.getByRole('button', { name: '处置记录' }).count()).toBe(0);

    let stored = await api.get<PetitionData>(`/families/${visited.family.id}/petition-risks`);
    const risk = stored.risks.find((r) => r.id === visited.risk.id)!;
    expect(risk.status).toBe('resolved');
    expect(risk.reviewDate).toBe(review);
    expect(risk.handlings.map((h) => [h.kind, h.handledBy])).toEqual([
      ['learned', '演示乡镇工作人员'],
      ['counselled', '演示乡镇工作人员'],
    ]);

    // 登记信访事件, linked to the risk.
    dialog = await openDialog(page, section.getByRole('button', { name: '登记信访事件' }), '登记信访事件');
    const popup = page.locator('.ant-select-dropdown:visible');
    for (const [field, option] of [
      ['信访层级', '到市'],
      ['信访形式', '走访'],
      ['关联信访苗头', '到市 · 黄色风险'],
    ] as const) {
      await dialog.getByLabel(field).click();
      await waitForMotion(popup);
      await popup.getByText(option).first().click();
      await expect.poll(() => popup.count()).toBe(0);
    }
    await dialog.getByLabel('人数').fill('3');
    await dialog.getByLabel('处理结果').fill('市信访局接待，当场答复报销政策');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    const petitionEvent = section.locator('li').filter({ hasText: '信访事件' });
    await petitionEvent.getByText('3 人').waitFor();
    expect(await petitionEvent.textContent()).toContain('关联苗头：到市 · 黄色风险');
    stored = await api.get<PetitionData>(`/families/${visited.family.id}/petition-risks`);
    expect(stored.events).toEqual([
      expect.objectContaining({
        riskId: visited.risk.id,
        level: 'prefecture',
        form: 'visit',
        size: 3,
        outcome: '市信访局接待，当场答复报销政策',
      }),
    ]);
    expect(errors).toEqual([]);
    await context.close();

    // Village staff keep the village's archives but have no need-to-know: no section, not even an empty one.
    const village = await newContext(journey.browser, journey.url, DESKTOP);
    const villagePage = await village.newPage();
    const villageErrors = collectPageErrors(villagePage);
    await login(villagePage, 'demo_village', journey.demoPassword);
    // …and the page does not ask for what it may not read (issue 11 item 10: no needless 404 on every load).
    const asked: string[] = [];
    villagePage.on('request', (r) => {
      if (r.url().includes('/petition-risks')) asked.push(r.url());
    });
    await openArchive(villagePage, visited.family.id);
    await villagePage.locator('#history li').first().waitFor();
    expect(asked).toEqual([]);
    expect(await villagePage.getByText('信访苗头', { exact: true }).count()).toBe(0);
    expect(await villagePage.locator('#petitions').count()).toBe(0);
    expect(villageErrors).toEqual([]);
    await village.close();
    await api.context.close();
  });
});
