/**
 * The real server as a child process (`node --import tsx server/main.ts`, one process, so SIGKILL hits the
 * server itself), on a loopback port, over a database prepared in-process beforehand. Plus a tiny HTTP
 * client with the session cookie and CSRF token, and the in-process preparation of accounts and archives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../../server/app.js';
import { prepareDatabase } from '../../../server/prepare-database.js';
import { systemClock } from '../../../server/platform/clock.js';
import { loadConfig } from '../../../server/platform/config.js';
import { buildRegionTree, buildUser, familyInput, type RegionTree, type TestUser } from '../../support/factories.js';
import { TEST_MASTER_KEY, testCrypto } from '../../support/test-app.js';
import { uniqueIdNumber } from '../../support/uploads.js';

/**
 * familyInput with an ID number never used before in this process (the factory's numbers repeat after 500
 * people of one birth date, which a load run passes).
 */
export function uniqueFamily(village: string) {
  return familyInput(village, {
    members: [{ relation: 'mother', name: '张秀英', idNumber: uniqueIdNumber('female') }],
  });
}

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  base: string;
  proc: ChildProcess;
  /** stdout + stderr so far (the server logs at warn level). */
  output(): string;
  /** SIGKILL (kill -9) and wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM (drain, checkpoint) and wait for the exit. */
  stop(): Promise<void>;
}

export async function startServer(opts: { databaseUrl: string; dataDir: string; env?: Record<string, string> }) {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/main.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: opts.dataDir,
      DATABASE_URL: opts.databaseUrl,
      GUANHUAI_DEMO: 'false',
      GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
      SERVE_WEB: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited at start (${proc.exitCode}): ${out}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) {
      proc.kill('SIGKILL');
      throw new Error(`server not ready after 60 s: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const server: RunningServer = {
    base,
    proc,
    output: () => out,
    kill9: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
  return server;
}

export interface HttpAnswer {
  status: number;
  body: string;
  json<T = { data: Record<string, unknown> }>(): T;
}

/** A signed-in client of a running server. */
export class HttpSession {
  constructor(
    readonly base: string,
    readonly cookie: string,
    readonly csrfToken: string,
  ) {}

  static async login(base: string, user: { username: string; password: string }): Promise<HttpSession> {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    if (res.status !== 200) throw new Error(`login ${user.username}: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    const body = (await res.json()) as { data: { csrfToken: string } };
    return new HttpSession(base, cookie, body.data.csrfToken);
  }

  headers(json = true): Record<string, string> {
    return {
      cookie: this.cookie,
      'x-csrf-token': this.csrfToken,
      ...(json ? { 'content-type': 'application/json' } : {}),
    };
  }

  async request(method: string, url: string, body?: unknown): Promise<HttpAnswer> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: this.headers(body !== undefined),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text, json: <T>() => JSON.parse(text) as T };
  }
}

export interface PreparedWorld {
  tree: RegionTree;
  township: TestUser;
  village: TestUser;
  families: string[];
  contacts: { township: string; village: string };
}

/**
 * Accounts, `familyCount` archives with both posts, through the services (buildApp in-process over the same
 * database), then everything is closed so the child process owns the database.
 */
export async function prepareWorld(databaseUrl: string, familyCount: number): Promise<PreparedWorld> {
  const { database } = await prepareDatabase(databaseUrl, []);
  const config = { ...loadConfig({}), databaseUrl, isDemo: false, serveWeb: false };
  const app = await buildApp({ config, database, crypto: testCrypto(), clock: systemClock });
  try {
    await app.ready();
    const tree = await buildRegionTree(database.db);
    const township = await buildUser(database.db, 'township_staff', tree.township);
    const village = await buildUser(database.db, 'village_staff', tree.village);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: township.username, password: township.password },
    });
    const headers = {
      cookie: String(login.headers['set-cookie']).split(';')[0],
      'x-csrf-token': login.json().data.csrfToken as string,
    };
    const post = async (url: string, payload: Record<string, unknown>, method: 'POST' | 'PUT' = 'POST') => {
      const res = await app.inject({ method, url, headers, payload });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json().data as { id: string };
    };
    const phone = (i: number) => `139${String(20_000_000 + i).slice(-8)}`;
    const tc = await post('/api/v1/contacts', {
      name: '乡镇联系人',
      phone: phone(1),
      post: 'township_cadre',
      regionCode: tree.township,
    });
    const vc = await post('/api/v1/contacts', {
      name: '村联系人',
      phone: phone(2),
      post: 'village_cadre',
      regionCode: tree.village,
    });
    const families: string[] = [];
    for (let i = 0; i < familyCount; i += 1) {
      const f = await post('/api/v1/families', uniqueFamily(tree.village));
      await post(`/api/v1/families/${f.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id }, 'PUT');
      families.push(f.id);
    }
    return { tree, township, village, families, contacts: { township: tc.id, village: vc.id } };
  } finally {
    await app.close();
    await database.close();
  }
}
