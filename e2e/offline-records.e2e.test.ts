import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import { login, newContext, PHONE } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/**
 * Field use without signal (issue #17), the records other than visits: on a 360 px phone with the network cut
 * by `context.setOffline(true)`, a festival care record (送慰问金 with the amount left out, which the form takes
 * and the server refuses), a major event and a petition tendency are logged for an assigned family; the badge
 * counts three; back online the event and the tendency are written once each (read on the server through the
 * API); the care record stays in 待同步 with the server's reason, opens in its own drawer prefilled, is
 * corrected and resent under a new Idempotency-Key, and is accepted once.
 */

interface FestivalDate {
  festival: string;
  label: string;
  date: string;
  windowFrom: string;
  windowTo: string;
}

/** Today in China, where the server and the browser (timezoneId Asia/Shanghai) both stand. */
function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

/** The festival the visit page offers: the one whose window is open, else the one whose window closed last. */
async function festivalOffered(request: APIRequestContext): Promise<FestivalDate> {
  const today = chinaToday();
  const year = Number(today.slice(0, 4));
  const dates = [
    ...(await getJson<FestivalDate[]>(request, `/api/v1/festivals?year=${year - 1}`)),
    ...(await getJson<FestivalDate[]>(request, `/api/v1/festivals?year=${year}`)),
  ];
  const open = dates.find((f) => f.windowFrom <= today && today <= f.windowTo);
  return open ?? dates.filter((f) => f.windowTo < today).sort((a, b) => b.windowTo.localeCompare(a.windowTo))[0]!;
}

/** The family's care records for that festival, as the server holds them. */
async function careFor(request: APIRequestContext, familyId: string, f: FestivalDate) {
  const { data } = await getJson<{ data: Array<{ year: number; festival: string; manner: string }> }>(
    request,
    `/api/v1/families/${familyId}/festival-care`,
  );
  return data.filter((c) => c.festival === f.festival && c.year === Number(f.date.slice(0, 4)));
}

async function eventsOf(request: APIRequestContext, familyId: string): Promise<Array<{ kind: string }>> {
  return (await getJson<{ data: Array<{ kind: string }> }>(request, `/api/v1/families/${familyId}/events`)).data;
}

async function risksOf(request: APIRequestContext, familyId: string): Promise<Array<{ signals: string }>> {
  return (
    await getJson<{ data: { risks: Array<{ signals: string }> } }>(
      request,
      `/api/v1/families/${familyId}/petition-risks`,
    )
  ).data.risks;
}

/** The phone's queued records, read from its IndexedDB. */
function queued(
  page: Page,
): Promise<Array<{ id: string; kind: string; status: string; body: Record<string, unknown> }>> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('guanhuai-offline');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const req = open.result.transaction('outbox').objectStore('outbox').getAll();
          req.onsuccess = () => {
            open.result.close();
            // In sending order (the store is keyed by the record's UUID).
            resolve(
              (
                req.result as Array<{
                  id: string;
                  seq: number;
                  kind: string;
                  status: string;
                  body: Record<string, unknown>;
                }>
              ).sort((x, y) => x.seq - y.seq),
            );
          };
        };
      }),
  );
}

/** Logs the offered festival's care in its drawer (late care: the reason too). */
async function recordCare(page: Page, f: FestivalDate, amount: string | null) {
  await page.getByRole('button', { name: new RegExp(`${f.label}慰问$`) }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByRole('group', { name: '慰问方式' }).getByRole('button', { name: '送慰问金' }).click();
  if (amount !== null) await drawer.getByLabel('慰问金（元）').fill(amount);
  const reason = drawer.getByLabel('不在慰问期内的原因');
  if (await reason.count()) await reason.fill('慰问期内家中无人，节后补送');
  await drawer.getByRole('button', { name: '记录慰问' }).click();
}

describe('festival care and major events without signal', () => {
  const journey = setupJourney();

  it('queues them offline, sends each once, and a refused one is corrected from 待同步 and accepted', async () => {
    // The township office reads the server beside the phone.
    const township = await newContext(journey.browser, journey.url);
    expect(
      (
        await township.request.post('/api/v1/auth/login', {
          data: { username: 'demo_township', password: journey.demoPassword },
        })
      ).status(),
    ).toBe(200);
    const festival = await festivalOffered(township.request);

    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    // Every key the phone sends, by path: a record is written once per key.
    const keys: Array<{ path: string; key: string }> = [];
    page.on('request', (req) => {
      const key = req.headers()['idempotency-key'];
      if (req.method() === 'POST' && key) keys.push({ path: new URL(req.url()).pathname, key });
    });

    await login(page, 'demo_contact', journey.demoPassword);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(() => page.getByTestId('last-sync').textContent(), { timeout: 15_000 }).toMatch(/上次同步：今天/);
    // The festival dates are kept on the phone too (for 节日慰问 without signal).
    await expect
      .poll(() =>
        page.evaluate(
          (year) =>
            new Promise<boolean>((resolve) => {
              const open = indexedDB.open('guanhuai-offline');
              open.onsuccess = () => {
                const req = open.result.transaction('meta').objectStore('meta').get(`festivals:${year}`);
                req.onsuccess = () => {
                  open.result.close();
                  resolve(Array.isArray(req.result));
                };
              };
            }),
          Number(festival.date.slice(0, 4)),
        ),
      )
      .toBe(true);

    const assigned = await page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const open = indexedDB.open('guanhuai-offline');
          open.onsuccess = () => {
            const req = open.result.transaction('families').objectStore('families').getAllKeys();
            req.onsuccess = () => {
              open.result.close();
              resolve(req.result.map(String));
            };
          };
        }),
    );
    // A family of the contact's (as the phone holds it) not yet cared for this festival.
    let familyId: string | undefined;
    for (const id of assigned) {
      if ((await careFor(township.request, id, festival)).length === 0) {
        familyId = id;
        break;
      }
    }
    expect(familyId, `none of ${assigned.length} families is left to care for`).toBeDefined();
    const family = familyId!;
    // In the demo data every active family of the contact's was cared for; the one left is paused (外出务工).
    // The township resumes it, and the phone picks that up at its next sync (a reload online).
    const archive = await getJson<{ data: { status: string; version: number } }>(
      township.request,
      `/api/v1/families/${family}`,
    );
    if (archive.data.status !== 'active') {
      const csrf = (await getJson<{ data: { csrfToken: string } }>(township.request, '/api/v1/auth/me')).data.csrfToken;
      const resumed = await township.request.post(`/api/v1/families/${family}/status`, {
        data: { version: archive.data.version, status: 'active', reason: 'resumed', effectiveDate: chinaToday() },
        headers: { 'x-csrf-token': csrf },
      });
      expect(resumed.status(), await resumed.text()).toBe(200);
      await page.reload();
      await expect
        .poll(
          () =>
            page.evaluate(
              (id) =>
                new Promise<string | undefined>((resolve) => {
                  const open = indexedDB.open('guanhuai-offline');
                  open.onsuccess = () => {
                    const req = open.result.transaction('families').objectStore('families').get(id);
                    req.onsuccess = () => {
                      open.result.close();
                      resolve((req.result as { status?: string } | undefined)?.status);
                    };
                  };
                }),
              family,
            ),
          { timeout: 15_000 },
        )
        .toBe('active');
    }
    const eventsBefore = (await eventsOf(township.request, family)).length;
    const risksBefore = (await risksOf(township.request, family)).length;

    // No signal from here on: the visit page opens from the phone (a full load).
    await context.setOffline(true);
    await page.goto(`/visits/${family}`);
    await page.getByTestId('offline-flag').waitFor();
    // 送慰问金, the amount left out: the form takes it; the server will not.
    await recordCare(page, festival, null);
    await expect.poll(() => page.getByTestId('outbox-badge').textContent()).toBe('1');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: /报告重大情况/ }).click();
    let drawer = page.getByRole('dialog');
    await drawer.getByRole('group', { name: '情况类别' }).getByRole('button', { name: '重病' }).click();
    await drawer.getByLabel('已知情况').fill('父亲突发脑梗住院');
    await drawer.getByRole('button', { name: /^报\s*告$/ }).click();
    await expect.poll(() => page.getByTestId('outbox-badge').textContent()).toBe('2');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: /信访苗头/ }).click();
    drawer = page.getByRole('dialog');
    await drawer.getByRole('group', { name: '可能去往' }).getByRole('button', { name: '到县' }).click();
    await drawer.getByRole('group', { name: '风险等级' }).getByRole('button', { name: '黄色风险' }).click();
    await drawer.getByLabel('发现的苗头').fill('多次说要去县里反映特扶金的事');
    await drawer.getByRole('button', { name: /^登\s*记$/ }).click();
    await expect.poll(() => page.getByTestId('outbox-badge').textContent()).toBe('3');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await queued(page)).map((e) => [e.kind, e.status])).toEqual([
      ['festival_care', 'pending'],
      ['event', 'pending'],
      ['petition_risk', 'pending'],
    ]);
    expect(keys).toEqual([]);

    // The signal returns: all three go out by themselves, in order; the care record is refused and stays.
    await page.goto('/outbox');
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-badge').textContent(), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => page.getByTestId('outbox-reason').textContent()).toContain('送慰问金请填写金额');
    const events = await eventsOf(township.request, family);
    expect(events).toHaveLength(eventsBefore + 1);
    expect(events.filter((e) => e.kind === 'serious_illness').length).toBeGreaterThanOrEqual(1);
    const risks = await risksOf(township.request, family);
    expect(risks).toHaveLength(risksBefore + 1);
    expect(risks.filter((r) => r.signals === '多次说要去县里反映特扶金的事')).toHaveLength(1);
    expect(await careFor(township.request, family, festival)).toEqual([]);
    const [stuck] = await queued(page);
    expect(stuck).toMatchObject({ kind: 'festival_care', status: 'refused' });

    // Corrected in the drawer that made it: prefilled, the server's reason shown, the amount added.
    await page.getByRole('button', { name: '修改后重发' }).click();
    await page.waitForURL((url) => url.pathname === `/visits/${family}` && url.search === `?fix=${stuck!.id}`);
    const fix = page.getByRole('dialog');
    await expect.poll(() => fix.getByTestId('fix-reason').textContent()).toContain('送慰问金请填写金额');
    await expect
      .poll(() =>
        fix
          .getByRole('group', { name: '慰问方式' })
          .getByRole('button', { name: '送慰问金' })
          .getAttribute('aria-pressed'),
      )
      .toBe('true');
    const reason = fix.getByLabel('不在慰问期内的原因');
    if (await reason.count()) expect(await reason.inputValue()).toBe('慰问期内家中无人，节后补送');
    expect(await fix.getByLabel('慰问金（元）').inputValue()).toBe('');
    await fix.getByLabel('慰问金（元）').fill('300');
    await fix.getByRole('button', { name: '记录慰问' }).click();
    await page.waitForURL((url) => url.pathname === '/outbox');
    await expect.poll(() => page.getByTestId('outbox-link').count(), { timeout: 30_000 }).toBe(0);
    expect(await queued(page)).toEqual([]);
    const care = await careFor(township.request, family, festival);
    expect(care).toHaveLength(1);
    expect(care[0]).toMatchObject({ manner: 'money', caredOn: chinaToday() });

    // Each record went under a key of its own; the corrected body under a new one, not the refused key.
    const sentFor = (path: string) => [...new Set(keys.filter((k) => k.path === path).map((k) => k.key))];
    expect(sentFor(`/api/v1/families/${family}/events`)).toHaveLength(1);
    expect(sentFor(`/api/v1/families/${family}/petition-risks`)).toHaveLength(1);
    const careKeys = sentFor(`/api/v1/families/${family}/festival-care`);
    expect(careKeys).toHaveLength(2);
    expect(careKeys[0]).toBe(stuck!.id);
    expect(careKeys[1]).not.toBe(stuck!.id);
    // And exactly one record of each on the server.
    expect(await eventsOf(township.request, family)).toHaveLength(eventsBefore + 1);
    expect(await risksOf(township.request, family)).toHaveLength(risksBefore + 1);
    expect(await careFor(township.request, family, festival)).toHaveLength(1);

    expect(errors).toEqual([]);
    await context.close();
    await township.close();
  });
});
