import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { CHROMIUM_PATH, hasChromium, launchBrowser } from '../../e2e/support/browser.js';
import { startTestServer } from '../../test/support/test-server.js';

/**
 * The web app as a person on a weak signal gets it: the real server (demo data, the bench's build served
 * by server/platform/web-static.ts as the product serves web/dist) and Chromium with its network
 * emulated through CDP — Fast 3G as DESIGN.md and issue 11 state it: 150 ms round trip, 1.44 Mbit/s down,
 * 675 kbit/s up. Bytes are what went over the wire (CDP `encodedDataLength`: compressed bodies and headers),
 * times from the start of the navigation until the page is usable (its content, not only a spinner).
 */
export const FAST_3G = { latency: 150, downloadThroughput: 1_440_000 / 8, uploadThroughput: 675_000 / 8 };

export interface WireSample {
  ms: number;
  bytes: number;
  /** Requests that went to the network (not answered from the browser's cache). */
  requests: number;
  /** Requests answered from the memory or disk cache. */
  cached: number;
}

export interface WireScenario {
  name: string;
  cache: 'cold' | 'warm';
  account: string;
  path: string;
  /** Median of the samples. */
  ms: number;
  bytes: number;
  requests: number;
  cached: number;
  samples: WireSample[];
  targetMs?: number;
  targetBytes?: number;
}

export interface WireReport {
  network: typeof FAST_3G;
  scenarios: WireScenario[];
  skipped?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Sums what one navigation moves, request by request, from CDP's Network domain. */
class WireMeter {
  private bytes = 0;
  private requests = new Set<string>();
  private cached = new Set<string>();
  private inFlight = new Set<string>();
  private lastActivity = performance.now();
  private constructor(readonly cdp: CDPSession) {
    cdp.on('Network.loadingFinished', (e) => {
      this.bytes += e.encodedDataLength;
      this.settle(e.requestId);
    });
    cdp.on('Network.loadingFailed', (e) => this.settle(e.requestId));
    cdp.on('Network.requestWillBeSent', (e) => {
      this.requests.add(e.requestId);
      this.inFlight.add(e.requestId);
      this.lastActivity = performance.now();
    });
    cdp.on('Network.requestServedFromCache', (e) => {
      this.cached.add(e.requestId);
    });
    cdp.on('Network.responseReceived', (e) => {
      if (e.response.fromDiskCache || e.response.fromPrefetchCache) this.cached.add(e.requestId);
    });
  }
  static async attach(context: BrowserContext, page: Page): Promise<WireMeter> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...FAST_3G });
    return new WireMeter(cdp);
  }
  private settle(id: string) {
    this.inFlight.delete(id);
    this.lastActivity = performance.now();
  }
  /**
   * Until nothing has been in flight for `quietMs`: what the page started after it became usable (lazy
   * charts) counts in full, and nothing is cut off by the next navigation. (Playwright's `networkidle`
   * may already have been reached before a lazy chunk was asked for.)
   */
  async idle(quietMs = 700, timeoutMs = 60_000): Promise<void> {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      if (this.inFlight.size === 0 && performance.now() - this.lastActivity >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  reset() {
    this.bytes = 0;
    this.requests.clear();
    this.cached.clear();
    this.inFlight.clear();
  }
  read(ms: number): WireSample {
    return {
      ms,
      bytes: this.bytes,
      requests: this.requests.size - this.cached.size,
      cached: this.cached.size,
    };
  }
}

async function signedInContext(browser: Browser, url: string, username: string, password: string, phone: boolean) {
  // No context.route(): Playwright's routing turns the browser's HTTP cache off, and the cache is measured here.
  const context = await browser.newContext({
    baseURL: url,
    viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: phone,
    hasTouch: phone,
  });
  const res = await context.request.post('/api/v1/auth/login', { data: { username, password } });
  if (res.status() !== 200) throw new Error(`bench login as ${username}: HTTP ${res.status()}`);
  return context;
}

interface Visit {
  name: string;
  account: string;
  phone: boolean;
  path: (ctx: { visitPath: string }) => string;
  /** Resolves when the page is usable. */
  ready: (page: Page) => Promise<unknown>;
  targetMs?: { cold?: number; warm?: number };
  targetBytes?: number;
}

const VISITS: Visit[] = [
  {
    name: '登录页',
    account: '',
    phone: true,
    path: () => '/login',
    ready: (page) => page.getByLabel('用户名').waitFor(),
  },
  {
    name: '我的待办',
    account: 'demo_contact',
    phone: true,
    path: () => '/',
    ready: (page) => page.getByTestId('todo-item').first().waitFor(),
    targetMs: { cold: 3_000, warm: 1_000 },
  },
  {
    name: '走访登记 (visit form)',
    account: 'demo_contact',
    phone: true,
    path: (ctx) => ctx.visitPath,
    ready: (page) => page.getByRole('button', { name: '提交联系记录' }).waitFor(),
    targetBytes: 350_000,
  },
  {
    name: '走访督导 (county dashboard)',
    account: 'demo_county',
    phone: false,
    path: () => '/dashboard',
    ready: (page) => page.getByTestId('region-rates-table').locator('tbody tr.ant-table-row').first().waitFor(),
    targetMs: { cold: 5_000 },
  },
];

async function visitOnce(page: Page, meter: WireMeter, path: string, ready: Visit['ready']): Promise<WireSample> {
  meter.reset();
  const t = performance.now();
  await page.goto(path, { waitUntil: 'commit' });
  await ready(page);
  const ms = performance.now() - t;
  // What the page fetched to get there, and anything it started meanwhile (chunks, lazy charts), counted in full.
  await meter.idle();
  return meter.read(ms);
}

/**
 * Every scenario cold (a new browser profile: empty cache, signed in through the API so that the login
 * page's own download does not count) and warm (the same profile visiting again), `runs` times each.
 */
export async function measureWire(webRoot: string, runs: number): Promise<WireReport> {
  if (!hasChromium()) return { network: FAST_3G, scenarios: [], skipped: `no Chromium at ${CHROMIUM_PATH}` };
  const server = await startTestServer({ webRoot });
  const browser = await launchBrowser();
  const scenarios: WireScenario[] = [];
  try {
    // A family on the demo contact's list, for the visit form.
    const probe = await signedInContext(browser, server.url, 'demo_contact', server.demoPassword, true);
    const todos = (await (await probe.request.get('/api/v1/todos')).json()) as {
      data?: Array<{ familyId: string; kind: string }>;
    };
    await probe.close();
    const familyId = todos.data?.find((t) => t.kind === 'visit_due')?.familyId;
    if (!familyId) throw new Error('bench: the demo contact has no todo with a family');
    const ctx = { visitPath: `/visits/${familyId}` };

    for (const visit of VISITS) {
      const cold: WireSample[] = [];
      const warm: WireSample[] = [];
      for (let i = 0; i < runs; i++) {
        const context = visit.account
          ? await signedInContext(browser, server.url, visit.account, server.demoPassword, visit.phone)
          : await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, isMobile: true });
        const page = await context.newPage();
        const meter = await WireMeter.attach(context, page);
        cold.push(await visitOnce(page, meter, visit.path(ctx), visit.ready));
        warm.push(await visitOnce(page, meter, visit.path(ctx), visit.ready));
        await context.close();
      }
      for (const [cache, samples] of [
        ['cold', cold],
        ['warm', warm],
      ] as const)
        scenarios.push({
          name: visit.name,
          cache,
          account: visit.account || '—',
          path: visit.path(ctx).replace(familyId, ':familyId'),
          ms: median(samples.map((s) => s.ms)),
          bytes: median(samples.map((s) => s.bytes)),
          requests: median(samples.map((s) => s.requests)),
          cached: median(samples.map((s) => s.cached)),
          samples,
          targetMs: visit.targetMs?.[cache],
          targetBytes: cache === 'cold' ? visit.targetBytes : undefined,
        });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { network: FAST_3G, scenarios };
}
