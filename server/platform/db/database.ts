import cluster from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SelectQueryNode,
  SqliteDialect,
  sql,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { ensurePrivateFile, PRIVATE_DIR_MODE, tightenFile } from '../private-files.js';
import type { Database } from './schema.js';
import { ipcWriteLock, type WriteLock } from './write-lock.js';

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
  // In a cluster worker the primary hands out the file's write turns (one FIFO per file, ./write-lock.ts).
  const writeLock = cluster.isWorker && file !== ':memory:' ? ipcWriteLock(path.resolve(file)) : null;
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite, writeLock) });
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
 *
 * In a cluster worker the turns are handed out by the primary (`writeLock`, ./write-lock.ts) before SQLite
 * is asked: a transaction awaits its grant before `BEGIN IMMEDIATE` and gives it back after COMMIT/ROLLBACK,
 * and a write outside a transaction (an autocommit statement that is not read-only) does the same around its
 * one statement. While it awaits the grant it lets go of the connection, so this worker's reads go on.
 * This is Kysely's SqliteDriver (one connection, an in-process mutex) with those two hooks.
 */
class ImmediateSqliteDriver implements Driver {
  private readonly mutex = new ConnectionMutex();
  private readonly connection: ImmediateSqliteConnection;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    writeLock: WriteLock | null,
  ) {
    this.connection = new ImmediateSqliteConnection(sqlite, writeLock, this.mutex);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    await this.connection.begin();
  }
  async commitTransaction(): Promise<void> {
    await this.connection.end('commit');
  }
  async rollbackTransaction(): Promise<void> {
    await this.connection.end('rollback');
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteIdentifier(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteIdentifier(name)}`));
  }
  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.sqlite.close();
  }
}

class ImmediateSqliteConnection implements DatabaseConnection {
  /** The grant held by the open transaction (cluster workers only). */
  private release: (() => void) | null = null;
  private inTransaction = false;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly writeLock: WriteLock | null,
    private readonly mutex: ConnectionMutex,
  ) {}

  /** The primary's grant, awaited without holding the connection (the caller holds it and gets it back). */
  private async grant(): Promise<() => void> {
    this.mutex.unlock();
    try {
      return await this.writeLock!.acquire();
    } finally {
      await this.mutex.lock();
    }
  }

  async begin(): Promise<void> {
    const release = this.writeLock ? await this.grant() : null;
    try {
      this.sqlite.prepare('begin immediate').run();
    } catch (err) {
      release?.();
      throw err;
    }
    this.release = release;
    this.inTransaction = true;
  }

  async end(how: 'commit' | 'rollback'): Promise<void> {
    try {
      this.sqlite.prepare(how).run();
    } catch (err) {
      // A COMMIT that failed leaves the transaction open (Kysely rolls it back next); a failed ROLLBACK does not.
      if (how === 'commit' && this.sqlite.inTransaction) throw err;
      this.finish();
      throw err;
    }
    this.finish();
  }

  private finish() {
    this.inTransaction = false;
    const release = this.release;
    this.release = null;
    release?.();
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.sqlite.prepare(compiledQuery.sql);
    const params = compiledQuery.parameters as unknown[];
    const run = (): QueryResult<R> => {
      if (stmt.reader) return { rows: stmt.all(params) as R[] };
      const { changes, lastInsertRowid } = stmt.run(params);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    };
    if (!this.writeLock || this.inTransaction || stmt.readonly) return run();
    // A write outside a transaction takes the file's write lock for its statement: take the turn first.
    const release = await this.grant();
    try {
      return run();
    } finally {
      release();
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query))
      throw new Error('Sqlite driver only supports streaming of select queries');
    const stmt = this.sqlite.prepare(compiledQuery.sql);
    for (const row of stmt.iterate(compiledQuery.parameters as unknown[])) yield { rows: [row as R] };
  }
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Kysely's: one holder of the single connection at a time, the others queue. */
class ConnectionMutex {
  private promise: Promise<void> | undefined;
  private resolve: (() => void) | undefined;
  async lock(): Promise<void> {
    while (this.promise) await this.promise;
    this.promise = new Promise((resolve) => (this.resolve = resolve));
  }
  unlock(): void {
    const resolve = this.resolve;
    this.promise = undefined;
    this.resolve = undefined;
    resolve?.();
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly writeLock: WriteLock | null,
  ) {
    super({ database: sqlite });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.sqlite, this.writeLock);
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
