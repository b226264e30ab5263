import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { BENCH_DIR } from './cache.js';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface RouteBundle {
  route: string;
  /** The lazy page modules the route loads besides the entry. */
  pages: string[];
  files: number;
  rawBytes: number;
  gzipBytes: number;
  /** The build's own `.br` files (scripts/vite-precompress.ts): what the server sends a browser. */
  brotliBytes: number;
}

export interface BundleReport {
  buildMs: number;
  routes: RouteBundle[];
  /** Routes asked for whose page does not exist yet. */
  missing: Array<{ route: string; reason: string }>;
}

/**
 * In this checkout's git-ignored bench/.cache (which ESLint and Prettier skip), away from a running server's
 * web/dist — and not under node_modules, which worktrees may share: two benches would build over each other.
 */
export const OUT_DIR = path.resolve(BENCH_DIR, '.cache/web-dist');

/**
 * Builds the web app with the project's own vite.config.ts into bench/.cache/web-dist, with a manifest, and sums JS+CSS per route: the entry's static
 * import closure plus each lazy page's closure, gzip at zlib's default level and the build's own brotli files.
 */
export function measureBundle(): BundleReport {
  const t = performance.now();
  const root = path.resolve(BENCH_DIR, '..');
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      path.relative(path.join(root, 'web'), OUT_DIR),
      '--emptyOutDir',
      '--manifest',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const buildMs = performance.now() - t;
  const manifest = JSON.parse(fs.readFileSync(path.join(OUT_DIR, '.vite/manifest.json'), 'utf8')) as Manifest;
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry) throw new Error('The web build has no entry chunk');
  const pageKey = (pattern: RegExp) => Object.keys(manifest).find((k) => manifest[k].isDynamicEntry && pattern.test(k));

  const routes: RouteBundle[] = [];
  const missing: BundleReport['missing'] = [];
  const measure = (route: string, pages: string[], extraFiles: string[] = []) => {
    const files = new Set<string>(extraFiles);
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || files.has(chunk.file)) return;
      files.add(chunk.file);
      for (const css of chunk.css ?? []) files.add(css);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    visit(entry);
    for (const p of pages) visit(p);
    let rawBytes = 0;
    let gzipBytes = 0;
    let brotliBytes = 0;
    for (const f of files) {
      const file = path.join(OUT_DIR, f);
      const bytes = fs.readFileSync(file);
      rawBytes += bytes.length;
      gzipBytes += zlib.gzipSync(bytes).length;
      brotliBytes += fs.existsSync(`${file}.br`) ? fs.statSync(`${file}.br`).size : bytes.length;
    }
    routes.push({ route, pages, files: files.size, rawBytes, gzipBytes, brotliBytes });
  };

  const loginPage = pageKey(/features\/auth\/login-page/);
  if (loginPage) measure('/login', [loginPage]);
  else missing.push({ route: '/login', reason: 'no login page chunk in the build' });

  // The phone visit form: a lazy page under features/ whose name says visit or contact log.
  const visitPage = pageKey(/features\/[^/]+\/[^/]*(visit|contact-log)[^/]*\.tsx$/);
  const layout = pageKey(/app\/layout\.tsx$/);
  if (visitPage) {
    const pages = [layout, visitPage].filter((k): k is string => Boolean(k));
    measure('visit form', pages);
    // The service worker (issue #17) is fetched on that first load too: the budget holds for both.
    if (fs.existsSync(path.join(OUT_DIR, 'sw.js'))) measure('visit form + service worker', pages, ['sw.js']);
  } else
    missing.push({
      route: 'visit form',
      reason: 'the web app has no visit form yet (no lazy page matching features/*/*visit*|*contact-log*)',
    });
  // 我的待办 (the home page) and the county dashboard, inside the layout; the dashboard's charts load
  // lazily and are not part of its first load.
  for (const [route, pattern] of [
    ['我的待办', /features\/home\/home-page\.tsx$/],
    ['dashboard', /features\/dashboard\/dashboard-page\.tsx$/],
  ] as const) {
    const page = pageKey(pattern);
    if (page)
      measure(
        route,
        [layout, page].filter((k): k is string => Boolean(k)),
      );
  }
  return { buildMs, routes, missing };
}
