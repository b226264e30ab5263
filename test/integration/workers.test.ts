import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { AuditLog } from '../../server/platform/audit/audit-log.js';
import { prepareDatabase } from '../../server/prepare-database.js';
import { systemClock } from '../../server/platform/clock.js';
import { loadConfig } from '../../server/platform/config.js';
import { openDatabase } from '../../server/platform/db/database.js';
import { workerCount } from '../../server/platform/cluster.js';
import { buildContact, buildRegionTree, buildUser, familyInput, type TestUser } from '../support/factories.js';
import { Session, TEST_MASTER_KEY, testCrypto } from '../support/test-app.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/test-db.js';

/**
 * WEB_CONCURRENCY=2 (issue 19 item 4): the real server as two worker processes behind one port, on SQLite and on
 * PostgreSQL. A burst of concurrent contact-log POSTs — with one worker killed -9 in the middle — answers
 * 201 to every request that got an answer, every acknowledged log is stored, the dead worker is replaced, the
 * audit chain verifies, and at SIGTERM both workers drain while only the scheduler worker writes the shutdown
 * checkpoint (one line, not one per worker).
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-workers-'));
const anchorFile = path.join(dir, 'anchor.log');
let database: TestDatabase;
let user: TestUser;
const targets: Array<{ familyId: string; contactId: string }> = [];
let server: ChildProcess;
let output = '';
let port = 0;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

const listening = () =>
  output
    .split('\n')
    .filter((l) => l.includes('"msg":"worker listening"'))
    .map((l) => JSON.parse(l) as { worker: number; workerPid: number; scheduler: boolean });

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen:\n${output.slice(-4000)}`);
}

beforeAll(async () => {
  database = await createTestDatabase();
  // The data, written in this process through the API; then the database is closed and handed to the server.
  const { database: handle } = await prepareDatabase(database.url, []);
  const config = { ...loadConfig({}), databaseUrl: database.url, isDemo: false, serveWeb: false };
  const app = await buildApp({ config, database: handle, crypto: testCrypto() });
  const tree = await buildRegionTree(handle.db);
  user = await buildUser(handle.db, 'township_staff', tree.township);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: user.username, password: user.password },
  });
  const body = res.json<{ data: { csrfToken: string; user: Session['user'] } }>();
  const township = new Session(
    app,
    String(res.headers['set-cookie']).split(';')[0],
    body.data.csrfToken,
    body.data.user,
  );
  const townshipContact = (await buildContact(township, 'township_cadre', tree.township)).id;
  const villageContact = (await buildContact(township, 'village_cadre', tree.village)).id;
  for (let i = 0; i < 4; i += 1) {
    const created = await township.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }));
    expect(created.statusCode, created.body).toBe(201);
    const familyId = (created.json().data as { id: string }).id;
    const put = await township.put(`/api/v1/families/${familyId}/assignments`, {
      townshipContactId: townshipContact,
      villageContactId: villageContact,
    });
    expect(put.statusCode).toBe(200);
    targets.push({ familyId, contactId: villageContact });
  }
  await app.close();
  await handle.close();

  port = await freePort();
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      GUANHUAI_DEMO: '',
      GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
      DATABASE_URL: database.url,
      DATA_DIR: path.join(dir, 'data'),
      AUDIT_ANCHOR_FILE: anchorFile,
      SERVE_WEB: 'false',
      TRUST_PROXY: 'true',
      COOKIE_SECURE: 'false',
      MFA_REQUIRED_ROLES: 'none',
      LOGIN_IP_THRESHOLD: '100000',
      PORT: String(port),
      WEB_CONCURRENCY: '2',
    },
  });
  server.stdout!.on('data', (d) => (output += String(d)));
  server.stderr!.on('data', (d) => (output += String(d)));
  await until('two workers listening', () => listening().length === 2);
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  await database?.drop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('WEB_CONCURRENCY', () => {
  it('is capped at the cores with a warning, and refuses what is not a count', () => {
    expect(workerCount({ WEB_CONCURRENCY: '8' }, 2)).toEqual({
      workers: 2,
      warning: expect.stringContaining('capped at 2') as string,
    });
    expect(workerCount({}, 2)).toEqual({ workers: 1, warning: null });
    expect(workerCount({ WEB_CONCURRENCY: 'auto' }, 2).workers).toBe(2);
    expect(() => workerCount({ WEB_CONCURRENCY: 'two' }, 2)).toThrow(/WEB_CONCURRENCY/);
  });
});

describe(`two workers behind one port (${TEST_DIALECT})`, () => {
  it('a burst of contact-log POSTs with a worker killed mid-burst: every acknowledged log is stored', async () => {
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const { csrfToken } = ((await login.json()) as { data: { csrfToken: string } }).data;

    const acknowledged: string[] = [];
    const statuses: Record<string, number> = {};
    let dropped = 0;
    const TOTAL = 240;
    let next = 0;
    const now = Date.now();
    const one = async (i: number) => {
      const { familyId, contactId } = targets[i % targets.length];
      try {
        const res = await fetch(`${base}/api/v1/families/${familyId}/contact-logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          // A connection handed to the worker as it was killed may never be answered: that is a drop too.
          signal: AbortSignal.timeout(20_000),
          body: JSON.stringify({
            contactId,
            mode: i % 2 ? 'phone' : 'home_visit',
            occurredAt: new Date(now - (60 + i) * 60_000).toISOString(),
            notes: `并发写入 ${i}`,
          }),
        });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 201) acknowledged.push(((await res.json()) as { data: { id: string } }).data.id);
        else await res.text();
      } catch {
        dropped += 1; // the connection died with the killed worker: no answer, not acknowledged
      }
    };
    const victim = listening().find((w) => !w.scheduler)!;
    const loops = Array.from({ length: 12 }, async () => {
      while (next < TOTAL) {
        const i = next++;
        if (i === TOTAL / 3) process.kill(victim.workerPid, 'SIGKILL');
        await one(i);
      }
    });
    await Promise.all(loops);
    // Every answer was a success: no busy database, no lost write turned into a 500.
    expect(Object.keys(statuses), JSON.stringify(statuses)).toEqual(['201']);
    expect(acknowledged.length + dropped).toBe(TOTAL);
    expect(acknowledged.length).toBeGreaterThan(TOTAL / 2);

    // The killed worker is replaced by a new one (not the scheduler: that role stays where it was).
    await until('the killed worker replaced', () => listening().length === 3);
    expect(output).toContain('"msg":"worker died: replacing it"');
    expect(listening().filter((w) => w.scheduler)).toHaveLength(1);
    for (let i = 0; i < 6; i += 1) await one(TOTAL + i);
    expect(Object.keys(statuses)).toEqual(['201']);

    // SIGTERM: both workers drain and exit, then the primary; one shutdown checkpoint (the scheduler worker's).
    const linesBefore = fs.existsSync(anchorFile) ? fs.readFileSync(anchorFile, 'utf8').trim().split('\n').length : 0;
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('no exit'), 40_000).unref());
    expect(await Promise.race([exited, timeout]), output.slice(-3000)).toBe(0);
    expect(output.match(/shutting down: draining requests/g)).toHaveLength(2);
    const lines = fs.readFileSync(anchorFile, 'utf8').trim().split('\n');
    expect(lines.length - linesBefore).toBe(1);

    const handle = openDatabase(database.url);
    try {
      const stored = await handle.db
        .selectFrom('contact_logs')
        .select('id')
        .where('created_by', '=', user.id)
        .execute();
      const ids = new Set(stored.map((r) => r.id));
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
      // At most the requests cut off by the kill committed without their answer reaching the client.
      expect(stored.length).toBeLessThanOrEqual(acknowledged.length + dropped);
      const audit = new AuditLog(testCrypto(), TEST_DIALECT, systemClock);
      const verified = await audit.verify(handle.db);
      expect(verified.ok).toBe(true);
      const head = JSON.parse(lines.at(-1)!) as { count: number };
      const chain = await handle.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('chain_seq').as('n'))
        .executeTakeFirstOrThrow();
      expect(head.count).toBe(Number(chain.n));
    } finally {
      await handle.close();
    }
  }, 180_000);
});
