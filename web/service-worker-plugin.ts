import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minify, transformWithOxc, type Plugin } from 'vite';
import { ROUTE_PRELOAD_PREFIX } from '../scripts/vite-route-preload.js';

/** Pages the app shell precaches (with everything they import statically) so the phone opens offline. */
const SHELL_PAGES = [
  /app\/layout\.tsx$/,
  /features\/home\/home-page\.tsx$/,
  /features\/visits\/visit-page\.tsx$/,
  /features\/offline\/outbox-page\.tsx$/,
  /features\/auth\/login-page\.tsx$/,
  // The visit page's drawers (event, festival care, petition risk, need), loaded when opened.
  /features\/visits\/[a-z-]+-drawer\.tsx$/,
];
/** Public files of the shell. */
const SHELL_FILES = ['/index.html', '/manifest.webmanifest', '/favicon.svg', '/icon-192.png', '/icon-512.png'];

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  moduleIds: string[];
  imports: string[];
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}

/**
 * Builds web/src/sw.ts, a hand-written service worker (issue #17), as its own file `sw.js` next to the app:
 * TypeScript stripped and minified by Vite's own toolchain (Oxc), with the build's shell file list and a
 * version (a digest of every emitted file name, which carry content hashes) put in front of it. Nothing of it
 * enters the app's chunks or the manifest, and no package is added (vite-plugin-pwa/Workbox would add tens of kB).
 */
export function serviceWorker(source = fileURLToPath(new URL('./src/sw.ts', import.meta.url))): Plugin {
  return {
    name: 'guanhuai-service-worker',
    apply: 'build',
    // After scripts/vite-route-preload.ts's (also `post`, and before this plugin in vite.config.ts), which emits
    // the script index.html starts with: it is part of the shell.
    generateBundle: {
      order: 'post',
      async handler(_options, bundle) {
        const chunks = Object.values(bundle).filter((f): f is typeof f & ChunkLike => f.type === 'chunk');
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const files = new Set<string>(SHELL_FILES);
        const visit = (chunk: ChunkLike | undefined) => {
          if (!chunk || files.has(`/${chunk.fileName}`)) return;
          files.add(`/${chunk.fileName}`);
          for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(`/${css}`);
          for (const asset of chunk.viteMetadata?.importedAssets ?? []) files.add(`/${asset}`);
          for (const imported of chunk.imports) visit(byFile.get(imported));
        };
        // A page's module may sit in a group chunk rather than its own (the layout: scripts/vite-shell-chunks.ts).
        const holdsShellPage = (c: ChunkLike) => c.moduleIds.some((id) => SHELL_PAGES.some((p) => p.test(id)));
        for (const c of chunks) if (c.isEntry || holdsShellPage(c)) visit(c);
        for (const name of Object.keys(bundle)) if (name.startsWith(ROUTE_PRELOAD_PREFIX)) files.add(`/${name}`);
        const version = createHash('sha256').update(Object.keys(bundle).sort().join('\n')).digest('hex').slice(0, 16);
        const ts = fs.readFileSync(source, 'utf8');
        const js = await transformWithOxc(ts, source, { lang: 'ts' });
        const code = `self.__PRECACHE__=${JSON.stringify({ version, files: [...files].sort() })};\n${js.code}`;
        const small = await minify('sw.js', code);
        this.emitFile({ type: 'asset', fileName: 'sw.js', source: small.code });
      },
    },
  };
}
