import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { ensurePrivateFile, PRIVATE_DIR_MODE, tightenFile } from '../private-files.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

// PostgreSQL returns bigint (int8) as string; counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export function openDatabase(url: string): DatabaseHandle {
  if (dialectOf(url) === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection the server ends (a restart, pg_terminate_backend, DROP DATABASE … WITH (FORCE)) is
    // emitted here; pg-pool has already dropped it and opens a new one on next use. Without a listener Node
    // treats the event as an uncaught exception and the whole process dies.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = url.replace(/^sqlite:/, '');
  if (file !== ':memory:') {
    // Owner-only: the file holds names, addresses and petition signals in clear. SQLite gives -wal and -shm
    // the main file's mode; files an earlier version left readable are tightened. A directory created here is
    // owner-only too; an existing one is left as it is (it may be /tmp): main.ts tightens the configured DATA_DIR.
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: PRIVATE_DIR_MODE });
    ensurePrivateFile(file);
    for (const suffix of ['-wal', '-shm', '-journal']) tightenFile(file + suffix);
  }
  const sqlite = new SqliteDatabase(file);
  // WAL for concurrent readers, FULL so an acknowledged write survives power loss, FKs enforced.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cacheStatements(sqlite, STATEMENT_CACHE_SIZE);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    close: async () => {
      await db.destroy();
    },
  };
}

/** Distinct SQL texts kept prepared: the services issue a few hundred; literals in raw SQL make the rest. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver calls `prepare` on every execution, and preparing costs tens of microseconds per
 * statement (a quarter of a contact-log POST's CPU). This makes `prepare` return the statement already
 * prepared for the same SQL text (a bounded LRU). Reuse is safe: Kysely runs one query at a time on its single
 * connection (a stream holds it until done), and SQLite re-prepares a statement itself after a schema change.
 */
export function cacheStatements(sqlite: SqliteDatabase.Database, capacity: number): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SqliteDatabase.Statement>();
  const cached = (source: string) => {
    let stmt = cache.get(source);
    if (stmt) cache.delete(source);
    else {
      stmt = prepare(source);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    return stmt;
  };
  Object.assign(sqlite, { prepare: cached });
}

/** Serialises writers that must see each other's results (the audit hash chain, archive serials). */
export async function lockForUpdate(trx: Tx, dialect: Dialect, lockKey: number): Promise<void> {
  // SQLite: Kysely holds one connection behind a mutex, so a transaction is already exclusive.
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${lockKey})`.execute(trx);
}

/** A unique constraint refused the write (SQLite and PostgreSQL spell it differently). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
