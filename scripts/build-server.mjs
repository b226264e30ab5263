// `npm run build` (after `vite build`): the server compiled to JavaScript under dist/ — one .js file per .ts
// file of server/ and common/ (tests left out), the same layout, so relative imports and paths hold:
//   dist/server/main.js         what `NODE_ENV=production npm start` runs (no TypeScript compiler at run time)
//   dist/server/cli/*.js        npm run backup / restore in production
//   dist/server/platform/regions/data/   the region tables, copied
//   dist/web -> ../web          so the server's `../web/dist/` finds the web build vite wrote to web/dist
// Only `dependencies` are imported at run time: `npm ci --omit=dev` suffices (checked below).
import { build } from 'esbuild';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function sources(dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sources(p));
    else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) files.push(p);
  }
  return files;
}

const started = Date.now();
fs.rmSync(out, { recursive: true, force: true });
const entryPoints = [...sources(path.join(root, 'server')), ...sources(path.join(root, 'common'))];
const result = await build({
  entryPoints,
  outdir: out,
  outbase: root,
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});

// What the compiled server imports: every bare specifier must be a runtime dependency (not a devDependency).
const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const missing = new Set();
for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  for (const imp of meta.imports) {
    const spec = imp.path;
    if (spec.startsWith('.') || spec.startsWith('/') || builtins.has(spec) || spec.startsWith('node:')) continue;
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    if (!runtime.has(name)) missing.add(`${name} (${path.relative(out, file)})`);
  }
}
if (missing.size > 0) {
  console.error(
    `The compiled server imports packages that are not runtime dependencies:\n  ${[...missing].join('\n  ')}`,
  );
  process.exit(1);
}

// Data files beside the code (the region tables, the common-password list), copied to the same place; a JSON
// module gets the import attribute Node's ESM loader asks for (tsx and vite do without).
for (const top of ['server', 'common']) {
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!entry.name.endsWith('.ts')) fs.cpSync(p, path.join(out, path.relative(root, p)));
    }
  };
  walk(path.join(root, top));
}
for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))) {
  const abs = path.resolve(root, file);
  const code = fs.readFileSync(abs, 'utf8');
  const fixed = code.replace(/(from\s+"(\.{1,2}\/[^"]+\.json)")(\s*;)/g, '$1 with { type: "json" }$3');
  if (fixed !== code) fs.writeFileSync(abs, fixed);
}
fs.symlinkSync('../web', path.join(out, 'web'));
if (!fs.existsSync(path.join(root, 'web/dist/index.html')))
  console.warn('web/dist/index.html is missing: run `vite build` (npm run build does) before starting in production');
console.error(`server compiled: ${entryPoints.length} files → dist/ in ${Date.now() - started} ms`);
