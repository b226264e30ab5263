import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../server/app.js';
import { prepareDatabase } from '../../server/prepare-database.js';
import { ManualClock } from '../../server/platform/clock.js';
import { loadConfig, type Config } from '../../server/platform/config.js';
import { createSoftwareCryptoProvider } from '../../server/platform/crypto/software-provider.js';
import { loadKeySet } from '../../server/platform/crypto/keys.js';
import type { DatabaseHandle, Db } from '../../server/platform/db/database.js';
import type { Role } from '../../common/roles.js';
import { buildUser, type TestUser } from './factories.js';
import { createTestDatabase } from './test-db.js';

export const TEST_MASTER_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

export function testCrypto() {
  return createSoftwareCryptoProvider(loadKeySet({ masterKeyHex: TEST_MASTER_KEY, allowGenerate: false }));
}

type Body = Record<string, unknown> | unknown[] | undefined;

/** A signed-in client: carries the session cookie and the CSRF token like the web app does. */
export class Session {
  constructor(
    private readonly app: FastifyInstance,
    readonly cookie: string,
    readonly csrfToken: string,
    readonly user: { id: string; username: string; role: Role; regionCode: string },
  ) {}

  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: Body,
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method,
      url,
      headers: { cookie: this.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrfToken }) },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  }
  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: Body) {
    return this.request('POST', url, body ?? {});
  }
  patch(url: string, body: Body) {
    return this.request('PATCH', url, body);
  }
  put(url: string, body: Body) {
    return this.request('PUT', url, body);
  }
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  clock: ManualClock;
  config: Config;
  login(user: { username: string; password: string }): Promise<Session>;
  /** A user of the given role at the region, signed in. */
  signIn(role: Role, regionCode: string): Promise<Session & { account: TestUser }>;
  close(): Promise<void>;
}

/** A whole app on a fresh database (SQLite or PostgreSQL per TEST_DIALECT), with a clock tests can move. */
export async function createTestApp(
  opts: {
    config?: Partial<Config>;
    provinces?: string[];
    /** The run's dialect unless told. */
    dialect?: 'sqlite' | 'postgres';
    /** The handle the app is built over, e.g. one that records the statements it issues. */
    wrapDatabase?: (database: DatabaseHandle) => DatabaseHandle;
  } = {},
): Promise<TestApp> {
  const testDb = await createTestDatabase(opts.dialect);
  const { database } = await prepareDatabase(testDb.url, opts.provinces ?? []);
  // The audit anchor of this test app: its own file, outside the database's directory like in production.
  const anchorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-anchor-'));
  const config: Config = {
    ...loadConfig({}),
    databaseUrl: testDb.url,
    isDemo: false,
    serveWeb: false,
    auditAnchorFile: path.join(anchorDir, 'audit-anchor.log'),
    ...opts.config,
  };
  const clock = new ManualClock();
  const app = await buildApp({
    config,
    database: opts.wrapDatabase ? opts.wrapDatabase(database) : database,
    crypto: testCrypto(),
    clock,
  });
  await app.ready();

  async function login(user: { username: string; password: string }): Promise<Session> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: user.password },
    });
    if (res.statusCode !== 200) throw new Error(`login failed for ${user.username}: ${res.statusCode} ${res.body}`);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const body = res.json<{ data: { csrfToken: string; user: Session['user'] } }>();
    return new Session(app, cookie, body.data.csrfToken, body.data.user);
  }

  return {
    app,
    db: database.db,
    clock,
    config,
    login,
    async signIn(role, regionCode) {
      const account = await buildUser(database.db, role, regionCode, clock.now());
      const session = await login(account);
      return Object.assign(session, { account });
    },
    async close() {
      await app.close();
      await database.close();
      await testDb.drop();
      fs.rmSync(anchorDir, { recursive: true, force: true });
    },
  };
}
