import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../server/platform/audit/audit-log.js';
import { systemClock } from '../../server/platform/clock.js';
import { openDatabase, type DatabaseHandle } from '../../server/platform/db/database.js';
import { TEST_MASTER_KEY, testCrypto } from '../support/test-app.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/test-db.js';

/**
 * Two server processes on one PostgreSQL database (issue 18 part 7): a session made on one works on the other;
 * writes to both keep one whole audit chain; `kill -9` of one in the middle of a burst loses no write it had
 * acknowledged. (A scheduled job running once under two instances: backups-api.test.ts.) SQLite serves one
 * process, so this runs on PostgreSQL only.
 */
const onPostgres = TEST_DIALECT === 'postgres';
if (!onPostgres) console.warn('multi-instance test SKIPPED: it runs on PostgreSQL (TEST_DIALECT=postgres)');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-multi-'));
const PASSWORD = 'Multi-Ops-Pass1!';
let database: TestDatabase;
const servers: Array<{ port: number; child: ChildProcess; output: string }> = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function env(port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    GUANHUAI_DEMO: '',
    GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
    DATABASE_URL: database.url,
    DATA_DIR: path.join(dir, `data-${port}`),
    AUDIT_ANCHOR_FILE: path.join(dir, `anchor-${port}.log`),
    SERVE_WEB: 'false',
    TRUST_PROXY: 'true',
    COOKIE_SECURE: 'false',
    MFA_REQUIRED_ROLES: 'none',
    LOGIN_IP_THRESHOLD: '100000',
    PORT: String(port),
  };
}

async function startServer(): Promise<(typeof servers)[number]> {
  const port = await freePort();
  const entry = {
    port,
    child: spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: env(port) }),
    output: '',
  };
  entry.child.stdout!.on('data', (d) => (entry.output += String(d)));
  entry.child.stderr!.on('data', (d) => (entry.output += String(d)));
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  servers.push(entry);
  return entry;
}

async function login(port: number, username: string): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  return { status: res.status, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

beforeAll(async () => {
  if (!onPostgres) return;
  database = await createTestDatabase();
  await startServer();
  await startServer();
  for (const name of ['multia', 'multib']) {
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/create-admin.ts',
        '--username',
        name,
        '--name',
        '张管理',
        '--region',
        '420000000000',
      ],
      { env: { ...env(servers[0].port), ADMIN_PASSWORD: PASSWORD }, encoding: 'utf8' },
    );
    expect(cli.status, cli.stderr).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  await database?.drop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!onPostgres)('two instances on one PostgreSQL database', () => {
  it('a session made on one works on the other', async () => {
    const [a, b] = servers;
    const s = await login(a.port, 'multia');
    expect(s.status, a.output).toBe(200);
    const me = await fetch(`http://127.0.0.1:${b.port}/api/v1/auth/me`, { headers: { cookie: s.cookie } });
    expect(me.status).toBe(200);
  });

  it('writes to both keep one whole chain; kill -9 of one mid-burst loses no acknowledged write', async () => {
    const [a, b] = servers;
    let acknowledged = 0;
    let stop = false;
    const burst = async (port: number, user: string) => {
      while (!stop) {
        const r = await login(port, user).catch(() => null);
        if (!r) return; // the connection died with the process: not acknowledged
        if (r.status === 200) acknowledged++;
      }
    };
    const loops = [burst(a.port, 'multia'), burst(a.port, 'multia'), burst(b.port, 'multib'), burst(b.port, 'multib')];
    await new Promise((r) => setTimeout(r, 3_000));
    a.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 2_000));
    stop = true;
    await Promise.all(loops);
    expect(acknowledged).toBeGreaterThan(10);

    let handle: DatabaseHandle | null = null;
    try {
      handle = openDatabase(database.url);
      const audit = new AuditLog(testCrypto(), 'postgres', systemClock);
      // verify seals what the killed instance left unsealed, then walks the whole chain.
      const v = await audit.verify(handle.db);
      expect(v.ok).toBe(true);
      const logins = await handle.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'auth.login')
        .where('outcome', '=', 'success')
        .executeTakeFirstOrThrow();
      // Every acknowledged login has its audit row (written in the login's transaction); one in flight at the
      // kill may have committed without its answer reaching the client.
      expect(Number(logins.n)).toBeGreaterThanOrEqual(acknowledged + 1);
      expect(Number(logins.n)).toBeLessThanOrEqual(acknowledged + 1 + 4);
      const sealed = await handle.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('hash', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(sealed.n)).toBe(0);
    } finally {
      await handle?.close();
    }
    // The survivor still serves.
    expect((await login(b.port, 'multib')).status).toBe(200);
  }, 60_000);
});
