import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { listBackups } from '../../server/platform/backup/backup.js';
import { backupJobs } from '../../server/platform/backup/schedule.js';
import { openDatabase, type DatabaseHandle } from '../../server/platform/db/database.js';
import { runExclusive } from '../../server/platform/jobs.js';
import { buildRegionTree, familyInput } from '../support/factories.js';
import { createTestApp, TEST_MASTER_KEY, testCrypto, type TestApp } from '../support/test-app.js';
import { TEST_DIALECT } from '../support/test-db.js';

/**
 * 备份与恢复 over HTTP (issue 18): the sysadmin's status with its warnings, the buttons (the same commands as
 * the console, run as child processes), the scheduler's once-per-interval rule under two instances, the
 * metrics endpoint behind its token, and readiness.
 */
let t: TestApp;
let dir: string;
const saved = { key: process.env.GUANHUAI_MASTER_KEY, demo: process.env.GUANHUAI_DEMO };

beforeAll(async () => {
  // The buttons and the scheduler start `npm run backup` as the server's child: it reads the key like the server.
  process.env.GUANHUAI_MASTER_KEY = TEST_MASTER_KEY;
  process.env.GUANHUAI_DEMO = 'false';
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-backups-api-'));
  t = await createTestApp({
    config: {
      backup: {
        dir: path.join(dir, 'backups'),
        keep: 5,
        intervalHours: 24,
        drillIntervalHours: 0,
        warnBackupHours: 26,
        warnDrillDays: 31,
      },
      metrics: { token: 'metrics-secret-token', port: null },
    },
  });
  // The backup commands record real time: the test clock starts there.
  t.clock.set(new Date());
}, 60_000);

afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.env.GUANHUAI_MASTER_KEY = saved.key;
  process.env.GUANHUAI_DEMO = saved.demo;
  if (saved.key === undefined) delete process.env.GUANHUAI_MASTER_KEY;
  if (saved.demo === undefined) delete process.env.GUANHUAI_DEMO;
});

describe('备份与恢复 page API', () => {
  it('is the sysadmin’s: status with warnings, a backup and a drill from the page, each audited with who asked', async () => {
    const tree = await buildRegionTree(t.db);
    const admin = await t.signIn('sysadmin', tree.province);
    const staff = await t.signIn('county_staff', tree.county);
    expect((await staff.get('/api/v1/backups')).statusCode).toBe(403);
    expect((await staff.post('/api/v1/backups')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/backups' })).statusCode).toBe(401);

    const before = (await admin.get('/api/v1/backups')).json().data;
    expect(before).toMatchObject({ lastBackup: null, lastSuccessfulDrill: null, backupStale: true, drillStale: true });

    const b = await admin.post('/api/v1/backups');
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().data).toMatchObject({ kind: 'backup', verdict: 'ok', trigger: 'web' });
    const noFile = await admin.post('/api/v1/backups/drill', { file: 'guanhuai-20990101T000000000Z-0000.ghbk' });
    expect(noFile.statusCode).toBe(404);
    const bad = await admin.post('/api/v1/backups/drill', { file: '../../etc/passwd' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('file');
    const d = await admin.post('/api/v1/backups/drill', {});
    expect(d.statusCode, d.body).toBe(201);
    expect(d.json().data).toMatchObject({ kind: 'drill', verdict: 'ok', file: b.json().data.file });

    const after = (await admin.get('/api/v1/backups')).json().data;
    expect(after.backupStale).toBe(false);
    expect(after.drillStale).toBe(false);
    expect(after.files.map((f: { name: string }) => f.name)).toEqual([b.json().data.file]);
    const rows = await t.db
      .selectFrom('audit_events')
      .select(['action', 'actor_username', 'outcome'])
      .where('action', 'in', ['backup.create', 'backup.drill'])
      .orderBy('seq')
      .execute();
    expect(rows).toEqual([
      { action: 'backup.create', actor_username: admin.user.username, outcome: 'success' },
      { action: 'backup.drill', actor_username: admin.user.username, outcome: 'success' },
    ]);

    // A day and more later the page warns again.
    t.clock.advance(27 * 3_600_000);
    const admin2 = await t.signIn('sysadmin', tree.province);
    const later = (await admin2.get('/api/v1/backups')).json().data;
    expect(later.backupStale).toBe(true);
    expect(later.drillStale).toBe(false);
  }, 120_000);

  it('scheduled backups run once per interval under two instances on one database', async () => {
    let second: DatabaseHandle | null = null;
    const app2 = await (async () => {
      second = openDatabase(t.config.databaseUrl);
      return buildApp({ config: t.config, database: second, crypto: testCrypto(), clock: t.clock });
    })();
    try {
      const count = async () =>
        (
          await t.db
            .selectFrom('backup_runs')
            .select('id')
            .where('kind', '=', 'backup')
            .where('verdict', '=', 'ok')
            .execute()
        ).length;
      // The child commands record real time: start from it with no backup on record.
      await t.db.deleteFrom('backup_runs').execute();
      t.clock.set(new Date());
      const start = await count();
      const jobOf = (p: typeof t.app.platform) => backupJobs(p).find((j) => j.name === 'backup')!;
      // Both instances' schedulers fire at the same moment, twice.
      for (let round = 0; round < 2; round++)
        await Promise.allSettled([
          runExclusive(t.app.platform, jobOf(t.app.platform), 9_150),
          runExclusive(app2.platform, jobOf(app2.platform), 9_150),
        ]);
      expect(await count()).toBe(start + 1);
      // Due again after the interval.
      t.clock.advance(25 * 3_600_000);
      await Promise.allSettled([
        runExclusive(t.app.platform, jobOf(t.app.platform), 9_150),
        runExclusive(app2.platform, jobOf(app2.platform), 9_150),
      ]);
      expect(await count()).toBe(start + 2);
      expect(listBackups(t.config.backup.dir).length).toBeGreaterThanOrEqual(2);
    } finally {
      await app2.close();
      await (second as DatabaseHandle | null)?.close();
    }
  }, 120_000);
});

describe('metrics and readiness', () => {
  it('GET /metrics needs the bearer token; labels are route patterns, never ids', async () => {
    const tree = await buildRegionTree(t.db);
    const village = await t.signIn('village_staff', tree.village);
    const created = await village.post('/api/v1/families', familyInput(tree.village));
    expect(created.statusCode).toBe(201);
    const id = created.json().data.id as string;
    expect((await village.get(`/api/v1/families/${id}`)).statusCode).toBe(200);
    expect((await village.get(`/api/v1/families/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);

    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-secret-token' },
    });
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).toMatch(
      /guanhuai_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/families\/:id",status_code="200"\} [1-9]/,
    );
    expect(text).toMatch(/guanhuai_http_errors_total\{code="NOT_FOUND"\} [1-9]/);
    expect(text).toMatch(/guanhuai_db_pool_connections\{state="total"\} \d/);
    expect(text).toMatch(/guanhuai_audit_unsealed_rows \d/);
    expect(text).toMatch(/guanhuai_backup_age_seconds -?\d/);
    expect(text).not.toContain(id);
    expect(text).not.toContain(tree.village);
  });

  it('is not served on the main port without METRICS_TOKEN; readiness names pending migrations', async () => {
    const plain = await createTestApp();
    try {
      expect((await plain.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      const ready = await plain.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', database: true, pendingMigrations: [] });
      await plain.db
        .deleteFrom('kysely_migration' as never)
        .where('name' as never, '=', '0021-backups' as never)
        .execute();
      const notReady = await plain.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json().pendingMigrations).toEqual(['0021-backups']);
    } finally {
      await plain.close();
    }
  });
});

void TEST_DIALECT;
