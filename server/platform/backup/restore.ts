import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { AuditAnchor, type Checkpoint } from '../audit/anchor.js';
import { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { CryptoProvider } from '../crypto/crypto-provider.js';
import { dialectOf, openDatabase, type Db } from '../db/database.js';
import { knownMigrations } from '../db/migrate.js';
import { withDatabaseKeyVersions } from '../rekey/key-versions.js';
import { postgresDigests, sqliteDigests, type AuditHead, type TableDigest } from './digests.js';
import { BackupCheckError, decryptPayload, readHeader, type Manifest } from './format.js';
import { recordRun, type RunRecord } from './runs.js';

export interface RestoreResult {
  manifest: Manifest;
  /** The checks that held, in order. */
  passed: string[];
  durationMs: number;
  auditChecked: number;
}

type Log = (line: string) => void;

/**
 * Restores a backup into an empty database and verifies it. Checks, in order (the first that fails is named):
 * `file`, `format`, `truncated`, `key`, `integrity` (HMAC-SM3 over the whole file, and the payload's SM3),
 * `schema` (no migration this build does not know), `dialect`, `target_not_empty`, `load`, `integrity_check`
 * (SQLite `PRAGMA integrity_check`), `digests` (every table's row count and SM3 of its canonical content — a full
 * read of every table), `audit_chain` (the chain walked and its head equal to the recorded head), `audit_anchor`
 * (when the manifest carries the anchor's newest checkpoint: validly signed, and its head is in the restored chain).
 */
export async function restoreBackup(
  crypto: CryptoProvider,
  clock: Clock,
  file: string,
  targetUrl: string,
  log: Log = () => undefined,
): Promise<RestoreResult> {
  const started = Date.now();
  const passed: string[] = [];
  const pass = (check: string, note = '') => {
    passed.push(check);
    log(`✓ ${check}${note ? `  ${note}` : ''}`);
  };
  const parsed = readHeader(file, crypto);
  pass('format');
  pass('truncated', `${parsed.size} bytes`);
  pass('key');
  const { manifest } = parsed.header;
  const targetDialect = dialectOf(targetUrl);
  // The decrypted payload goes beside a SQLite target (renamed into place) or to the temporary directory.
  const scratchParent = targetDialect === 'sqlite' ? path.dirname(sqlitePath(targetUrl)) : os.tmpdir();
  fs.mkdirSync(scratchParent, { recursive: true, mode: 0o700 });
  const scratch = fs.mkdtempSync(path.join(scratchParent, '.restore-'));
  const payload = path.join(scratch, 'payload');
  try {
    const { sm3, bytes } = await decryptPayload(file, crypto, parsed, payload);
    if (sm3 !== manifest.payload.sm3 || bytes !== manifest.payload.bytes)
      throw new BackupCheckError('integrity', 'the decrypted payload differs from the manifest');
    pass('integrity', 'HMAC-SM3 + SM3');
    const known = new Set(knownMigrations(manifest.dialect));
    const unknown = manifest.schema.migrations.filter((m) => !known.has(m));
    if (unknown.length > 0)
      throw new BackupCheckError(
        'schema',
        `the backup is of a newer schema (${unknown.join(', ')}): restore it with the version that wrote it (${manifest.app.version}) or later`,
      );
    pass('schema', manifest.schema.latest ?? '');
    if (manifest.dialect !== targetDialect)
      throw new BackupCheckError('dialect', `a ${manifest.dialect} backup cannot be restored into ${targetDialect}`);
    pass('dialect');
    await assertEmpty(targetUrl);
    pass('target_not_empty', 'the target is empty');
    let restored: { tables: TableDigest[]; auditHead: AuditHead | null };
    if (targetDialect === 'sqlite') {
      const target = sqlitePath(targetUrl);
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(target + suffix, { force: true });
      fs.renameSync(payload, target);
      pass('load');
      const db = new SqliteDatabase(target, { fileMustExist: true });
      const check = db.pragma('integrity_check', { simple: true });
      db.close();
      if (check !== 'ok') throw new BackupCheckError('integrity_check', `PRAGMA integrity_check: ${String(check)}`);
      pass('integrity_check');
      restored = sqliteDigests(crypto, target);
    } else {
      await runPgRestore(targetUrl, payload);
      pass('load');
      pass('integrity_check', 'PostgreSQL: the full read of every table below');
      const client = new pg.Client({ connectionString: targetUrl });
      await client.connect();
      try {
        await client.query('begin isolation level repeatable read read only');
        restored = await postgresDigests(crypto, client);
        await client.query('commit');
      } finally {
        await client.end();
      }
    }
    compareDigests(manifest.tables, restored.tables);
    pass('digests', `${manifest.tables.length} tables, ${manifest.totalRows} rows`);
    // Rows and checkpoints made before a master-key rotation verify under the retired key versions the restored
    // database keeps (sealed under the current key): the restored key versions, not the bare key, check them.
    const versioned = await restoredKeyVersions(crypto, targetUrl);
    const auditChecked = await verifyChain(versioned, clock, targetUrl, manifest.auditHead);
    pass('audit_chain', `${auditChecked} rows to head ${manifest.auditHead?.count ?? 0}`);
    if (manifest.auditAnchor) {
      await checkAnchor(versioned, clock, targetUrl, manifest.auditAnchor);
      pass('audit_anchor', `checkpoint ${manifest.auditAnchor.count} of ${manifest.auditAnchor.at}`);
    }
    return { manifest, passed, durationMs: Date.now() - started, auditChecked };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function sqlitePath(url: string): string {
  return path.resolve(url.replace(/^sqlite:/, ''));
}

async function assertEmpty(url: string): Promise<void> {
  if (dialectOf(url) === 'sqlite') {
    const file = sqlitePath(url);
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) return;
    const db = new SqliteDatabase(file, { readonly: true });
    try {
      const { n } = db.prepare(`select count(*) as n from sqlite_master where type in ('table', 'view')`).get() as {
        n: number;
      };
      if (n > 0) throw new BackupCheckError('target_not_empty', `the target database already holds ${n} tables`);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new BackupCheckError('target', `cannot connect to the target database (${(e as Error).message})`);
  }
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
    );
    if (rows[0].n > 0)
      throw new BackupCheckError('target_not_empty', `the target database already holds ${rows[0].n} tables`);
  } finally {
    await client.end();
  }
}

function runPgRestore(url: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'pg_restore',
      ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '-d', url, file],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) =>
      reject(new BackupCheckError('load', `pg_restore could not start (${(e as NodeJS.ErrnoException).code})`)),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new BackupCheckError('load', `pg_restore failed (${code}): ${stderr.trim().split('\n')[0] ?? ''}`)),
    );
  });
}

function compareDigests(expected: TableDigest[], actual: TableDigest[]): void {
  const got = new Map(actual.map((t) => [t.name, t]));
  for (const t of expected) {
    const a = got.get(t.name);
    if (!a) throw new BackupCheckError('digests', `table ${t.name} is missing after the restore`);
    if (a.rows !== t.rows)
      throw new BackupCheckError('digests', `table ${t.name} has ${a.rows} rows, the manifest says ${t.rows}`);
    if (a.sm3 !== t.sm3) throw new BackupCheckError('digests', `table ${t.name}: its content digest differs`);
    got.delete(t.name);
  }
  if (got.size > 0) throw new BackupCheckError('digests', `tables not in the manifest: ${[...got.keys()].join(', ')}`);
}

async function restoredKeyVersions(crypto: CryptoProvider, url: string): Promise<CryptoProvider> {
  const database = openDatabase(url);
  try {
    return await withDatabaseKeyVersions(database.db, crypto);
  } catch (e) {
    throw new BackupCheckError('key', e instanceof Error ? e.message : String(e));
  } finally {
    await database.close();
  }
}

async function verifyChain(crypto: CryptoProvider, clock: Clock, url: string, head: AuditHead | null): Promise<number> {
  const database = openDatabase(url);
  try {
    const audit = new AuditLog(crypto, database.dialect, clock);
    const r = await audit.verify(database.db);
    if (!r.ok) throw new BackupCheckError('audit_chain', `the audit chain breaks at position ${r.brokenAt}`);
    if (head) {
      const row = await headRow(database.db, head.count);
      if (!row || row.hash !== head.hash)
        throw new BackupCheckError('audit_chain', `the chain's row ${head.count} is not the recorded head`);
    }
    return r.checked;
  } finally {
    await database.close();
  }
}

/**
 * The anchor's checkpoint against the restored chain: a chain shorter than the checkpoint, or another row at its
 * position, means rows the anchor had signed were gone or replaced when the backup was taken.
 */
async function checkAnchor(crypto: CryptoProvider, clock: Clock, url: string, cp: Checkpoint): Promise<void> {
  if (!new AuditAnchor(null, crypto, clock).isValid(cp))
    throw new BackupCheckError('audit_anchor', 'the anchor checkpoint in the manifest is not validly signed');
  if (cp.count === 0) return;
  const database = openDatabase(url);
  try {
    const row = await headRow(database.db, cp.count);
    if (!row)
      throw new BackupCheckError('audit_anchor', `the audit rows up to ${cp.count} signed by the anchor are missing`);
    if (row.hash !== cp.headHash)
      throw new BackupCheckError('audit_anchor', `the chain's row ${cp.count} is not the head the anchor signed`);
  } finally {
    await database.close();
  }
}

function headRow(db: Db, position: number) {
  return db.selectFrom('audit_events').select('hash').where('chain_seq', '=', position).executeTakeFirst();
}

export interface DrillDeps {
  crypto: CryptoProvider;
  clock: Clock;
  audit: AuditLog;
  /** The live database: the drill is recorded there. */
  db: Db;
  dialect: 'sqlite' | 'postgres';
  databaseUrl: string;
  by?: string;
  record?: (run: RunRecord) => Promise<void>;
}

/**
 * A restore drill: the backup restored into a scratch database (a temporary SQLite file, or a PostgreSQL
 * database created beside the live one), verified, deleted; the verdict recorded in backup_runs and the audit log.
 */
export async function drill(
  deps: DrillDeps,
  file: string,
  trigger: 'cli' | 'scheduler' | 'web',
  log: Log = () => undefined,
): Promise<RestoreResult> {
  const started = Date.now();
  const startedAt = deps.clock.now();
  const scratch = await createScratch(deps.dialect, deps.databaseUrl);
  log(`演练库 scratch database: ${scratch.label}`);
  const record = (verdict: string, detail: string | null, manifest: Manifest | null) =>
    (deps.record ?? ((run: RunRecord) => recordRun(deps, run)))({
      id: randomUUID(),
      kind: 'drill',
      startedAt,
      durationMs: Date.now() - started,
      file: path.basename(file),
      bytes: fs.existsSync(file) ? fs.statSync(file).size : null,
      verdict,
      detail,
      manifestSm3: manifest ? deps.crypto.sm3(JSON.stringify(manifest)) : null,
      schemaLatest: manifest?.schema.latest ?? null,
      trigger,
      facts: { tables: manifest?.tables.length ?? 0, rows: manifest?.totalRows ?? 0 },
    });
  try {
    const result = await restoreBackup(deps.crypto, deps.clock, file, scratch.url, log);
    result.durationMs = Date.now() - started;
    await record('ok', null, result.manifest);
    return result;
  } catch (e) {
    const err =
      e instanceof BackupCheckError ? e : new BackupCheckError('restore', e instanceof Error ? e.message : String(e));
    await record(err.check, err.message, null).catch(() => undefined);
    throw err;
  } finally {
    await scratch.drop().catch(() => undefined);
  }
}

async function createScratch(
  dialect: 'sqlite' | 'postgres',
  liveUrl: string,
): Promise<{ url: string; label: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-drill-'));
    const file = path.join(dir, 'drill.db');
    return { url: `sqlite:${file}`, label: file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `guanhuai_drill_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: liveUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(liveUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    label: name,
    drop: async () => {
      const c = new pg.Client({ connectionString: liveUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
