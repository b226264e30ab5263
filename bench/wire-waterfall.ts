/**
 * Where a page's time goes on Fast 3G: every request of one navigation (cold, then warm) with its start,
 * its end and its bytes, relative to the navigation's start, and when the page became usable.
 * `npx tsx bench/wire-waterfall.ts [home|visit|dashboard|login] [webRoot]` (webRoot: the bench's build,
 * bench/.cache/web-dist, by default; `web/dist` after `npx vite build`). Each line: start → end in ms since the
 * first request, bytes on the wire, `cache` when the HTTP cache or the service worker answered, Chromium's
 * priority, what started it (parser, script, other), the address. One run: a sketch of where the time goes,
 * not a figure (bench/lib/wire.ts makes those).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../e2e/support/browser.js';
import { startTestServer } from '../test/support/test-server.js';
import { OUT_DIR } from './lib/bundle.js';
import { FAST_3G } from './lib/wire.js';

const which = process.argv[2] ?? 'home';
const webRoot = path.resolve(process.argv[3] ?? OUT_DIR);

const server = await startTestServer({ webRoot });
const browser = await launchBrowser();
try {
  const account = which === 'dashboard' ? 'demo_county' : which === 'login' ? '' : 'demo_contact';
  const phone = which !== 'dashboard';
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: phone,
    hasTouch: phone,
  });
  if (account)
    await context.request.post('/api/v1/auth/login', { data: { username: account, password: server.demoPassword } });
  let path = '/';
  if (which === 'visit') {
    const todos = (await (await context.request.get('/api/v1/todos')).json()) as {
      data: Array<{ familyId: string; kind: string }>;
    };
    path = `/visits/${todos.data.find((t) => t.kind === 'visit_due')!.familyId}`;
  } else if (which === 'dashboard') path = '/dashboard';
  else if (which === 'login') path = '/login';
  const ready = (page: Page) =>
    which === 'home'
      ? page.getByTestId('todo-item').first().waitFor()
      : which === 'visit'
        ? page.getByRole('button', { name: '提交联系记录' }).waitFor()
        : which === 'dashboard'
          ? page.getByTestId('region-rates-table').locator('tbody tr.ant-table-row').first().waitFor()
          : page.getByLabel('用户名').waitFor();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...FAST_3G });
  type Req = {
    url: string;
    start: number;
    end?: number;
    bytes?: number;
    cached?: boolean;
    initiator?: string;
    prio?: string;
  };
  let reqs = new Map<string, Req>();
  cdp.on('Network.requestWillBeSent', (e) => {
    reqs.set(e.requestId, {
      url: e.request.url.replace(server.url, ''),
      start: e.timestamp * 1000,
      initiator: e.initiator.type,
      prio: e.request.initialPriority,
    });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = reqs.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = reqs.get(e.requestId);
    if (r && (e.response.fromDiskCache || e.response.fromServiceWorker)) r.cached = true;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = reqs.get(e.requestId);
    if (r) {
      r.end = e.timestamp * 1000;
      r.bytes = e.encodedDataLength;
    }
  });
  for (const cache of ['cold', 'warm']) {
    reqs = new Map();
    const wall = performance.now();
    await page.goto(path, { waitUntil: 'commit' });
    await ready(page);
    const ms = performance.now() - wall;
    await new Promise((r) => setTimeout(r, 2500));
    const list = [...reqs.values()].sort((a, b) => a.start - b.start);
    const t0 = list[0]?.start ?? 0;
    console.log(`\n== ${which} ${cache}: usable after ${ms.toFixed(0)} ms (wall), ${list.length} requests ==`);
    let total = 0;
    for (const r of list) {
      total += r.bytes ?? 0;
      console.log(
        `${String(Math.round(r.start - t0)).padStart(6)} → ${String(r.end ? Math.round(r.end - t0) : '?').padStart(6)}  ${String(r.bytes ?? '?').padStart(7)} B ${r.cached ? 'cache' : '     '} ${r.prio?.padEnd(8)} ${r.initiator?.padEnd(7)} ${r.url.slice(0, 90)}`,
      );
    }
    console.log(`total ${total} B`);
  }
} finally {
  await browser.close();
  await server.close();
}
