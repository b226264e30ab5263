import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Db, DatabaseHandle } from './database.js';
import type { Database } from './schema.js';

/**
 * DATABASE_READ_URL (issue 19 item 3): read-only service paths read from a PostgreSQL streaming replica.
 * See docs/scaling.md "Read replica".
 *
 * Two Kysely handles route each statement when it acquires its connection:
 * - `reads` (lists, searches, exports): the replica while it answers, is at most `maxLagSeconds` behind and has
 *   replayed the caller's last write; else the primary.
 * - `reportReads` (dashboards, reports): the same, but a lagging replica still serves; the request then carries
 *   the replica's as-of time (`dataAsOf()`, header `X-Data-As-Of`) so the page can say 数据截至 ….
 * Writes, transactions, sessions, locks and audit keep using `db` (the primary): nothing here can write.
 *
 * Health and lag come from one probe every `probeMs`: the primary's `pg_current_wal_lsn()` read first, then the
 * replica's `pg_last_wal_replay_lsn()`. Replayed up to it: the replica holds everything committed before the
 * probe began (as-of = that moment). Behind: as-of = `pg_last_xact_replay_timestamp()` (the last commit it
 * replayed) or the last probe it was caught up at, whichever is later. A replica that refuses connections is
 * marked down (logged once), every read goes to the primary, and the probe brings it back (logged once).
 */
export interface ReadReplicaOptions {
  url: string;
  maxLagSeconds: number;
  probeMs: number;
}

export interface ReadReplicaLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** Per request: when its caller last wrote (the gh_wrote cookie) and the as-of of the replica reads it got. */
export interface ReadScope {
  wroteAt: number | null;
  asOf: number | null;
}
const readScope = new AsyncLocalStorage<ReadScope>();

export function runWithReadScope<T>(scope: ReadScope, fn: () => T): T {
  return readScope.run(scope, fn);
}

/** Below this the replica counts as current: no 数据截至 for the usual sub-second streaming delay. */
const AS_OF_SHOWN_FROM_MS = 1_000;

/** The replica's as-of time if this request read from a lagging replica (ISO), else null. */
export function dataAsOf(): string | null {
  const asOf = readScope.getStore()?.asOf;
  return asOf ? new Date(asOf).toISOString() : null;
}

/** Connection-level failures: the replica is gone or restarting, the same statement on the primary will do. */
function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|57P0[1-4]|08\d\d\d)$/.test(e.code))
    return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
    e?.message ?? '',
  );
}

/** A hot standby cancels a read that conflicts with replay: the primary answers it instead. */
function isRecoveryConflict(err: unknown): boolean {
  return (err as { code?: string })?.code === '40001';
}

export type ReadTarget = 'replica' | 'primary';
type Mode = 'current' | 'report';

export class ReadReplica {
  readonly reads: Db;
  readonly reportReads: Db;
  /** Statements each target ran through the read handles (tests and the metrics read them). */
  readonly counts: Record<ReadTarget, number> = { replica: 0, primary: 0 };
  private readonly replicaPool: pg.Pool;
  private readonly replicaDriver: Driver;
  private readonly primaryDriver: Driver;
  private up = false;
  private asOf = 0;
  private caughtUpAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly primary: DatabaseHandle,
    private readonly options: ReadReplicaOptions,
    private readonly log: ReadReplicaLog,
  ) {
    if (!primary.pool) throw new Error('DATABASE_READ_URL needs PostgreSQL as DATABASE_URL');
    // A short connect timeout: a replica that does not answer must not hold a page for long before the fallback.
    this.replicaPool = new pg.Pool({
      connectionString: options.url,
      max: 10,
      connectionTimeoutMillis: 2_000,
      application_name: 'guanhuai-reads',
    });
    this.replicaPool.on('error', () => undefined);
    this.replicaDriver = new PostgresDialect({ pool: this.replicaPool }).createDriver();
    this.primaryDriver = new PostgresDialect({ pool: primary.pool }).createDriver();
    this.reads = this.handle('current');
    this.reportReads = this.handle('report');
  }

  /** First probe before serving (so the first pages already use a healthy replica), then every probeMs. */
  async start(): Promise<void> {
    await this.replicaDriver.init();
    await this.primaryDriver.init();
    await this.probe();
    const tick = () => {
      if (this.closed) return;
      this.probing = this.probe().finally(() => {
        this.probing = null;
        if (!this.closed) this.timer = setTimeout(tick, this.options.probeMs).unref();
      });
    };
    this.timer = setTimeout(tick, this.options.probeMs).unref();
  }

  get maxLagSeconds(): number {
    return this.options.maxLagSeconds;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.probing;
    await this.replicaPool.end().catch(() => undefined);
  }

  /** What the probe last saw: for /health, the metrics and the tests. */
  status(): { up: boolean; lagSeconds: number | null; asOf: string | null } {
    return {
      up: this.up,
      lagSeconds: this.up ? Math.max(0, (Date.now() - this.asOf) / 1000) : null,
      asOf: this.up ? new Date(this.asOf).toISOString() : null,
    };
  }

  async probe(): Promise<void> {
    const started = Date.now();
    try {
      const { rows } = await this.primary.pool!.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      const r = await this.replicaPool.query<{ standby: boolean; caught_up: boolean | null; replayed: Date | null }>(
        `select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn() >= $1::pg_lsn as caught_up,
                pg_last_xact_replay_timestamp() as replayed`,
        [rows[0].lsn],
      );
      const { standby, caught_up, replayed } = r.rows[0];
      // Not a standby (a promoted replica, or the primary itself): it is as current as the primary.
      if (!standby || caught_up) this.caughtUpAt = started;
      this.asOf = Math.max(this.caughtUpAt, replayed ? replayed.getTime() : 0);
      if (!this.up) {
        this.up = true;
        this.log.info({ lagSeconds: (Date.now() - this.asOf) / 1000 }, 'read replica in use (DATABASE_READ_URL)');
      }
    } catch (err) {
      if (this.closed) return;
      this.markDown(err);
    }
  }

  private markDown(err: unknown): void {
    if (!this.up) return;
    this.up = false;
    const e = err as { code?: string; message?: string };
    // Once per outage, not per request; the probe logs the return.
    this.log.warn(
      { code: e?.code, reason: e?.message },
      'read replica unavailable: reads go to the primary until it answers again',
    );
  }

  /** Where a statement of this request goes now. */
  private target(mode: Mode): ReadTarget {
    if (!this.up) return 'primary';
    const scope = readScope.getStore();
    // Read your writes: until the replica has replayed past the caller's last write, the primary answers.
    if (scope?.wroteAt && scope.wroteAt > this.asOf) return 'primary';
    const lagMs = Date.now() - this.asOf;
    if (mode === 'current' && lagMs > this.options.maxLagSeconds * 1000) return 'primary';
    return 'replica';
  }

  private noteReplica(): void {
    this.counts.replica++;
    const scope = readScope.getStore();
    if (scope && Date.now() - this.asOf >= AS_OF_SHOWN_FROM_MS)
      scope.asOf = scope.asOf === null ? this.asOf : Math.min(scope.asOf, this.asOf);
  }

  /** One statement on the primary (the fallback of a replica statement that failed). */
  private async onPrimary<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const conn = await this.primaryDriver.acquireConnection();
    try {
      this.counts.primary++;
      return await conn.executeQuery<R>(query);
    } finally {
      await this.primaryDriver.releaseConnection(conn);
    }
  }

  private async acquire(mode: Mode): Promise<DatabaseConnection> {
    if (this.target(mode) === 'replica') {
      try {
        const conn = await this.replicaDriver.acquireConnection();
        return this.routed(conn, this.replicaDriver, 'replica');
      } catch (err) {
        this.markDown(err);
      }
    }
    return this.routed(await this.primaryDriver.acquireConnection(), this.primaryDriver, 'primary');
  }

  private routed(conn: DatabaseConnection, driver: Driver, target: ReadTarget): DatabaseConnection & Releasable {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const router = this;
    return {
      release: () => driver.releaseConnection(conn),
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        if (target === 'primary') {
          router.counts.primary++;
          return conn.executeQuery<R>(query);
        }
        try {
          const result = await conn.executeQuery<R>(query);
          router.noteReplica();
          return result;
        } catch (err) {
          if (isUnavailable(err)) router.markDown(err);
          else if (!isRecoveryConflict(err)) throw err;
          return router.onPrimary<R>(query);
        }
      },
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => {
        router.counts[target]++;
        return conn.streamQuery<R>(query, chunkSize);
      },
    };
  }

  private handle(mode: Mode): Db {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const router = this;
    const driver: Driver = {
      init: async () => undefined,
      acquireConnection: () => router.acquire(mode),
      // Read handles run single statements: a transaction belongs on the primary's `db`.
      beginTransaction: async () => {
        throw new Error('read handle: open transactions on db (the primary), not on reads');
      },
      commitTransaction: async () => undefined,
      rollbackTransaction: async () => undefined,
      releaseConnection: async (conn) => (conn as DatabaseConnection & Releasable).release(),
      destroy: async () => undefined,
    };
    return new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => driver,
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
  }
}

interface Releasable {
  release(): Promise<void>;
}

/** The replica, probed once; null when DATABASE_READ_URL is not set. */
export async function openReadReplica(
  primary: DatabaseHandle,
  options: ReadReplicaOptions | null,
  log: ReadReplicaLog,
): Promise<ReadReplica | null> {
  if (!options) return null;
  const replica = new ReadReplica(primary, options, log);
  await replica.start();
  return replica;
}

/** Set after each successful write: the time the caller last wrote, so its next reads can wait for the replica. */
export const WROTE_COOKIE = 'gh_wrote';
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    readScope?: ReadScope;
  }
}

/**
 * Per request: the caller's last write from the gh_wrote cookie (a cookie, not process memory, so the next
 * request may reach any worker or instance), the route run inside that scope, and after a successful write the
 * cookie renewed. The cookie lives DATABASE_READ_MAX_LAG_SECONDS: by then the replica has the write or is
 * lagging too far to answer current reads anyway. It decides only where reads go: forged, it can only send its
 * holder's reads to the primary.
 */
export function installReadRouting(app: FastifyInstance, replica: ReadReplica, cookieSecure: boolean): void {
  app.addHook('onRequest', async (req) => {
    const raw = Number(req.cookies?.[WROTE_COOKIE]);
    req.readScope = { wroteAt: Number.isFinite(raw) && raw > 0 ? raw : null, asOf: null };
  });
  // After body parsing (whose stream events run outside any request's async context): the handler's statements
  // see this request's scope.
  app.addHook('preHandler', (req, _reply, done) => {
    if (req.readScope) runWithReadScope(req.readScope, done);
    else done();
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!READ_METHODS.has(req.method) && reply.statusCode < 400)
      reply.setCookie(WROTE_COOKIE, String(Date.now()), {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: cookieSecure,
        maxAge: Math.max(1, replica.maxLagSeconds),
      });
    const asOf = req.readScope?.asOf;
    if (asOf) reply.header('x-data-as-of', new Date(asOf).toISOString());
    return payload;
  });
  app.addHook('onClose', async () => replica.close());
}
