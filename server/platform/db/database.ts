import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type Transaction,
} from 'kysely';
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
  /** PostgreSQL's connection pool (for the pool-use metrics). */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

// PostgreSQL returns bigint (int8) as string; counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Session settings of the app's PostgreSQL connections. JIT off: the heavy statements (a province's annual
 * return, the 双岗 coverage) cost past `jit_above_cost`, and compiling them took longer than running them —
 * EXPLAIN ANALYZE of the province coverage at 100k families: 13 s of JIT (inlining, optimisation) on a
 * loaded 2-core machine against 6 s to execute without it. The short statements never reached JIT.
 * A `?options=` in DATABASE_URL takes precedence (pg lets the connection string win).
 */
export const PG_SESSION_OPTIONS = '-c jit=off';

export function openDatabase(url: string): DatabaseHandle {
  if (dialectOf(url) === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: 10, options: PG_SESSION_OPTIONS });
    // An idle connection the server ends (a restart, pg_terminate_backend, DROP DATABASE … WITH (FORCE)) is
    // emitted here; pg-pool has already dropped it and opens a new one on next use. Without a listener Node
    // treats the event as an uncaught exception and the whole process dies.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', pool, close: () => db.destroy() };
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
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    close: async () => {
      await db.destroy();
    },
  };
}

/**
 * Every SQLite transaction starts `BEGIN IMMEDIATE`: it takes the write lock at once (waiting up to
 * `busy_timeout` for another process's writer) instead of at its first write. With several worker processes on
 * one file (WEB_CONCURRENCY), a deferred transaction that read and then wrote after another process committed
 * would fail with SQLITE_BUSY_SNAPSHOT — a lost write — and the audit chain's head read at the start of the
 * transaction would not be the head any more. Immediate transactions take turns, so every write sees the last.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly sqliteConfig: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(sqliteConfig);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.sqliteConfig);
  }
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
  // SQLite: every transaction begins IMMEDIATE (openDatabase), holding the write lock across processes too.
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${lockKey})`.execute(trx);
}

/** A unique constraint refused the write (SQLite and PostgreSQL spell it differently). */
/** Whether the database answers at all: `select 1` (health and readiness checks). Throws when it does not. */
export async function ping(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
