/**
 * The real process at start (issue 10 items 8, 15 and 17): production refuses demo mode and a missing master key;
 * demo mode keeps its password out of every log and its files owner-only; two instances started at once on a
 * new database both come up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../support/test-app.js';
import { createTestDatabase, TEST_DIALECT } from '../support/test-db.js';

const dirs: string[] = [];
const servers: ChildProcess[] = [];

afterAll(() => {
  for (const s of servers) if (s.exitCode === null) s.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-start-'));
  dirs.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

interface Started {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: NodeJS.ProcessEnv): Started {
  let output = '';
  // node itself, stdout a pipe as under systemd or a log collector.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      SERVE_WEB: 'false',
      COOKIE_SECURE: 'false',
      // Production serves plain HTTP only behind a proxy that says so (main.ts); these tests are that proxy.
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'info',
      DEMO_PASSWORD: '',
      ...env,
    },
  });
  servers.push(child);
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

async function healthy(port: number, s: Started): Promise<void> {
  for (let i = 0; i < 1000; i += 1) {
    if (s.process.exitCode !== null) throw new Error(`server exited ${s.process.exitCode}:\n${s.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start:\n${s.output()}`);
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('production refuses what only demo mode may do (item 8)', () => {
  it('exits with a clear message for NODE_ENV=production with GUANHUAI_DEMO=1, even with a master key', async () => {
    const dir = tempDir();
    const s = start({
      NODE_ENV: 'production',
      GUANHUAI_DEMO: '1',
      GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
      DATA_DIR: dir,
      DATABASE_URL: '',
      PORT: String(await freePort()),
    });
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain('生产环境不能开启演示模式');
    // Nothing was created: no accounts, no key file to forge the audit chain with.
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('exits without GUANHUAI_MASTER_KEY, even when a key file lies in the data directory', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'keys.json'), JSON.stringify({ version: 1, masterKeyHex: TEST_MASTER_KEY }), {
      mode: 0o600,
    });
    const s = start({
      NODE_ENV: 'production',
      GUANHUAI_DEMO: '',
      GUANHUAI_MASTER_KEY: '',
      DATA_DIR: dir,
      DATABASE_URL: '',
      PORT: String(await freePort()),
    });
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain('GUANHUAI_MASTER_KEY');
    expect(fs.existsSync(path.join(dir, 'guanhuai.db'))).toBe(false);
  });
});

describe('demo mode keeps its secrets to the owner (items 8 and 15)', () => {
  it('never prints the demo password when stdout is not a terminal; data directory 0700, its files 0600', async () => {
    const dir = path.join(tempDir(), 'data');
    const port = await freePort();
    const s = start({
      NODE_ENV: '',
      GUANHUAI_DEMO: '1',
      GUANHUAI_MASTER_KEY: '',
      DATA_DIR: dir,
      DATABASE_URL: '',
      PORT: String(port),
    });
    await healthy(port, s);
    const password = fs.readFileSync(path.join(dir, 'demo-password.txt'), 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(8);
    // The demo accounts work with it, and it appears nowhere in what the process wrote.
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo_county', password }),
    });
    expect(login.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.output()).toContain('演示模式');
    expect(s.output()).toContain('demo-password.txt');
    expect(s.output()).not.toContain(password);
    expect(mode(dir)).toBe(0o700);
    for (const file of ['demo-password.txt', 'keys.json', 'guanhuai.db', 'guanhuai.db-wal', 'guanhuai.db-shm'])
      expect([file, mode(path.join(dir, file))]).toEqual([file, 0o600]);
    s.process.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  }, 300_000);
});

describe('two instances started at once on a new database (item 17)', () => {
  it('both come up: migrations and the region seed run once, under one lock', async () => {
    const dir = tempDir();
    const database = TEST_DIALECT === 'postgres' ? await createTestDatabase() : null;
    try {
      const ports = [await freePort(), await freePort()];
      const env = (port: number) => ({
        NODE_ENV: 'production',
        GUANHUAI_DEMO: '',
        GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
        DATA_DIR: dir,
        DATABASE_URL: database?.url ?? '',
        PORT: String(port),
      });
      const both = ports.map((port) => start(env(port)));
      await Promise.all(both.map((s, i) => healthy(ports[i], s)));
      // Each answers a real query against the seeded tree, and the tree is there once.
      for (const port of ports) {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
        expect(res.status).toBe(200);
      }
      const banners = both.map((s) => s.output());
      expect(banners.filter((b) => /新载入 \d+ 条/.test(b))).toHaveLength(1);
      for (const s of both) {
        s.process.kill('SIGTERM');
        expect(await s.exited).toBe(0);
      }
    } finally {
      await database?.drop();
    }
  }, 300_000);
});
