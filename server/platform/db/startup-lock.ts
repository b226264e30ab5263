import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { ensurePrivateFile, PRIVATE_DIR_MODE } from '../private-files.js';
import { dialectOf } from './database.js';
import fs from 'node:fs';

/** PostgreSQL advisory-lock key of the first start (migrations, region tree, demo seed). */
const STARTUP_LOCK_KEY = 7_008;
/** How long a starting instance waits for another one's first start before giving up. */
const WAIT_MS = 10 * 60_000;

// In one process, two starts on the same SQLite file queue here: the file lock below blocks the thread while it
// waits, which would stall the holder if both were in this process.
const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` (migrations and first-start seeding) while holding the database's startup lock, so that instances
 * started at once take turns: the second finds the schema and the seed the first wrote instead of writing them
 * again (issue 10 item 17: it used to crash on the region seed's duplicate key).
 *
 * - PostgreSQL: a session advisory lock on a connection of its own, released when `fn` ends or the process dies.
 * - SQLite (one writer at a time anyway, but migrations read, then write): `BEGIN IMMEDIATE` on a lock file
 *   beside the database, held for the same span; the operating system releases it if the process dies.
 */
export async function withStartupLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  if (dialectOf(url) === 'postgres') return withAdvisoryLock(url, fn);
  const file = url.replace(/^sqlite:/, '');
  if (file === ':memory:') return fn();
  const lockFile = `${path.resolve(file)}.startup-lock`;
  const before = inProcess.get(lockFile) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => withLockFile(lockFile, fn));
  inProcess.set(lockFile, run);
  try {
    return await run;
  } finally {
    if (inProcess.get(lockFile) === run) inProcess.delete(lockFile);
  }
}

async function withAdvisoryLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A lock connection the server ends must not take the process down (the pool's connections are guarded alike).
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`set lock_timeout = ${WAIT_MS}`);
    await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withLockFile<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true, mode: PRIVATE_DIR_MODE });
  ensurePrivateFile(lockFile);
  const lock = new SqliteDatabase(lockFile, { timeout: WAIT_MS });
  try {
    lock.exec('BEGIN IMMEDIATE');
    try {
      return await fn();
    } finally {
      lock.exec('COMMIT');
    }
  } finally {
    lock.close();
  }
}
