import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { OutputBundle, OutputChunk } from 'rolldown';
import type { Plugin } from 'vite';

/** The addresses a person opens directly (a bookmark, a link in a message) and the page module each shows. */
const ROUTES: Array<{ pattern: string; page: string }> = [
  { pattern: '^/$', page: 'features/home/home-page.tsx' },
  { pattern: '^/visits/[^/]+$', page: 'features/visits/visit-page.tsx' },
  { pattern: '^/dashboard$', page: 'features/dashboard/dashboard-page.tsx' },
  { pattern: '^/families$', page: 'features/families/families-page.tsx' },
  { pattern: '^/families/[0-9a-f-]{36}$', page: 'features/families/archive/family-archive-page.tsx' },
];
const LAYOUT = 'app/layout.tsx';
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
 * ~160 kB have arrived and run; then it finds their dozens of files; then the page asks for its data —
 * three waits in a row, each a round trip and more on a weak signal. This writes a small classic
 * script, loaded `async` from index.html beside the entry, that preloads the layout's and the opened
 * address's files at once. Nothing for the login page. The router's own prefetch (router.tsx) covers
 * navigation inside the app.
 */
export function routePreload(): Plugin {
  return {
    name: 'guanhuai-route-preload',
    apply: 'build',
    writeBundle: {
      order: 'post',
      sequential: true,
      handler(options, bundle) {
        const dir = options.dir!;
        const entry = Object.values(bundle).find((c): c is OutputChunk => c.type === 'chunk' && c.isEntry);
        const layout = chunkOf(bundle, LAYOUT);
        if (!entry || !layout) return;
        const loaded = closure(bundle, entry);
        const only = (files: Set<string>) => [...files].filter((f) => !loaded.has(f));
        const layoutFiles = only(closure(bundle, layout));
        const routes = ROUTES.flatMap(({ pattern, page }) => {
          const chunk = chunkOf(bundle, page);
          if (!chunk) return [];
          const files = only(closure(bundle, chunk)).filter((f) => !layoutFiles.includes(f));
          return [[pattern, files] as const];
        });
        const script =
          `(function(){var p=location.pathname;if(new RegExp(${JSON.stringify(OUTSIDE)}).test(p))return;` +
          `var r=${JSON.stringify(routes)},f=${JSON.stringify(layoutFiles)};` +
          `for(var i=0;i<r.length;i++)if(new RegExp(r[i][0]).test(p)){f=f.concat(r[i][1]);break}` +
          `for(var j=0;j<f.length;j++){var l=document.createElement('link'),c=/\\.css$/.test(f[j]);` +
          `l.rel=c?'preload':'modulepreload';if(c)l.as='style';else l.crossOrigin='';l.href='/'+f[j];document.head.appendChild(l)}})();\n`;
        const name = `assets/route-preload-${createHash('sha256').update(script).digest('base64url').slice(0, 8)}.js`;
        fs.writeFileSync(path.join(dir, name), script);
        const htmlFile = path.join(dir, 'index.html');
        const html = fs.readFileSync(htmlFile, 'utf8');
        fs.writeFileSync(htmlFile, html.replace('</title>', `</title>\n    <script async src="/${name}"></script>`));
      },
    },
  };
}
