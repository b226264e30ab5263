/**
 * The first script of index.html (issue 11 item 1): a small classic script, loaded `async` with high priority,
 * built by scripts/vite-route-preload.ts into assets/route-preload-<hash>.js with the build's file lists filled
 * in for `__ROUTE_PRELOAD__`. It runs as soon as it arrives, long before the entry (React, antd: ~150 kB) has,
 * and starts what the opened address needs:
 *
 * - the session (`GET /auth/session`) and, as soon as it says who is signed in, the opened page's first data
 *   (我的待办's todos — beside the session when the last session here had them, web/src/api/todo-roles.ts —, the
 *   visit form's family, the dashboard's month) — the answers wait in
 *   `window.__guanhuaiBoot` until the app's API client asks for the same address (web/src/api/client.ts,
 *   `takeBootResponse`);
 * - the signed-in layout's and the page's files (`modulepreload`), which the browser would otherwise find only
 *   after the entry has run, and then one import level at a time.
 *
 * The requests go out before the preloads, so they do not queue behind them for one of HTTP/1.1's 6
 * connections. Nothing for the pages outside the layout (login, password, TOTP, print sheets). The service worker
 * precaches the script with the shell (web/service-worker-plugin.ts).
 */

interface RoutePreloadConfig {
  /** Addresses outside the signed-in layout: a RegExp source. */
  outside: string;
  /** The layout's files, less the entry's. */
  layout: string[];
  /** [address RegExp source, the page's own files], first match wins. */
  routes: Array<[string, string[]]>;
  /** The roles whose home page lists their due work (web/src/api/todo-roles.ts). */
  todoRoles: string[];
  /** The localStorage key saying the last session here was one of those roles (web/src/api/todo-roles.ts). */
  todoHintKey: string;
}
declare const __ROUTE_PRELOAD__: RoutePreloadConfig;

interface BootUser {
  role: string;
  regionCode: string;
  abilities: string[];
  mustChangePassword?: boolean;
  mfaEnrolmentDue?: boolean;
}

(function routePreload() {
  const config = __ROUTE_PRELOAD__;
  const path = location.pathname;
  if (new RegExp(config.outside).test(path)) return;

  /**
   * The first data of the pages people open directly, once the session says who asks: exactly the addresses
   * the page's own queries build (web/src/api/*.ts), and only when the page would ask for them itself.
   */
  const firstData = (user: BootUser): string[] => {
    if (path === '/') return config.todoRoles.includes(user.role) ? ['/api/v1/todos'] : [];
    const visit = /^\/visits\/([0-9a-f-]{36})$/.exec(path);
    if (visit && user.abilities.includes('family.read'))
      return ['', '/assignments', '/contact-logs'].map((tail) => `/api/v1/families/${visit[1]}${tail}`);
    if (path === '/dashboard' && !location.search && user.abilities.includes('compliance.read')) {
      // dayjs().format('YYYY-MM') as the dashboard computes this month: the browser's local time.
      const now = new Date();
      const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
      return [`/api/v1/compliance/monthly?regionCode=${user.regionCode}&month=${month}`];
    }
    return [];
  };

  // Answers the app takes once (web/src/api/client.ts); null: it asks itself. `ready`: the first data is asked
  // for (or there is none), so a query that comes earlier than that waits for its answer instead of asking twice.
  const get = (url: string) =>
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).catch(() => null);
  const session = get('/api/v1/auth/session');
  const answers: Record<string, Promise<Response | null>> = { '/api/v1/auth/session': session };
  // 我的待办 of the role signed in here last time: asked for beside the session, not a round trip after it. Kept
  // only if the session says the same (the app asks for it only then, having read that same session).
  const todos = '/api/v1/todos';
  let hinted = false;
  try {
    hinted = path === '/' && localStorage.getItem(config.todoHintKey) === '1';
  } catch {
    // No storage: the todos come after the session.
  }
  if (hinted) answers[todos] = get(todos);
  const ready = session
    .then((r) => (r && r.ok ? (r.clone().json() as Promise<{ data: { user: BootUser } | null }>) : null))
    .then((body) => {
      const user = body?.data?.user;
      const urls = !user || user.mustChangePassword || user.mfaEnrolmentDue ? [] : firstData(user);
      if (hinted && !urls.includes(todos)) delete answers[todos];
      // The hinted todos are not asked for again: the app may already have taken them (its session query
      // parses the same answer and can get there first), and a second request would only queue behind them.
      for (const url of urls) if (!answers[url] && !(hinted && url === todos)) answers[url] = get(url);
    })
    .catch(() => undefined);
  (window as unknown as { __guanhuaiBoot?: unknown }).__guanhuaiBoot = { at: Date.now(), ready, answers };

  let files = config.layout;
  for (const [pattern, own] of config.routes)
    if (new RegExp(pattern).test(path)) {
      files = files.concat(own);
      break;
    }
  for (const file of files) {
    const link = document.createElement('link');
    if (file.endsWith('.css')) {
      link.rel = 'preload';
      link.as = 'style';
    } else {
      link.rel = 'modulepreload';
      link.crossOrigin = '';
    }
    link.href = `/${file}`;
    document.head.appendChild(link);
  }
})();
