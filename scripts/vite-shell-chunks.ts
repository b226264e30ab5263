import path from 'node:path';
import type { Plugin } from 'vite';

const WEB_SRC = path.resolve(import.meta.dirname, '../web/src');
const ENTRY = path.join(WEB_SRC, 'main.tsx');
const LAYOUT = path.join(WEB_SRC, 'app/layout.tsx');
/** Pages shown outside the signed-in layout: what they import stays out of the shell's chunk. */
const OUTSIDE = [
  'features/auth/login-page.tsx',
  'features/auth/password-page.tsx',
  'features/auth/mfa-setup-page.tsx',
].map((p) => path.join(WEB_SRC, p));

/**
 * Left to automatic chunking, the signed-in layout arrives as ~30 small files (antd's per-component
 * chunks, each shared with a different set of pages); over HTTP/1.1 on a weak signal every file waits for
 * one of the browser's 6 connections and a round trip, so 我的待办 waited for rounds, not bytes. This
 * reads the module graph when the build ends and sorts the layout's static imports (less the entry's) into
 * two groups for `codeSplitting`: what the layout shares with the login/password/TOTP pages (`shell-base`,
 * which those pages load too) and the rest (`shell`, which they do not). A signed-in page always renders in
 * the layout, so no page downloads code it would not have downloaded anyway.
 */
/** Libraries imported through an index that re-exports every part: [specifier, index file]. */
const BARRELS: Array<[string, string]> = [
  ['antd', '/node_modules/antd/es/index.js'],
  ['@ant-design/icons', '/node_modules/@ant-design/icons/es/index.js'],
];

/** The `antd` group's modules (vite.config.ts). */
export const ANTD =
  /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@emotion|dayjs|stylis|classnames|clsx)[\\/]/;

export function shellChunks() {
  const shared = new Set<string>();
  const shell = new Set<string>();
  const plugin: Plugin = {
    name: 'guanhuai-shell-chunks',
    apply: 'build',
    buildEnd() {
      const info = (id: string) => this.getModuleInfo(id);
      // A library's index re-exports every component; following all of its imports would put the whole of
      // antd in every closure. Follow only the names the importer takes from it, as the tree-shaker does.
      const reexports = new Map<string, Map<string, string>>();
      const namesFrom = (barrel: string): Map<string, string> => {
        let names = reexports.get(barrel);
        if (names) return names;
        names = new Map();
        const barrelInfo = info(barrel);
        for (const m of (barrelInfo?.code ?? '').matchAll(/export\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)) {
          const target = path.resolve(path.dirname(barrel), m[2]);
          const id = barrelInfo!.importedIds.find(
            (i) => i === target || i.startsWith(`${target}.`) || i.startsWith(`${target}/index.`),
          );
          if (!id) continue;
          for (const part of m[1].split(',')) {
            const name = part
              .trim()
              .split(/\s+as\s+/)
              .pop();
            if (name) names.set(name, id);
          }
        }
        for (const m of (barrelInfo?.code ?? '').matchAll(/export\s*\*\s*from\s*["']([^"']+)["']/g)) {
          const target = path.resolve(path.dirname(barrel), m[1]);
          const id = barrelInfo!.importedIds.find(
            (i) => i === target || i.startsWith(`${target}.`) || i.startsWith(`${target}/index.`),
          );
          if (id) for (const [name, to] of namesFrom(id)) names.set(name, to);
        }
        reexports.set(barrel, names);
        return names;
      };
      const closure = (id: string, into = new Set<string>()) => {
        if (into.has(id)) return into;
        into.add(id);
        const mod = info(id);
        for (const next of mod?.importedIds ?? []) {
          const barrel = BARRELS.find(([, file]) => next.split('?')[0].endsWith(file));
          if (!barrel) {
            closure(next, into);
            continue;
          }
          const names = namesFrom(next);
          const from = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*["']${barrel[0]}["']`, 'g');
          for (const m of (mod?.code ?? '').matchAll(from))
            for (const part of m[1].split(',')) {
              const name = part
                .trim()
                .replace(/^type\s+/, '')
                .split(/\s+as\s+/)[0];
              const target = names.get(name);
              if (target) closure(target, into);
            }
        }
        return into;
      };
      const ids = [...this.getModuleIds()];
      const find = (file: string) => ids.find((id) => id.split('?')[0] === file);
      const entry = find(ENTRY);
      const layout = find(LAYOUT);
      shared.clear();
      shell.clear();
      if (!entry || !layout) return;
      const initial = closure(entry);
      const outside = new Set<string>();
      for (const page of OUTSIDE) {
        const id = find(page);
        if (id) closure(id, outside);
      }
      for (const id of closure(layout)) {
        // A library module the entry's closure reaches may still be tree-shaken out of the entry chunk (antd's
        // App reaches the icons and motions of message and modal); left alone it becomes a file of its own.
        // The `antd` group (higher priority, `$initial`) takes those the entry really keeps.
        if (initial.has(id) && !ANTD.test(id)) continue;
        (outside.has(id) ? shared : shell).add(id);
      }
    },
  };
  return {
    plugin,
    // Our own sets, so Rolldown must not add the captured modules' dependencies (the entry's, the login page's).
    groups: [
      { name: 'shell-base', test: (id: string) => shared.has(id), priority: 6, includeDependenciesRecursively: false },
      { name: 'shell', test: (id: string) => shell.has(id), priority: 5, includeDependenciesRecursively: false },
    ],
  };
}
