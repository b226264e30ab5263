import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../common/validators/id-number.js';
import { TEST_MASTER_KEY } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/**
 * The real process, as an operator runs it in production: the CLI creates the first admin, the server
 * starts without demo accounts, logs carry no secrets or personal numbers, and SIGTERM shuts it down cleanly.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-process-'));
const ADMIN_PASSWORD = 'Prod-Ops-Pass1!';
let port = 0;
let server: ChildProcess;
let output = '';
let database: TestDatabase;

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dir,
    GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
    COOKIE_SECURE: 'false',
    // Production serves plain HTTP only behind a proxy that says so (main.ts); this test is that proxy.
    TRUST_PROXY: 'true',
    SERVE_WEB: 'false',
    PORT: String(port),
    DATABASE_URL: '',
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start:\n${output}`);
}

beforeAll(async () => {
  port = await freePort();
  database = await createTestDatabase();
  const cli = spawnSync(
    'npx',
    ['tsx', 'scripts/create-admin.ts', '--username', 'admin', '--name', '张管理', '--region', '420000000000'],
    {
      env: { ...env(), ADMIN_PASSWORD },
      encoding: 'utf8',
    },
  );
  expect(cli.status, cli.stderr).toBe(0);
  // node itself, not npx: the signal must reach the server's own handler.
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: env() });
  server.stdout!.on('data', (d) => (output += String(d)));
  server.stderr!.on('data', (d) => (output += String(d)));
  await waitForHealth();
}, 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

describe('the process in production mode', () => {
  it('has no demo accounts; the CLI-created admin logs in; logs hold no secrets or personal numbers', async () => {
    const demo = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo_county', password: 'whatever-Pass1' }),
    });
    expect(demo.status).toBe(401);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const { data } = (await res.json()) as { data: { csrfToken: string; user: { role: string } } };
    expect(data.user.role).toBe('sysadmin');
    // An ID number and a phone in a query string and a body must not reach the log.
    const idNumber = makeIdNumber({ regionCode6: '420881', birthDate: '1960-02-02', sequence: 124 });
    await fetch(`http://127.0.0.1:${port}/api/v1/families?q=${idNumber}`, { headers: { cookie } });
    await fetch(`http://127.0.0.1:${port}/api/v1/families/search`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': data.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ q: '13812345678' }),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(output).toContain('"statusCode":200');
    for (const secret of [ADMIN_PASSWORD, idNumber, '13812345678', cookie.split('=')[1], data.csrfToken])
      expect(output).not.toContain(secret);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
