import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditAnchor } from '../../server/platform/audit/anchor.js';
import { AuditLog } from '../../server/platform/audit/audit-log.js';
import {
  BACKUP_NAME,
  createBackup,
  listBackups,
  pruneBackups,
  type BackupDeps,
} from '../../server/platform/backup/backup.js';
import { sqliteDigests } from '../../server/platform/backup/digests.js';
import { BackupCheckError, type Manifest } from '../../server/platform/backup/format.js';
import { drill, restoreBackup } from '../../server/platform/backup/restore.js';
import { createSoftwareCryptoProvider } from '../../server/platform/crypto/software-provider.js';
import { loadKeySet } from '../../server/platform/crypto/keys.js';
import { buildRegionTree, familyInput } from '../support/factories.js';
import { createTestApp, TEST_MASTER_KEY, type TestApp } from '../support/test-app.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/test-db.js';

/**
 * Backups, restores and drills on the test dialect (issue 18 parts 1–2): the file, its manifest, a restore that
 * checks every digest and the audit chain, and each fault refused naming its first failed check.
 */
let t: TestApp;
let dir: string;
let deps: BackupDeps;
const targets: TestDatabase[] = [];

async function emptyTarget(): Promise<string> {
  const d = await createTestDatabase();
  targets.push(d);
  return d.url;
}

async function refusal(p: Promise<unknown>): Promise<BackupCheckError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BackupCheckError);
  return e as BackupCheckError;
}

function copyWith(file: string, name: string, change: (b: Buffer) => Buffer): string {
  const out = path.join(dir, 'faults', name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, change(fs.readFileSync(file)));
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-backup-'));
  const tree = await buildRegionTree(t.db);
  const village = await t.signIn('village_staff', tree.village);
  for (let i = 0; i < 3; i++) {
    const res = await village.post('/api/v1/families', familyInput(tree.village));
    expect(res.statusCode).toBe(201);
  }
  const p = t.app.platform;
  await p.audit.seal(p.db);
  deps = {
    crypto: p.crypto,
    clock: p.clock,
    audit: p.audit,
    dialect: p.dialect,
    databaseUrl: t.config.databaseUrl,
    db: p.db,
    backupDir: path.join(dir, 'backups'),
    keep: 3,
    appVersion: '0.1.0',
  };
}, 60_000);

afterAll(async () => {
  await t?.close();
  for (const d of targets) await d.drop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`backup and restore (${TEST_DIALECT})`, () => {
  let file: string;
  let manifest: Manifest;

  it('writes one encrypted file with a manifest of tables, counts, digests, the audit head and the schema', async () => {
    const head = await t.db
      .selectFrom('audit_events')
      .select(['chain_seq', 'hash'])
      .where('chain_seq', 'is not', null)
      .orderBy('chain_seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const r = await createBackup(deps, 'cli');
    file = r.file;
    manifest = r.manifest;
    expect(path.basename(file)).toMatch(BACKUP_NAME);
    // Only the complete file is left: no partial name, no clear snapshot, no lock.
    expect(fs.readdirSync(deps.backupDir)).toEqual([path.basename(file)]);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const families = manifest.tables.find((x) => x.name === 'families')!;
    expect(families.rows).toBe(3);
    expect(families.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.auditHead).toEqual({ count: head.chain_seq, hash: head.hash });
    const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(t.db);
    expect(manifest.schema.migrations).toEqual(migrations.rows.map((r) => r.name));
    expect(manifest.dialect).toBe(TEST_DIALECT);
    // Encrypted: a name written into a family is nowhere in the file.
    expect(fs.readFileSync(file).includes(Buffer.from('保成路'))).toBe(false);
    // Recorded, with its audit row.
    const run = await t.db.selectFrom('backup_runs').selectAll().where('kind', '=', 'backup').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ verdict: 'ok', file: path.basename(file), bytes: fs.statSync(file).size });
    const audited = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'backup.create')
      .execute();
    expect(audited).toHaveLength(1);
  });

  it('restores into an empty database and verifies every digest and the audit chain to the head', async () => {
    const target = await emptyTarget();
    const r = await restoreBackup(deps.crypto, deps.clock, file, target);
    expect(r.passed).toEqual([
      'format',
      'truncated',
      'key',
      'integrity',
      'schema',
      'dialect',
      'target_not_empty',
      'load',
      'integrity_check',
      'digests',
      'audit_chain',
    ]);
    expect(r.auditChecked).toBeGreaterThanOrEqual(manifest.auditHead!.count);
  });

  it('refuses a non-empty target', async () => {
    const e = await refusal(restoreBackup(deps.crypto, deps.clock, file, t.config.databaseUrl));
    expect(e.check).toBe('target_not_empty');
  });

  it('refuses a truncated file, one flipped byte, and another deployment’s key', async () => {
    const truncated = copyWith(file, 'truncated.ghbk', (b) => b.subarray(0, b.length - 1000));
    expect((await refusal(restoreBackup(deps.crypto, deps.clock, truncated, await emptyTarget()))).check).toBe(
      'truncated',
    );
    const flipped = copyWith(file, 'flipped.ghbk', (b) => {
      const c = Buffer.from(b);
      c[Math.floor(c.length * 0.6)] ^= 0x01;
      return c;
    });
    const target = await emptyTarget();
    expect((await refusal(restoreBackup(deps.crypto, deps.clock, flipped, target))).check).toBe('integrity');
    // Refused before anything reached the target.
    expect(fs.existsSync(target.replace(/^sqlite:/, '')) && TEST_DIALECT === 'sqlite').toBe(false);
    // A byte of the manifest (a row count) changed: the tag covers the header too.
    const manifestEdit = copyWith(file, 'manifest.ghbk', (b) => {
      const s = b.toString('latin1');
      const i = s.indexOf('"rows":3,');
      expect(i).toBeGreaterThan(0);
      return Buffer.from(s.slice(0, i) + '"rows":4,' + s.slice(i + 9), 'latin1');
    });
    expect((await refusal(restoreBackup(deps.crypto, deps.clock, manifestEdit, await emptyTarget()))).check).toBe(
      'integrity',
    );
    const other = createSoftwareCryptoProvider(
      loadKeySet({ masterKeyHex: 'ff'.repeat(16) + TEST_MASTER_KEY.slice(32), allowGenerate: false }),
    );
    expect((await refusal(restoreBackup(other, deps.clock, file, await emptyTarget()))).check).toBe('key');
    const notBackup = copyWith(file, 'not.ghbk', () => Buffer.from('PK\x03\x04 an archive'));
    expect((await refusal(restoreBackup(deps.crypto, deps.clock, notBackup, await emptyTarget()))).check).toBe(
      'format',
    );
  });

  it('refuses a backup of a newer schema', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2099-01-01T00:00:00.000Z')`.execute(
      t.db,
    );
    try {
      const newer = await createBackup({ ...deps, backupDir: path.join(dir, 'newer') }, 'cli');
      const e = await refusal(restoreBackup(deps.crypto, deps.clock, newer.file, await emptyTarget()));
      expect(e.check).toBe('schema');
      expect(e.message).toContain('9999-from-the-future');
    } finally {
      await sql`delete from kysely_migration where name = '9999-from-the-future'`.execute(t.db);
    }
  });

  it('refuses a backup overlapping one under way, and keeps BACKUP_KEEP files', async () => {
    const results = await Promise.allSettled([createBackup(deps, 'scheduler'), createBackup(deps, 'cli')]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(((refused[0] as PromiseRejectedResult).reason as BackupCheckError).check).toBe('overlap');
    for (let i = 0; i < 3; i++) await createBackup(deps, 'cli');
    expect(listBackups(deps.backupDir)).toHaveLength(3);
    expect(pruneBackups(deps.backupDir, 1)).toHaveLength(2);
    expect(listBackups(deps.backupDir)).toHaveLength(1);
    file = listBackups(deps.backupDir)[0].file;
  });

  it('drills: restores into a scratch database, verifies, deletes it and records the verdict', async () => {
    const before = await t.db.selectFrom('audit_events').select('seq').where('action', '=', 'backup.drill').execute();
    const r = await drill(deps, file, 'cli');
    expect(r.passed.at(-1)).toBe('audit_chain');
    const flipped = copyWith(file, 'drill-flipped.ghbk', (b) => {
      const c = Buffer.from(b);
      c[c.length - 5] ^= 0x80;
      return c;
    });
    expect((await refusal(drill(deps, flipped, 'cli'))).check).toBe('integrity');
    const runs = await t.db
      .selectFrom('backup_runs')
      .select(['verdict', 'file'])
      .where('kind', '=', 'drill')
      .orderBy('finished_at')
      .execute();
    expect(runs.map((x) => x.verdict)).toEqual(['ok', 'integrity']);
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['outcome'])
      .where('action', '=', 'backup.drill')
      .orderBy('seq')
      .execute();
    expect(audited.length - before.length).toBe(2);
    expect(audited.slice(-2).map((a) => a.outcome)).toEqual(['success', 'failure']);
    // The chain still holds with the drill rows in it.
    const v = await new AuditLog(deps.crypto, deps.dialect, deps.clock).verify(t.db);
    expect(v.ok).toBe(true);
    if (TEST_DIALECT === 'postgres') {
      const left = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_database where datname like 'guanhuai_drill_%'`.execute(t.db);
      expect(left.rows[0].n).toBe(0);
    }
  });
});

describe('canonical table digests', () => {
  it('change with one changed value and not with row order', async () => {
    if (TEST_DIALECT !== 'sqlite') return;
    const target = await emptyTarget();
    await restoreBackup(deps.crypto, deps.clock, listBackups(deps.backupDir)[0].file, target);
    const file = target.replace(/^sqlite:/, '');
    const before = sqliteDigests(deps.crypto, file).tables.find((x) => x.name === 'families')!;
    const Sqlite = (await import('better-sqlite3')).default;
    const db = new Sqlite(file);
    // The same rows in another physical order: the digest is of the multiset.
    db.pragma('foreign_keys = off');
    db.exec(
      'create table f2 as select * from families order by id desc; delete from families; insert into families select * from f2; drop table f2;',
    );
    const reordered = sqliteDigests(deps.crypto, file).tables.find((x) => x.name === 'families')!;
    db.prepare("update families set address = address || '号' where rowid = (select min(rowid) from families)").run();
    db.close();
    const changed = sqliteDigests(deps.crypto, file).tables.find((x) => x.name === 'families')!;
    expect(reordered.sm3).toBe(before.sm3);
    expect(changed.rows).toBe(before.rows);
    expect(changed.sm3).not.toBe(before.sm3);
  });
});

describe('the command line (npm run backup / npm run restore)', () => {
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}, ulimitKb?: number) => {
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      GUANHUAI_DEMO: 'false',
      GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
      DATABASE_URL: t.config.databaseUrl,
      BACKUP_DIR: path.join(dir, 'cli'),
      AUDIT_ANCHOR_FILE: path.join(dir, 'cli-anchor.log'),
      ...extra,
    };
    const cmd = `${ulimitKb ? `ulimit -f ${ulimitKb}; ` : ''}exec node scripts/launch.mjs ${args.map((a) => `'${a}'`).join(' ')}`;
    const r = spawnSync('bash', ['-c', cmd], { env, encoding: 'utf8', timeout: 120_000 });
    const lines = r.stdout.trim().split('\n');
    return { status: r.status, last: lines.at(-1) ?? '', stdout: r.stdout, stderr: r.stderr };
  };

  it('prints the file as its last line, restores with OK, and refuses with the failed check', () => {
    const b = run(['server/cli/backup.ts']);
    expect(b.status, b.stderr).toBe(0);
    expect(fs.existsSync(b.last)).toBe(true);
    expect(path.basename(b.last)).toMatch(BACKUP_NAME);
    const target = TEST_DIALECT === 'sqlite' ? `sqlite:${path.join(dir, 'cli-restored', 'r.db')}` : undefined;
    if (target) {
      const r = run(['server/cli/restore.ts', b.last, '--to', target]);
      expect(r.status, r.stdout).toBe(0);
      expect(r.last).toMatch(/^OK /);
      const again = run(['server/cli/restore.ts', b.last, '--to', target]);
      expect(again.status).toBe(1);
      expect(again.last).toMatch(/^FAILED target_not_empty: /);
    }
    const d = run(['server/cli/restore.ts', b.last, '--drill']);
    expect(d.status, d.stdout).toBe(0);
    expect(d.last).toMatch(/^OK drill/);
  }, 120_000);

  it('refuses when the disk fills during the backup and leaves nothing that looks like a backup', () => {
    const backupDir = path.join(dir, 'full');
    const size = TEST_DIALECT === 'sqlite' ? fs.statSync(t.config.databaseUrl.replace(/^sqlite:/, '')).size : 0;
    // A file-size limit below the snapshot's size (bash `ulimit -f`, 1 KiB blocks): writes fail with EFBIG as on a full disk.
    const limitKb = TEST_DIALECT === 'sqlite' ? Math.max(8, Math.floor(size / 2048)) : 16;
    const r = run(['server/cli/backup.ts'], { BACKUP_DIR: backupDir }, limitKb);
    expect(r.status).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toMatch(/FAILED disk_full: /);
    expect(listBackups(backupDir)).toEqual([]);
    expect(fs.readdirSync(backupDir).filter((n) => !n.startsWith('.backup.lock'))).toEqual([]);
  }, 60_000);
});

// Last in the file: it cuts the newest audit rows off the shared database.
describe('the audit anchor in backups (issue 10 item 5)', () => {
  it('carries the newest checkpoint; a backup taken after the newest audit rows were cut off fails at audit_anchor', async () => {
    const anchor = new AuditAnchor(path.join(dir, 'anchor.log'), deps.crypto, deps.clock);
    const withAnchor: BackupDeps = { ...deps, backupDir: path.join(dir, 'anchored'), anchor };
    const cp = (await anchor.checkpoint(deps.db, deps.audit))!;
    expect(cp.count).toBeGreaterThan(2);
    const kept = await createBackup(withAnchor, 'cli');
    expect(kept.manifest.auditAnchor).toEqual(cp);
    const restored = await restoreBackup(deps.crypto, deps.clock, kept.file, await emptyTarget());
    expect(restored.passed.at(-1)).toBe('audit_anchor');

    // An intruder with database access deletes the newest rows behind the append-only trigger's back: the chain
    // left is still a valid chain, so only the anchor shows it.
    const guard = TEST_DIALECT === 'sqlite' ? 'audit_events_no_delete' : 'audit_events_no_change';
    if (TEST_DIALECT === 'sqlite') await sql.raw(`drop trigger ${guard}`).execute(t.db);
    else await sql.raw(`alter table audit_events disable trigger ${guard}`).execute(t.db);
    await sql`delete from audit_events where chain_seq > ${cp.count - 2}`.execute(t.db);
    if (TEST_DIALECT === 'sqlite')
      await sql`create trigger audit_events_no_delete before delete on audit_events
        begin select raise(abort, 'audit_events is append-only'); end`.execute(t.db);
    else await sql.raw(`alter table audit_events enable trigger ${guard}`).execute(t.db);

    const cut = await createBackup(withAnchor, 'cli');
    expect(cut.manifest.auditAnchor).toEqual(cp);
    const e = await refusal(restoreBackup(deps.crypto, deps.clock, cut.file, await emptyTarget()));
    expect(e.check).toBe('audit_anchor');

    // A checkpoint edited in the manifest cannot pass either: the file's HMAC covers the manifest, and the
    // checkpoint's own signature is checked (here: one signed under another deployment's key).
    const other = createSoftwareCryptoProvider(loadKeySet({ masterKeyHex: 'ab'.repeat(32), allowGenerate: false }));
    const foreign = new AuditAnchor(path.join(dir, 'foreign.log'), other, deps.clock);
    await foreign.checkpoint(deps.db, deps.audit);
    const forged = await createBackup(
      { ...withAnchor, anchor: new AuditAnchor(foreign.file, deps.crypto, deps.clock) },
      'cli',
    );
    expect(forged.manifest.auditAnchor).toBeNull();
  }, 60_000);
});
