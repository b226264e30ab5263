import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { OutputBundle, OutputChunk } from 'rolldown';
import { minify, transformWithOxc, type Plugin } from 'vite';
import { TODO_HINT_KEY, TODO_ROLES } from '../web/src/api/todo-roles.js';

const WEB_SRC = path.resolve(import.meta.dirname, '../web/src');

/** The addresses a person opens directly (a bookmark, a link in a message) and the page module each shows. */
const ROUTES: Array<{ pattern: string; page: string }> = [
  { pattern: '^/$', page: 'features/home/home-page.tsx' },
  { pattern: '^/visits/[^/]+$', page: 'features/visits/visit-page.tsx' },
  { pattern: '^/dashboard$', page: 'features/dashboard/dashboard-page.tsx' },
  { pattern: '^/families$', page: 'features/families/families-page.tsx' },
  { pattern: '^/families/[0-9a-f-]{36}$', page: 'features/families/archive/family-archive-page.tsx' },
];
const LAYOUT = 'app/layout.tsx';
/** The script's file name, less its hash and `.js` (the service worker's precache list looks for it). */
export const ROUTE_PRELOAD_PREFIX = 'assets/route-preload-';
/** Pages outside the signed-in layout. */
const OUTSIDE = '^/(login|password|mfa-setup)(/|$)|/print$';

/** The chunk that holds a module: its own, or the group chunk it was put in (scripts/vite-shell-chunks.ts). */
function chunkOf(bundle: OutputBundle, suffix: string): OutputChunk | undefined {
  const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === 'chunk');
  const is = (id: string | null) => (id ?? '').replaceAll('\\', '/').endsWith(`/${suffix}`);
  return chunks.find((c) => is(c.facadeModuleId)) ?? chunks.find((c) => c.moduleIds.some(is));
}

/** A chunk and everything it imports statically, with their CSS. */
function closure(bundle: OutputBundle, chunk: OutputChunk, into = new Set<string>()): Set<string> {
  if (into.has(chunk.fileName)) return into;
  into.add(chunk.fileName);
  const meta = (chunk as OutputChunk & { viteMetadata?: { importedCss?: Set<string> } }).viteMetadata;
  for (const css of meta?.importedCss ?? []) into.add(css);
  for (const name of chunk.imports) {
    const next = bundle[name];
    if (next?.type === 'chunk') closure(bundle, next, into);
  }
  return into;
}

/**
 * Without help the browser learns of the signed-in layout and the page only after the entry's
 * ~150 kB have arrived and run; then it finds their files; then the app asks for the session, and only
 * then for the page's data — waits in a row, each a round trip and more on a weak signal. This builds
 * web/src/route-preload.ts into a small classic script, loaded `async` with high priority from index.html before
 * the entry, that asks for the session (and 我的待办's todos) and preloads the layout's and the opened
 * address's files at once. Nothing for the login page. The router's own prefetch (router.tsx) covers
 * navigation inside the app.
 */
export function routePreload(source = path.join(WEB_SRC, 'route-preload.ts')): Plugin {
  return {
    name: 'guanhuai-route-preload',
    apply: 'build',
    // In generateBundle, not after the files are written: the service worker (web/service-worker-plugin.ts, whose
    // hook comes after this one) precaches the script with the shell, so a warm start asks the network for none
    // of it.
    generateBundle: {
      order: 'post',
      async handler(_options, bundle) {
        const entry = Object.values(bundle).find((c): c is OutputChunk => c.type === 'chunk' && c.isEntry);
        const layout = chunkOf(bundle, LAYOUT);
        const html = bundle['index.html'];
        if (!entry || !layout || html?.type !== 'asset') return;
        const loaded = closure(bundle, entry);
        const only = (files: Set<string>) => [...files].filter((f) => !loaded.has(f));
        const layoutFiles = only(closure(bundle, layout));
        const routes = ROUTES.flatMap(({ pattern, page }) => {
          const chunk = chunkOf(bundle, page);
          if (!chunk) return [];
          const files = only(closure(bundle, chunk)).filter((f) => !layoutFiles.includes(f));
          return [[pattern, files] as [string, string[]]];
        });
        const config = {
          outside: OUTSIDE,
          layout: layoutFiles,
          routes,
          todoRoles: [...TODO_ROLES],
          todoHintKey: TODO_HINT_KEY,
        };
        const ts = fs.readFileSync(source, 'utf8');
        const js = await transformWithOxc(ts, source, { lang: 'ts' });
        const small = await minify('route-preload.js', `var __ROUTE_PRELOAD__=${JSON.stringify(config)};\n${js.code}`);
        // Its own scope: nothing but window.__guanhuaiBoot is left behind.
        const script = `(function(){${small.code.trim()}})();\n`;
        const name = `${ROUTE_PRELOAD_PREFIX}${createHash('sha256').update(script).digest('base64url').slice(0, 8)}.js`;
        this.emitFile({ type: 'asset', fileName: name, source: script });
        // Before the entry's own tags, and high priority: an async classic script is otherwise fetched last.
        html.source = String(html.source).replace(
          '</title>',
          `</title>\n    <script async fetchpriority="high" src="/${name}"></script>`,
        );
      },
    },
  };
}
