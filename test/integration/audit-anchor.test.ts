import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { prepareDatabase } from '../../server/prepare-database.js';
import { auditSecurityEvent } from '../../server/platform/audit/security-events.js';
import { loadConfig } from '../../server/platform/config.js';
import { anchorAtShutdown } from '../../server/platform/jobs.js';
import { buildRegionTree, buildUser, TEST_PASSWORD, type RegionTree } from '../support/factories.js';
import { createTestApp, TEST_MASTER_KEY, testCrypto, type Session, type TestApp } from '../support/test-app.js';
import { createTestDatabase, TEST_DIALECT } from '../support/test-db.js';

/** Issue 10 item 5: the chain head anchored outside the database, so a cut-off tail or a TRUNCATE shows. */
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

let t: TestApp;
let tree: RegionTree;
let auditor: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  auditor = await t.signIn('auditor', tree.province);
});
afterAll(() => t.close());

async function someWrites(n: number) {
  const user = await buildUser(t.db, 'county_staff', tree.county);
  for (let i = 0; i < n; i += 1)
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: 'Wrong-1x' },
    });
}

const verify = async () => (await auditor.get('/api/v1/audit-events/verify')).json().data;
const chainLength = async () =>
  Number(
    (
      await t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('chain_seq').as('n'))
        .executeTakeFirst()
    )?.n,
  );
const checkpoint = () => t.app.platform.anchor.checkpoint(t.db, t.app.platform.audit);

async function withoutGuards(run: () => Promise<unknown>) {
  if (TEST_DIALECT === 'sqlite') {
    await sql`drop trigger audit_events_no_delete`.execute(t.db);
    await run();
    await sql`create trigger audit_events_no_delete before delete on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(t.db);
  } else {
    await sql`alter table audit_events disable trigger audit_events_no_change`.execute(t.db);
    await run();
    await sql`alter table audit_events enable trigger audit_events_no_change`.execute(t.db);
  }
}

describe('the audit anchor', () => {
  it('writes signed checkpoints to its file, and verify shows the newest', async () => {
    await someWrites(3);
    const cp = await checkpoint();
    expect(cp).toMatchObject({ v: 1, count: await chainLength(), mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const file = t.config.auditAnchorFile!;
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(path.dirname(file)).not.toBe(path.dirname(t.config.databaseUrl.replace(/^sqlite:/, '')));
    const result = await verify();
    expect(result).toMatchObject({
      ok: true,
      brokenAt: null,
      anchor: 'matches',
      checkpoint: { count: cp!.count, headHash: cp!.headHash, at: cp!.at },
    });
    // The minute's job adds nothing while nothing moved.
    expect(await t.app.platform.anchor.checkpointIfMoved(t.db, t.app.platform.audit)).toBeNull();
  });

  it('reports the newest rows deleted (trigger dropped), by position', async () => {
    await someWrites(2);
    const cp = (await checkpoint())!;
    await withoutGuards(() => sql`delete from audit_events where chain_seq > ${cp.count - 3}`.execute(t.db));
    const result = await verify();
    expect(result).toMatchObject({
      ok: false,
      brokenAt: null,
      anchor: 'rows_missing',
      missingFrom: cp.count - 2,
      missingTo: cp.count,
    });
  });

  it('reports a checkpoint line edited in the file', async () => {
    const file = t.config.auditAnchorFile!;
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { count: number };
    fs.appendFileSync(file, JSON.stringify({ ...last, count: last.count - 3 }) + '\n');
    expect(await verify()).toMatchObject({ ok: false, anchor: 'signature_invalid' });
    fs.writeFileSync(file, lines.join('\n') + '\n');
  });

  it.runIf(TEST_DIALECT === 'postgres')(
    'PostgreSQL refuses TRUNCATE; a TRUNCATE without the trigger is reported',
    async () => {
      await someWrites(1);
      await expect(sql`truncate audit_events`.execute(t.db)).rejects.toThrow(/append-only/);
      const before = (await checkpoint())!;
      await sql`drop trigger audit_events_no_truncate on audit_events`.execute(t.db);
      await sql`truncate audit_events`.execute(t.db);
      const result = await verify();
      expect(result).toMatchObject({ ok: false, anchor: 'rows_missing', missingFrom: 1, missingTo: before.count });
    },
  );

  it('at a graceful shutdown, writes the counted denials and a final checkpoint', async () => {
    await auditSecurityEvent(t.app.platform, { kind: 'throttled', origin: { ip: '198.51.100.7', username: 'x' } });
    await anchorAtShutdown(t.app.platform);
    const last = JSON.parse(fs.readFileSync(t.config.auditAnchorFile!, 'utf8').trim().split('\n').at(-1)!);
    const head = await t.db
      .selectFrom('audit_events')
      .select(['chain_seq', 'action'])
      .orderBy('chain_seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(head.action).toBe('security.throttled');
    expect(last.count).toBe(head.chain_seq);
  });
});

describe('npm run audit:verify on a stopped database', () => {
  it('finds the newest rows deleted from the stopped database file (or PostgreSQL), by position', async () => {
    const testDb = await createTestDatabase();
    const anchorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-anchor-'));
    const anchorFile = path.join(anchorDir, 'audit-anchor.log');
    try {
      const { database } = await prepareDatabase(testDb.url, []);
      const config = {
        ...loadConfig({}),
        databaseUrl: testDb.url,
        isDemo: false,
        serveWeb: false,
        auditAnchorFile: anchorFile,
      };
      const app = await buildApp({ config, database, crypto: testCrypto() });
      const region = await buildRegionTree(database.db);
      const user = await buildUser(database.db, 'county_staff', region.county);
      for (let i = 0; i < 6; i += 1)
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: user.username, password: i % 2 ? TEST_PASSWORD : 'Wrong-1x' },
        });
      await app.close();
      await anchorAtShutdown(app.platform);
      await database.close();
      const count = (JSON.parse(fs.readFileSync(anchorFile, 'utf8').trim()) as { count: number }).count;
      expect(count).toBeGreaterThanOrEqual(6);

      const env = {
        ...process.env,
        DATABASE_URL: testDb.url,
        GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
        GUANHUAI_DEMO: '0',
        AUDIT_ANCHOR_FILE: anchorFile,
      };
      const verifyCli = () =>
        run(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/audit-verify.ts'], { cwd: ROOT, env }).then(
          (r) => ({ code: 0, ...r }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        );
      const intact = await verifyCli();
      expect(intact.code).toBe(0);
      expect(intact.stdout).toContain('审计日志完整');

      // With file (or database) access: drop the guard, cut off the newest 2 rows.
      if (TEST_DIALECT === 'sqlite') {
        const raw = new SqliteDatabase(testDb.url.replace(/^sqlite:/, ''));
        raw.exec('drop trigger audit_events_no_delete');
        raw.prepare('delete from audit_events where chain_seq > ?').run(count - 2);
        raw.close();
      } else {
        const raw = new pg.Client({ connectionString: testDb.url });
        await raw.connect();
        await raw.query('alter table audit_events disable trigger audit_events_no_change');
        await raw.query('delete from audit_events where chain_seq > $1', [count - 2]);
        await raw.end();
      }
      const cut = await verifyCli();
      expect(cut.code).toBe(1);
      expect(cut.stderr).toContain(`第 ${count - 1}–${count} 条已被删除`);
    } finally {
      await testDb.drop();
      fs.rmSync(anchorDir, { recursive: true, force: true });
    }
  }, 60_000);
});
