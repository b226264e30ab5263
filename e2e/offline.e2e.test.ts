import { describe, expect, it } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import { login, newContext, PHONE } from './support/browser.js';
import { collectPageErrors, setupJourney } from './support/journey.js';

/**
 * Field use without signal (issue #17), in Chromium with the network cut by `context.setOffline(true)`: the
 * installed app opens offline, three visits are logged offline (已保存，待同步, a badge of 3), the page reloads
 * offline and still opens, and when the signal returns the three are sent once and counted in the month's
 * compliance; logging out clears the phone's IndexedDB.
 */

/** Counts per store of the phone's database, read from the page (what a lost phone would give away). */
function idbCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('guanhuai-offline');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const names = Array.from(db.objectStoreNames);
          const out: Record<string, number> = {};
          if (names.length === 0) return resolve(out);
          const tx = db.transaction(names, 'readonly');
          let left = names.length;
          for (const name of names) {
            const req = tx.objectStore(name).count();
            req.onsuccess = () => {
              out[name] = req.result;
              if (--left === 0) {
                db.close();
                resolve(out);
              }
            };
          }
        };
      }),
  );
}

async function csrfOf(api: APIRequestContext): Promise<string> {
  return ((await (await api.get('/api/v1/auth/me')).json()) as { data: { csrfToken: string } }).data.csrfToken;
}

async function visitedInCounty(api: APIRequestContext): Promise<number> {
  const res = await api.get('/api/v1/compliance/monthly?regionCode=420881000000');
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: { visited: number } }).data.visited;
}

describe('field use without signal', () => {
  const journey = setupJourney();

  it('logs three visits offline, reopens offline, sends them once when the signal returns; logout clears the phone', async () => {
    // The county's figures, read beside the phone through the API.
    const county = await newContext(journey.browser, journey.url);
    const signIn = await county.request.post('/api/v1/auth/login', {
      data: { username: 'demo_county', password: journey.demoPassword },
    });
    expect(signIn.status()).toBe(200);
    const visitedBefore = await visitedInCounty(county.request);

    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    // The manifest and the worker: served with their types, from this origin, under the same CSP.
    const manifest = await context.request.get('/manifest.webmanifest');
    expect(manifest.headers()['content-type']).toContain('application/manifest+json');
    expect(((await manifest.json()) as { short_name: string; display: string }).display).toBe('standalone');
    const worker = await context.request.get('/sw.js');
    expect(worker.headers()['content-type']).toContain('javascript');
    expect(worker.headers()['cache-control']).toBe('no-cache');
    expect(worker.headers()['content-security-policy']).toContain("default-src 'self'");

    await login(page, 'demo_contact', journey.demoPassword);
    // Installed: the worker controls the page once its shell is cached.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 })
      .toBe(true);
    // The offline copy arrived: the last sync is shown plainly.
    await expect
      .poll(() => page.getByTestId('last-sync').textContent(), { timeout: 15_000 })
      .toMatch(/上次同步：今天 \d\d:\d\d/);
    expect((await idbCounts(page)).families).toBeGreaterThan(0);

    const due = page.getByTestId('todo-section-visit').getByTestId('todo-item');
    await due.first().waitFor();
    expect(await due.count()).toBeGreaterThanOrEqual(3);
    const hrefs = (await Promise.all([0, 1, 2].map((i) => due.nth(i).getAttribute('href')))) as string[];
    const familyIds = hrefs.map((h) => h.split('/').pop()!);
    const logsBefore = await Promise.all(
      familyIds.map(
        async (id) =>
          ((await (await context.request.get(`/api/v1/families/${id}/contact-logs`)).json()) as { data: unknown[] })
            .data.length,
      ),
    );

    // No signal from here on.
    await context.setOffline(true);
    for (const href of hrefs) {
      await page.goto(href);
      await page.getByRole('button', { name: '提交联系记录' }).waitFor();
      await page.getByRole('group', { name: '联系方式' }).getByRole('button', { name: '登门走访' }).click();
      await page.getByRole('button', { name: '提交联系记录' }).click();
      await page.getByText('已保存，待同步').first().waitFor();
      await page.waitForURL((url) => url.pathname === '/');
    }
    await expect.poll(() => page.getByTestId('outbox-badge').textContent()).toContain('3');
    expect((await idbCounts(page)).outbox).toBe(3);

    // Reopened without signal: the shell from the worker, the session and todos from the phone's copy.
    await page.reload();
    await page.getByRole('banner').waitFor();
    await page.getByTestId('offline-flag').waitFor();
    await expect.poll(() => page.getByTestId('outbox-badge').textContent()).toContain('3');
    await page.getByTestId('todo-section-visit').waitFor();
    await page.getByTestId('outbox-link').click();
    await expect.poll(() => page.getByTestId('outbox-entry').count()).toBe(3);

    // The signal returns: everything goes out by itself, once, in order.
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-link').count(), { timeout: 30_000 }).toBe(0);
    expect((await idbCounts(page)).outbox).toBe(0);
    const logsAfter = await Promise.all(
      familyIds.map(
        async (id) =>
          ((await (await context.request.get(`/api/v1/families/${id}/contact-logs`)).json()) as { data: unknown[] })
            .data.length,
      ),
    );
    expect(logsAfter).toEqual(logsBefore.map((n) => n + 1));
    // Counted in this month's compliance: three more families home-visited.
    expect(await visitedInCounty(county.request)).toBe(visitedBefore + 3);

    // Logout clears every cached family record, the todos, the owner and the queue.
    await page.goto('/');
    await page.getByRole('button', { name: /当前用户/ }).click();
    await page.getByText('退出登录').click();
    await page.waitForURL('**/login');
    await expect.poll(() => idbCounts(page)).toEqual({ meta: 0, families: 0, outbox: 0 });

    expect(errors).toEqual([]);
    await context.close();
    await county.close();
  });

  it('keeps a refused record with its reason to discard, and never sends a queue under another account', async () => {
    const township = await newContext(journey.browser, journey.url);
    expect(
      (
        await township.request.post('/api/v1/auth/login', {
          data: { username: 'demo_township', password: journey.demoPassword },
        })
      ).status(),
    ).toBe(200);
    const logCount = async (familyId: string) =>
      ((await (await township.request.get(`/api/v1/families/${familyId}/contact-logs`)).json()) as { data: unknown[] })
        .data.length;

    const context = await newContext(journey.browser, journey.url, PHONE);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'demo_contact', journey.demoPassword);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(() => page.getByTestId('last-sync').textContent(), { timeout: 15_000 }).toMatch(/上次同步：今天/);
    const due = page.getByTestId('todo-section-visit').getByTestId('todo-item');
    await due.nth(1).waitFor();
    const [exitingHref, keptHref] = (await Promise.all([0, 1].map((i) => due.nth(i).getAttribute('href')))) as string[];
    const exiting = exitingHref.split('/').pop()!;
    const kept = keptHref.split('/').pop()!;

    await context.setOffline(true);
    for (const href of [exitingHref, keptHref]) {
      await page.goto(href);
      await page.getByRole('group', { name: '联系方式' }).getByRole('button', { name: '电话' }).click();
      await page.getByRole('button', { name: '提交联系记录' }).click();
      await page.getByText('已保存，待同步').first().waitFor();
      await page.waitForURL((url) => url.pathname === '/');
    }
    // Meanwhile, in the township office, the first family leaves the archive.
    const family = (await (await township.request.get(`/api/v1/families/${exiting}`)).json()) as {
      data: { version: number };
    };
    const exit = await township.request.post(`/api/v1/families/${exiting}/status`, {
      data: { version: family.data.version, status: 'exited', reason: 'moved_out', effectiveDate: '2026-01-01' },
      headers: { 'x-csrf-token': await csrfOf(township.request) },
    });
    expect(exit.status(), await exit.text()).toBe(200);
    const keptBefore = await logCount(kept);

    // Back online: the second is sent; the first is refused and stays, with the reason, until discarded.
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('outbox-badge').textContent(), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => logCount(kept)).toBe(keptBefore + 1);
    await page.getByTestId('outbox-link').click();
    await expect.poll(() => page.getByTestId('outbox-reason').textContent()).toContain('已不由您联系');
    await page.getByRole('button', { name: /放\s*弃/ }).click();
    await page.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => page.getByTestId('outbox-entry').count()).toBe(0);
    await expect.poll(() => idbCounts(page).then((c) => c.outbox)).toBe(0);

    // A record queued, then the session ends while offline; another person signs in on this phone.
    await context.setOffline(true);
    await page.goto(keptHref);
    await page.getByRole('group', { name: '联系方式' }).getByRole('button', { name: '电话' }).click();
    await page.getByRole('button', { name: '提交联系记录' }).click();
    await page.getByText('已保存，待同步').first().waitFor();
    const keptQueued = await logCount(kept);
    await context.clearCookies();
    await context.setOffline(false);
    await page.waitForURL('**/login**', { timeout: 30_000 });
    await expect.poll(() => page.getByTestId('pending-notice').textContent()).toContain('1 条待同步记录');
    await page.getByLabel('用户名').fill('demo_village');
    await page.getByLabel('密码').fill(journey.demoPassword);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('banner').waitFor();
    // The contact's families, todos and queue are gone; the queued log was never sent under this account.
    await expect.poll(() => idbCounts(page).then((c) => c.outbox)).toBe(0);
    await page.waitForTimeout(1_000);
    expect(await logCount(kept)).toBe(keptQueued);
    const owner = await page.evaluate(
      () =>
        new Promise<string | null>((resolve) => {
          const open = indexedDB.open('guanhuai-offline');
          open.onsuccess = () => {
            const req = open.result.transaction('meta').objectStore('meta').get('owner');
            req.onsuccess = () => resolve((req.result as { username?: string } | undefined)?.username ?? null);
          };
        }),
    );
    expect(owner).toBe('demo_village');

    expect(errors).toEqual([]);
    await context.close();
    await township.close();
  });
});
