import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { AuditAnchor } from '../audit/anchor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { CryptoProvider } from '../crypto/crypto-provider.js';
import type { Db, Dialect } from '../db/database.js';
import { PRIVATE_DIR_MODE } from '../private-files.js';
import { postgresDigests, sqliteDigests } from './digests.js';
import { BACKUP_EXT, BackupCheckError, encodeHeader, headerJson, TAG_BYTES, type Manifest } from './format.js';
import { recordRun, type RunRecord } from './runs.js';

/** What a backup needs: the same configuration as the server, and the live database to record the run in. */
export interface BackupDeps {
  crypto: CryptoProvider;
  clock: Clock;
  audit: AuditLog;
  /** The audit anchor whose newest checkpoint goes into the manifest (absent: none configured). */
  anchor?: AuditAnchor;
  dialect: Dialect;
  databaseUrl: string;
  db: Db;
  backupDir: string;
  keep: number;
  appVersion: string;
  /** The server's own SQLite connection: copied in steps on it, so its writes never restart the copy. */
  sqlite?: SqliteDatabase.Database;
  warn?: (message: string) => void;
  /** The account that asked for it (the 备份与恢复 page), for the audit row. */
  by?: string;
  /** Where the run is recorded; by default backup_runs and the audit log of `db`. */
  record?: (run: RunRecord) => Promise<void>;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: Manifest;
}

const BACKUP_LOCK_KEY = 7_021;
const CHUNK = 1 << 20;

/** `guanhuai-20261202T031500123Z-1a2b.ghbk`: sorts by time; the page and retention read this pattern. */
export const BACKUP_NAME = /^guanhuai-(\d{8}T\d{9}Z)-[0-9a-f]{4}\.ghbk$/;

/**
 * Writes one encrypted backup file with its manifest (format.ts). The database is read from a consistent
 * snapshot — SQLite's online backup API into a temporary copy, or `pg_dump -Fc` sharing an exported snapshot
 * with the digest pass — so writes go on meanwhile. The file is written under a temporary name, fsynced and
 * renamed only when complete; a run while another is under way is refused (`overlap`).
 */
export async function createBackup(deps: BackupDeps, trigger: 'cli' | 'scheduler' | 'web'): Promise<BackupResult> {
  const started = Date.now();
  const startedAt = deps.clock.now();
  fs.mkdirSync(deps.backupDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const stamp = `${startedAt.toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  const name = `guanhuai-${stamp}${BACKUP_EXT}`;
  const final = path.join(deps.backupDir, name);
  const partial = path.join(deps.backupDir, `.${name}.partial`);
  const release = await acquireLock(deps);
  // The clear snapshot (and SQLite's -wal/-shm beside it) in an owner-only directory removed whatever happens.
  const work = fs.mkdtempSync(path.join(deps.backupDir, '.work-'));
  const plain = path.join(work, 'snapshot');
  try {
    const snapshot =
      deps.dialect === 'sqlite'
        ? await snapshotSqlite(deps, plain)
        : await snapshotPostgres(deps.crypto, deps.databaseUrl, plain);
    const payloadSm3 = await sm3File(deps.crypto, plain);
    const payloadBytes = fs.statSync(plain).size;
    const manifest: Manifest = {
      format: 1,
      createdAt: startedAt.toISOString(),
      dialect: deps.dialect,
      payload: {
        kind: deps.dialect === 'sqlite' ? 'sqlite-image' : 'pg_dump-custom',
        bytes: payloadBytes,
        sm3: payloadSm3,
      },
      schema: { migrations: snapshot.migrations, latest: snapshot.migrations.at(-1) ?? null },
      tables: snapshot.tables,
      totalRows: snapshot.tables.reduce((n, t) => n + t.rows, 0),
      auditHead: snapshot.auditHead,
      auditAnchor: deps.anchor?.newest().checkpoint ?? null,
      app: { version: deps.appVersion },
      keyVersion: deps.crypto.keyVersion,
      durationMs: 0,
    };
    manifest.durationMs = Date.now() - started;
    const bytes = await writeEncrypted(deps.crypto, plain, partial, manifest);
    fs.renameSync(partial, final);
    fsyncDir(deps.backupDir);
    // The file is complete whatever happens next: a database that cannot take the record (not migrated yet,
    // gone) is reported, not allowed to turn a good backup into a failure.
    await (deps.record ?? ((run: RunRecord) => recordRun(deps, run)))({
      id: randomUUID(),
      kind: 'backup',
      startedAt,
      durationMs: Date.now() - started,
      file: name,
      bytes,
      verdict: 'ok',
      detail: null,
      manifestSm3: deps.crypto.sm3(JSON.stringify(manifest)),
      schemaLatest: manifest.schema.latest,
      trigger,
      facts: { tables: manifest.tables.length, rows: manifest.totalRows },
    }).catch((e: unknown) => deps.warn?.(`the backup was not recorded in the database: ${(e as Error).message}`));
    pruneBackups(deps.backupDir, deps.keep);
    return { file: final, bytes, manifest };
  } catch (e) {
    const err = asCheckError(e);
    await (deps.record ?? ((run: RunRecord) => recordRun(deps, run)))({
      id: randomUUID(),
      kind: 'backup',
      startedAt,
      durationMs: Date.now() - started,
      file: null,
      bytes: null,
      verdict: err.check,
      detail: err.message,
      manifestSm3: null,
      schemaLatest: null,
      trigger,
      facts: { tables: 0, rows: 0 },
    }).catch(() => undefined);
    throw err;
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(work, { recursive: true, force: true });
    await release();
  }
}

/** Disk full and friends become a named refusal; anything else keeps its message. */
function asCheckError(e: unknown): BackupCheckError {
  if (e instanceof BackupCheckError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  // EFBIG: a file-size limit; SQLite reports a failed write of the snapshot as SQLITE_FULL or SQLITE_IOERR_WRITE.
  if (
    ['ENOSPC', 'EDQUOT', 'EFBIG'].includes(code ?? '') ||
    /^SQLITE_(FULL|IOERR)/.test(code ?? '') ||
    /No space left/i.test(String(e))
  )
    return new BackupCheckError(
      'disk_full',
      `the backup directory ran out of space or refused a write (${code ?? 'ENOSPC'})`,
    );
  return new BackupCheckError('backup', `${e instanceof Error ? e.message : String(e)}${code ? ` (${code})` : ''}`);
}

interface Snapshot {
  migrations: string[];
  tables: Manifest['tables'];
  auditHead: Manifest['auditHead'];
}

async function snapshotSqlite(deps: BackupDeps, out: string): Promise<Snapshot> {
  const own = !deps.sqlite;
  const source = deps.sqlite ?? new SqliteDatabase(deps.databaseUrl.replace(/^sqlite:/, ''), { fileMustExist: true });
  try {
    if (own) source.pragma('busy_timeout = 5000');
    // The server's own connection: a few hundred pages per step, so requests run between steps and its own writes
    // update the copy instead of restarting it. Another process's connection: one step, a single read
    // transaction — in WAL mode writers go on meanwhile, and a copy in steps would restart at each of their writes.
    await source.backup(out, { progress: () => (own ? 0x7fffffff : 256) });
  } finally {
    if (own) source.close();
  }
  fs.chmodSync(out, 0o600);
  const { tables, auditHead } = sqliteDigests(deps.crypto, out);
  const db = new SqliteDatabase(out, { readonly: true });
  try {
    const migrations = (
      db.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>
    ).map((r) => r.name);
    return { migrations, tables, auditHead };
  } finally {
    db.close();
  }
}

async function snapshotPostgres(crypto: CryptoProvider, url: string, out: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
    // pg_dump reads the very snapshot the digests are computed in: the manifest describes exactly the dump.
    const dump = runPgDump(url, rows[0].id, out);
    const digests = postgresDigests(crypto, client);
    const [, d] = await Promise.all([dump, digests]);
    const { rows: m } = await client.query<{ name: string }>('select name from kysely_migration order by name');
    await client.query('commit');
    return { ...d, migrations: m.map((r) => r.name) };
  } finally {
    await client.end();
  }
}

function runPgDump(url: string, snapshotId: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'pg_dump',
      ['-Fc', '--no-owner', '--no-privileges', `--snapshot=${snapshotId}`, '-f', out, '-d', url],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) =>
      reject(new BackupCheckError('backup', `pg_dump could not start (${(e as NodeJS.ErrnoException).code})`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      // SIGXFSZ: killed at a file-size limit, the way a quota stops a writer.
      if (signal === 'SIGXFSZ' || /No space left|could not write/i.test(stderr))
        return reject(new BackupCheckError('disk_full', 'the backup directory ran out of space (pg_dump)'));
      // pg_dump's own message names the table or the connection problem; it holds no row data.
      reject(new BackupCheckError('backup', `pg_dump failed (${code}): ${stderr.trim().split('\n')[0] ?? ''}`));
    });
  });
}

async function sm3File(crypto: CryptoProvider, file: string): Promise<string> {
  const h = crypto.sm3Stream();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>)
    h.update(chunk);
  return h.digest();
}

async function writeEncrypted(crypto: CryptoProvider, plain: string, out: string, manifest: Manifest): Promise<number> {
  const iv = crypto.randomBytes(16);
  // SM4-CBC with PKCS#7: always one to sixteen bytes of padding.
  const cipherBytes = (Math.floor(manifest.payload.bytes / 16) + 1) * 16;
  const prefix = encodeHeader({ keyCheck: crypto.backupKeyCheck(), iv: iv.toString('hex'), cipherBytes, manifest });
  const sealer = crypto.backupSealer(headerJson(prefix), iv);
  const fh = await fs.promises.open(out, 'wx', 0o600);
  let written = 0;
  try {
    const write = async (b: Buffer) => {
      if (b.length === 0) return;
      await fh.write(b);
      written += b.length;
    };
    await write(prefix);
    for await (const chunk of fs.createReadStream(plain, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>)
      await write(sealer.update(chunk));
    const { tail, tag } = sealer.final();
    await write(tail);
    await write(tag);
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (written !== prefix.length + cipherBytes + TAG_BYTES) throw new BackupCheckError('backup', 'short write');
  return written;
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Complete backups in the directory, newest first. Partial files (a run under way or killed) are not listed. */
export function listBackups(dir: string): Array<{ name: string; file: string; bytes: number; at: string }> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => BACKUP_NAME.test(n))
    .sort()
    .reverse()
    .map((name) => {
      const file = path.join(dir, name);
      const m = BACKUP_NAME.exec(name)![1];
      const at = `${m.slice(0, 4)}-${m.slice(4, 6)}-${m.slice(6, 8)}T${m.slice(9, 11)}:${m.slice(11, 13)}:${m.slice(13, 15)}.${m.slice(15, 18)}Z`;
      return { name, file, bytes: fs.statSync(file).size, at };
    });
}

/** Keeps the newest `keep` complete backups (0: keep all). */
export function pruneBackups(dir: string, keep: number): string[] {
  if (keep <= 0) return [];
  const removed = listBackups(dir).slice(keep);
  for (const b of removed) fs.rmSync(b.file, { force: true });
  return removed.map((b) => b.name);
}

/**
 * One backup at a time: a lock file in BACKUP_DIR (created exclusively; a dead process's lock on this host is
 * taken over) and, on PostgreSQL, an advisory lock, so instances on several hosts never overlap either.
 */
async function acquireLock(deps: BackupDeps): Promise<() => Promise<void>> {
  const lockFile = path.join(deps.backupDir, '.backup.lock');
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), at: deps.clock.now().toISOString() });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockFile, mine, { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; host?: string; at?: string } = {};
      try {
        holder = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as typeof holder;
      } catch {
        /* a lock being written this instant: treated as held */
      }
      const stale = holder.host === os.hostname() && typeof holder.pid === 'number' && !alive(holder.pid);
      if (!stale || attempt > 0)
        throw new BackupCheckError(
          'overlap',
          `another backup is running (pid ${holder.pid ?? '?'} since ${holder.at ?? '?'}); this one was refused`,
        );
      fs.rmSync(lockFile, { force: true });
    }
  }
  let pgClient: pg.Client | null = null;
  if (deps.dialect === 'postgres') {
    pgClient = new pg.Client({ connectionString: deps.databaseUrl });
    await pgClient.connect();
    const { rows } = await pgClient.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [BACKUP_LOCK_KEY]);
    if (!rows[0]?.ok) {
      await pgClient.end();
      fs.rmSync(lockFile, { force: true });
      throw new BackupCheckError(
        'overlap',
        'another instance is writing a backup of this database; this one was refused',
      );
    }
  }
  return async () => {
    if (pgClient) await pgClient.end().catch(() => undefined);
    fs.rmSync(lockFile, { force: true });
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
