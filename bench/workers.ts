/**
 * `npm run bench:workers [-- --database postgres://…] [--seconds 10]`: the real server (server/main.ts, as
 * `npm start` runs it) at WEB_CONCURRENCY=1 and =2 on one small database (200 families, SQLite by default),
 * with a read scenario (a township's family list, `GET /api/v1/families?pageSize=20`) and a write scenario
 * (`POST /families/{id}/contact-logs`), each driven by autocannon in its own process (bench/lib/load.ts);
 * req/s, p50 and p99 for each, then the write count is checked against the database and the audit chain
 * verified. Issue 19 item 4.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { AuditLog } from '../server/platform/audit/audit-log.js';
import { prepareDatabase } from '../server/prepare-database.js';
import { systemClock } from '../server/platform/clock.js';
import { loadConfig } from '../server/platform/config.js';
import { dialectOf, openDatabase } from '../server/platform/db/database.js';
import { buildContact, buildRegionTree, buildUser, familyInput } from '../test/support/factories.js';
import { Session, TEST_MASTER_KEY, testCrypto } from '../test/support/test-app.js';
import type { LoadResult, LoadSpec } from './lib/load.js';
import { countyMonthsDrift } from '../server/modules/compliance/family-months.repository.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SECONDS = Number(arg('seconds') ?? 10);
const CONNECTIONS = 16;
const FAMILIES = 200;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-bench-workers-'));
const pgAdmin = arg('database');
const dbName = `gh_bw_${process.pid}`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function pgExec(sqlText: string) {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: pgAdmin });
  await c.connect();
  await c.query(sqlText);
  await c.end();
}

async function databaseUrl(): Promise<string> {
  if (!pgAdmin) return `sqlite:${path.join(dir, 'bench.db')}`;
  await pgExec(`create database ${dbName}`);
  const u = new URL(pgAdmin);
  u.pathname = `/${dbName}`;
  return u.toString();
}

async function seed(url: string) {
  const { database } = await prepareDatabase(url, []);
  const config = { ...loadConfig({}), databaseUrl: url, isDemo: false, serveWeb: false };
  const app = await buildApp({ config, database, crypto: testCrypto() });
  const tree = await buildRegionTree(database.db);
  const user = await buildUser(database.db, 'township_staff', tree.township);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: user.username, password: user.password },
  });
  const body = res.json<{ data: { csrfToken: string; user: Session['user'] } }>();
  const s = new Session(app, String(res.headers['set-cookie']).split(';')[0], body.data.csrfToken, body.data.user);
  const townshipContact = (await buildContact(s, 'township_cadre', tree.township)).id;
  const villageContact = (await buildContact(s, 'village_cadre', tree.village)).id;
  const families: string[] = [];
  for (let i = 0; i < FAMILIES; i += 1) {
    const created = await s.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }));
    const id = (created.json().data as { id: string }).id;
    await s.put(`/api/v1/families/${id}/assignments`, {
      townshipContactId: townshipContact,
      villageContactId: villageContact,
    });
    families.push(id);
  }
  await app.close();
  await database.close();
  return { user, families, contactId: villageContact };
}

async function startServer(url: string, workers: number) {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      GUANHUAI_DEMO: '',
      GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
      DATABASE_URL: url,
      DATA_DIR: path.join(dir, 'data'),
      AUDIT_ANCHOR_FILE: path.join(dir, 'anchor.log'),
      SERVE_WEB: 'false',
      TRUST_PROXY: 'true',
      COOKIE_SECURE: 'false',
      MFA_REQUIRED_ROLES: 'none',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      WEB_CONCURRENCY: String(workers),
    },
  });
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const want = workers > 1 ? workers : 0;
  for (let i = 0; i < 600; i += 1) {
    const ready = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready && (output.match(/"msg":"worker listening"/g) ?? []).length >= want) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { base: `http://127.0.0.1:${port}`, stop };
}

function runLoadChild(spec: LoadSpec): Promise<LoadResult> {
  const specFile = path.join(dir, `load-${Date.now()}.json`);
  fs.writeFileSync(specFile, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'lib', 'load.ts'), specFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult)
        : reject(new Error(`load ${code}`)),
    );
  });
}

async function main() {
  const url = await databaseUrl();
  const dialect = dialectOf(url);
  console.error(`seeding ${FAMILIES} families on ${dialect}…`);
  const { user, families, contactId } = await seed(url);
  const rows: string[] = [];
  let posted = 0;
  let minute = 0;
  for (const workers of [1, 2]) {
    const server = await startServer(url, workers);
    const login = await fetch(`${server.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const { csrfToken } = ((await login.json()) as { data: { csrfToken: string } }).data;
    const read: LoadSpec = {
      url: server.base,
      method: 'GET',
      headers: { cookie },
      paths: ['/api/v1/families?pageSize=20'],
      connections: CONNECTIONS,
      durationSec: SECONDS,
    };
    const bodies: string[] = [];
    const paths: string[] = [];
    for (let i = 0; i < 50_000; i += 1) {
      minute += 1;
      paths.push(`/api/v1/families/${families[i % families.length]}/contact-logs`);
      bodies.push(
        JSON.stringify({
          contactId,
          mode: i % 3 === 0 ? 'home_visit' : 'phone',
          occurredAt: new Date(Date.now() - (60 + (minute % 40_000)) * 60_000).toISOString(),
          notes: '基准测试记录',
        }),
      );
    }
    const write: LoadSpec = {
      url: server.base,
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      paths,
      bodies,
      connections: CONNECTIONS,
      durationSec: SECONDS,
    };
    for (const [name, spec] of [
      ['read: GET /families?pageSize=20', read],
      ['write: POST contact-log', write],
    ] as const) {
      await runLoadChild({ ...spec, durationSec: 1 }); // warm-up
      const r = await runLoadChild(spec);
      if (spec.method === 'POST') posted += r.statusCodes['201'] ?? 0;
      const line = `| ${name} | ${dialect} | ${workers} | ${Math.round(r.rps)} | ${r.latency.p50.toFixed(1)} | ${r.latency.p99.toFixed(1)} | ${r.non2xx} | ${os.loadavg()[0].toFixed(1)} |`;
      console.error(line);
      rows.push(line);
    }
    await server.stop();
  }
  // Every acknowledged write is stored (warm-ups included), the chain verifies, and the county sums (0032) kept
  // up with the facts under the concurrent writes.
  const handle = openDatabase(url);
  const stored = await handle.db
    .selectFrom('contact_logs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('created_by', '=', user.id)
    .executeTakeFirstOrThrow();
  const verified = await new AuditLog(testCrypto(), dialect, systemClock).verify(handle.db);
  const drift = await countyMonthsDrift(handle.db);
  await handle.close();
  console.log(
    [
      `WEB_CONCURRENCY bench — ${os.availableParallelism()} cores, ${CONNECTIONS} connections, ${SECONDS} s per scenario`,
      '| scenario | DB | workers | req/s | p50 ms | p99 ms | non-2xx | load avg |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      `contact logs stored: ${Number(stored.n)} (acknowledged in the measured runs: ${posted}); audit chain ${verified.ok ? 'verifies' : 'BROKEN'}; county sums ${drift.length ? `DRIFT in ${drift.length}` : 'equal the facts'}`,
    ].join('\n'),
  );
  if (pgAdmin) await pgExec(`drop database if exists ${dbName} with (force)`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
