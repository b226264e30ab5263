import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../support/test-app.js';

/**
 * The production build (issue 18 part 4): the server compiled to JavaScript under dist/ (scripts/build-server.mjs,
 * the server half of `npm run build`), run by `NODE_ENV=production npm start` (scripts/start.mjs) and the compiled
 * backup command — with a loader hook that fails any attempt to load TypeScript, tsx, esbuild or the TypeScript
 * compiler at run time. The build itself refuses when the compiled server imports a devDependency.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-prod-build-'));
const hook = path.join(dir, 'no-typescript.mjs');
fs.writeFileSync(
  hook,
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (/\\\\/node_modules\\\\/(tsx|typescript|esbuild|vite)\\\\//.test(r.url) || /\\\\.tsx?$/.test(r.url))
    throw new Error('TypeScript tooling loaded at run time: ' + r.url);
  return r;
}\`));
`,
);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

describe('npm run build, then NODE_ENV=production npm start', () => {
  it('runs the compiled server and the compiled backup command with no TypeScript at run time', async () => {
    const build = spawnSync(process.execPath, ['scripts/build-server.mjs'], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    expect(fs.existsSync('dist/server/main.js')).toBe(true);
    expect(fs.existsSync('dist/server/cli/backup.js')).toBe(true);

    const port = await freePort();
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      NODE_OPTIONS: `--import ${hook}`,
      GUANHUAI_DEMO: '',
      GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
      DATA_DIR: path.join(dir, 'data'),
      AUDIT_ANCHOR_FILE: path.join(dir, 'anchor.log'),
      BACKUP_DIR: path.join(dir, 'backups'),
      DATABASE_URL: '',
      SERVE_WEB: 'false',
      TRUST_PROXY: 'true',
      PORT: String(port),
    };
    const server = spawn(process.execPath, ['scripts/start.mjs'], { env });
    let output = '';
    server.stdout!.on('data', (d) => (output += String(d)));
    server.stderr!.on('data', (d) => (output += String(d)));
    try {
      let ok = false;
      for (let i = 0; i < 150 && !ok && server.exitCode === null; i++) {
        ok = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`)
          .then((r) => r.status === 200)
          .catch(() => false);
        if (!ok) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ok, output).toBe(true);
      const backup = spawnSync(process.execPath, ['scripts/launch.mjs', 'server/cli/backup.ts'], {
        env,
        encoding: 'utf8',
      });
      expect(backup.status, `${backup.stdout}${backup.stderr}`).toBe(0);
      const last = backup.stdout.trim().split('\n').at(-1)!;
      expect(fs.existsSync(last)).toBe(true);
      expect(output).not.toMatch(/TypeScript tooling loaded/);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  }, 120_000);
});
