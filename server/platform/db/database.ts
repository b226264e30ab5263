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

/**
 * `writeLock`: the SQLite file's cross-process write turns and group commit (ImmediateSqliteDriver). By default
 * a cluster worker's (granted by the primary); none in a single process. Tests pass their own.
 */
export function openDatabase(url: string, options: { writeLock?: WriteLock | null } = {}): DatabaseHandle {
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
  const writeLock =
    options.writeLock !== undefined
      ? options.writeLock
      : cluster.isWorker && file !== ':memory:'
        ? ipcWriteLock(path.resolve(file))
        : null;
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
 * In a cluster worker (`writeLock` set) two more things happen, both for throughput across processes:
 *
 * - The turns are handed out by the primary (./write-lock.ts) before SQLite is asked: a worker awaits its
 *   grant (its event loop and its reads go on) instead of sleeping in SQLite's busy handler.
 * - Group commit. With `synchronous = FULL` every COMMIT is an fsync of the WAL (5–8 ms on this machine's
 *   disk), and one commit per transaction capped the file at ~150 transactions a second whatever the cores.
 *   So a worker that holds the turn keeps one outer transaction open and runs its transactions as savepoints
 *   in it, one after another: each one's COMMIT is a `RELEASE`, and its caller is answered only after the
 *   outer COMMIT (the group's one fsync) — an acknowledged write is as durable as before. A transaction that
 *   fails is rolled back to its savepoint alone. The group commits when nobody in this worker waits for the
 *   connection, before a write outside a transaction, at 32 members or at 10 ms; then the turn goes back to
 *   the primary (the other worker's group is next). If SQLite rolls the whole group back (an I/O error), every
 *   member that waited fails with that error — none was acknowledged. Between the RELEASE and the COMMIT, this
 *   worker's reads see the member's (complete) writes; other processes see them at the COMMIT.
 *   One rule follows: a transaction must not wait, inside its callback, for another transaction to end.
 *
 * This is Kysely's SqliteDriver (one connection, an in-process FIFO mutex) with those hooks. A single
 * process is as before: one BEGIN IMMEDIATE … COMMIT per transaction, SQLite's lock only.
 */
class ImmediateSqliteDriver implements Driver {
  private readonly mutex = new ConnectionMutex();
  /** The open group (cluster workers): BEGIN IMMEDIATE done, holding the turn, COMMIT pending. */
  private group: Group | null = null;
  /** A group being opened (awaiting its grant): the next transactions wait for it instead of asking too. */
  private opening: Promise<void> | null = null;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly writeLock: WriteLock | null,
  ) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return new Hold(this);
  }

  /** The primary's grant, awaited without holding the connection (the caller holds it, and has it back after). */
  private async unlocked<T>(wait: () => Promise<T>): Promise<T> {
    this.mutex.unlock();
    try {
      return await wait();
    } finally {
      await this.mutex.lock();
    }
  }

  iterate(compiledQuery: CompiledQuery): IterableIterator<unknown> {
    return this.sqlite.prepare(compiledQuery.sql).iterate(compiledQuery.parameters as unknown[]);
  }

  run<R>(compiledQuery: CompiledQuery): QueryResult<R> {
    const stmt = this.sqlite.prepare(compiledQuery.sql);
    const params = compiledQuery.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(params) as R[] };
    const { changes, lastInsertRowid } = stmt.run(params);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async execute<R>(hold: Hold, compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.writeLock || hold.transaction !== 'none' || this.sqlite.prepare(compiledQuery.sql).readonly)
      return this.run(compiledQuery);
    // A write outside a transaction takes the file's write lock for its statement: the group first, then a turn.
    if (this.group) this.flush();
    const release = await this.unlocked(() => this.writeLock!.acquire());
    try {
      return this.run(compiledQuery);
    } finally {
      release();
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const hold = connection as Hold;
    if (!this.writeLock) {
      this.sqlite.prepare('begin immediate').run();
      hold.transaction = 'own';
      return;
    }
    if (this.group && (this.group.members.length >= GROUP_MAX || performance.now() - this.group.opened > GROUP_MS))
      this.flush();
    while (!this.group) {
      if (this.opening) await this.unlocked(() => this.opening!.catch(() => undefined));
      else await this.openGroup();
    }
    this.sqlite.prepare('savepoint member').run();
    hold.transaction = 'member';
  }

  private async openGroup(): Promise<void> {
    let opened!: () => void;
    this.opening = new Promise((resolve) => (opened = resolve));
    try {
      const release = await this.unlocked(() => this.writeLock!.acquire());
      try {
        this.sqlite.prepare('begin immediate').run();
      } catch (err) {
        release();
        throw err;
      }
      this.group = { release, members: [], opened: performance.now() };
    } finally {
      this.opening = null;
      opened();
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const hold = connection as Hold;
    if (hold.transaction === 'own') {
      this.sqlite.prepare('commit').run();
      hold.transaction = 'none';
      return;
    }
    this.sqlite.prepare('release member').run();
    hold.transaction = 'none';
    const group = this.group!;
    const durable = new Promise<void>((resolve, reject) => group.members.push({ resolve, reject }));
    // The connection is free for the next one now; this caller is answered at the group's COMMIT.
    this.endHold(hold);
    await durable;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const hold = connection as Hold;
    const was = hold.transaction;
    hold.transaction = 'none';
    if (was === 'own') {
      this.sqlite.prepare('rollback').run();
      return;
    }
    if (this.sqlite.inTransaction) {
      this.sqlite.prepare('rollback to member').run();
      this.sqlite.prepare('release member').run();
    } else if (this.group) {
      // SQLite rolled the whole group back (an I/O error, a full disk): its waiting members fail with it.
      this.endGroup(new Error('SQLite rolled back the write group with a failed transaction'));
    }
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

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.endHold(connection as Hold);
  }

  /** The end of a holding (once): the group commits if nobody here waits or it is full or old. */
  private endHold(hold: Hold): void {
    if (hold.released) return;
    hold.released = true;
    if (
      this.group &&
      (this.mutex.waiting === 0 ||
        this.group.members.length >= GROUP_MAX ||
        performance.now() - this.group.opened > GROUP_MS)
    )
      this.flush();
    this.mutex.unlock();
  }

  /** The group's COMMIT (its one fsync): its members are answered, the turn goes back to the primary. */
  private flush(): void {
    try {
      this.sqlite.prepare('commit').run();
    } catch (err) {
      if (this.sqlite.inTransaction) this.sqlite.prepare('rollback').run();
      this.endGroup(err);
      return;
    }
    this.endGroup(null);
  }

  private endGroup(err: unknown): void {
    const group = this.group!;
    this.group = null;
    group.release();
    for (const m of group.members)
      if (err) m.reject(err);
      else m.resolve();
  }

  async destroy(): Promise<void> {
    if (this.group) this.flush();
    this.sqlite.close();
  }
}

/** Transactions per group at most, and its age at most before it commits (fairness to the other workers). */
const GROUP_MAX = 32;
const GROUP_MS = 10;

interface Group {
  release: () => void;
  members: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
  opened: number;
}

/** One holding of the single connection (acquire to release): Kysely hands it back to the driver. */
class Hold implements DatabaseConnection {
  transaction: 'none' | 'own' | 'member' = 'none';
  released = false;
  constructor(private readonly driver: ImmediateSqliteDriver) {}
  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, compiledQuery);
  }
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query))
      throw new Error('Sqlite driver only supports streaming of select queries');
    const rows = this.driver.iterate(compiledQuery);
    for (const row of rows) yield { rows: [row as R] };
  }
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** One holder of the single connection at a time, handed over first come first served. */
class ConnectionMutex {
  private held = false;
  private readonly queue: Array<() => void> = [];
  get waiting(): number {
    return this.queue.length;
  }
  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }
  unlock(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
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
