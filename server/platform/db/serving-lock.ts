import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { ensurePrivateFile, PRIVATE_DIR_MODE } from '../private-files.js';
import { dialectOf } from './database.js';

/** PostgreSQL advisory-lock key held shared by every serving instance, exclusively by `npm run rekey`. */
const SERVING_LOCK_KEY = 7_010;
/** How long a starting instance waits for a running `npm run rekey` before giving up. */
const WAIT_MS = 10 * 60_000;

/** Another process holds the lock: an instance is serving (for `rekey`), or a rekey is running. */
export class ServingLockBusy extends Error {
  override readonly name = 'ServingLockBusy';
}

/**
 * The serving lock: every instance holds it shared from before its start until it exits, and `npm run rekey`
 * takes it exclusively (never waiting), so a rotation never runs beside an instance that still has the old key
 * in memory, and an instance started during a rotation waits for it to end.
 *
 * - PostgreSQL: a session advisory lock (shared / exclusive) on a connection of its own; the server ends it
 *   when the process dies, so a killed instance holds nothing.
 * - SQLite: a read transaction (SHARED) / `BEGIN EXCLUSIVE` on a lock file beside the database, in rollback-journal
 *   mode; the operating system releases it when the process dies. `:memory:` databases have nothing to lock.
 */
export async function holdServingLock(url: string): Promise<() => Promise<void>> {
  if (dialectOf(url) === 'postgres') {
    const client = new pg.Client({ connectionString: url, application_name: 'guanhuai-serving-lock' });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query(`set lock_timeout = ${WAIT_MS}`);
      await client.query('select pg_advisory_lock_shared($1)', [SERVING_LOCK_KEY]);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw new ServingLockBusy(`a master-key rotation (npm run rekey) holds the database: ${(e as Error).message}`);
    }
    return async () => {
      await client.end().catch(() => undefined);
    };
  }
  const lock = openLockFile(url, WAIT_MS);
  if (!lock) return async () => undefined;
  try {
    lock.exec('BEGIN');
    lock.prepare('select count(*) from sqlite_master').get();
  } catch (e) {
    lock.close();
    throw new ServingLockBusy(`a master-key rotation (npm run rekey) holds the database: ${(e as Error).message}`);
  }
  return async () => {
    try {
      lock.exec('COMMIT');
    } finally {
      lock.close();
    }
  };
}

/** Runs `fn` holding the serving lock exclusively; throws ServingLockBusy at once when an instance holds it. */
export async function withExclusiveServingLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const busy = () =>
    new ServingLockBusy(
      'an instance of the platform is serving this database (it holds the serving lock): stop every instance first',
    );
  if (dialectOf(url) === 'postgres') {
    const client = new pg.Client({ connectionString: url, application_name: 'guanhuai-rekey-lock' });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [SERVING_LOCK_KEY]);
      if (!rows[0]?.ok) throw busy();
      try {
        return await fn();
      } finally {
        await client.query('select pg_advisory_unlock($1)', [SERVING_LOCK_KEY]).catch(() => undefined);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const lock = openLockFile(url, 0);
  if (!lock) return fn();
  try {
    try {
      lock.exec('BEGIN EXCLUSIVE');
    } catch {
      throw busy();
    }
    try {
      return await fn();
    } finally {
      lock.exec('COMMIT');
    }
  } finally {
    lock.close();
  }
}

function openLockFile(url: string, timeout: number): SqliteDatabase.Database | null {
  const file = url.replace(/^sqlite:/, '');
  if (file === ':memory:') return null;
  const lockFile = `${path.resolve(file)}.serving-lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true, mode: PRIVATE_DIR_MODE });
  ensurePrivateFile(lockFile);
  // Left in SQLite's default rollback-journal mode: a reader's SHARED lock is what an exclusive taker sees.
  return new SqliteDatabase(lockFile, { timeout });
}
