/**
 * The service worker (issue #17), built by the `service-worker` plugin of vite.config.ts into /sw.js with the
 * build's file list filled in for `self.__PRECACHE__`. It keeps the app shell — index.html, the entry, the
 * layout, home, visit and 待同步 pages with everything they import, the manifest and icons — so the app opens
 * without signal. Hashed assets are served cache-first (and any other one fetched online is kept), pages
 * network-first with the cached shell as fallback; /api is never touched (the outbox and the offline copy in
 * IndexedDB handle data). A new version waits until the page asks it to take over (SKIP_WAITING).
 */

// The few service-worker types used here (the project's lib is DOM; the webworker lib would clash with it).
interface SwEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface SwFetchEvent extends SwEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface SwScope {
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: SwEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: SwFetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  __PRECACHE__: { version: string; files: string[] };
}
const sw = self as unknown as SwScope;

const { version, files } = sw.__PRECACHE__;
const SHELL = `gh-shell-${version}`;
const ASSETS = 'gh-assets';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(files.map((f) => new Request(f, { cache: 'reload' })));
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('gh-shell-') && key !== SHELL) await caches.delete(key);
      // Hashed assets no version uses any more.
      const keep = new Set(files.map((f) => new URL(f, sw.location.origin).pathname));
      const assets = await caches.open(ASSETS);
      for (const req of await assets.keys()) if (!keep.has(new URL(req.url).pathname)) await assets.delete(req);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

async function fromCache(request: Request | string): Promise<Response | undefined> {
  return (await caches.open(SHELL)).match(request).then(async (r) => r ?? (await caches.open(ASSETS)).match(request));
}

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/sw.js') return;

  if (request.mode === 'navigate') {
    // Pages: the network first (a new deploy shows at once), the cached shell without signal.
    event.respondWith(fetch(request).catch(async () => (await fromCache('/index.html')) ?? Response.error()));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed, immutable: the cache first; what was fetched online is kept for the next time without signal.
    event.respondWith(
      (async () => {
        const cached = await fromCache(request);
        if (cached) return cached;
        const response = await fetch(request);
        if (response.ok) await (await caches.open(ASSETS)).put(request, response.clone());
        return response;
      })(),
    );
    return;
  }
  // The manifest, icons, favicon: the network, else the cache.
  event.respondWith(fetch(request).catch(async () => (await fromCache(request)) ?? Response.error()));
});
