import type { AuditAnchor } from './audit/anchor.js';
import type { AuditContext, AuditLog } from './audit/audit-log.js';
import type { SessionStore } from './auth/sessions.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { CryptoProvider } from './crypto/crypto-provider.js';
import type { Db, Dialect, Tx } from './db/database.js';
import type { ReadReplica } from './db/read-replica.js';
import type { Actor } from './scope.js';

/** The cross-cutting floor every module service is built on. Built once per app by buildApp. */
export interface Platform {
  config: Config;
  /** The primary: writes, transactions, sessions, locks, audit, and every read that must see its own writes. */
  db: Db;
  /**
   * Read-only statements of lists, searches and exports: the read replica (DATABASE_READ_URL) when it is up,
   * at most DATABASE_READ_MAX_LAG_SECONDS behind and past the caller's last write; else `db`. No writes and no
   * transactions on it. Without a replica it is `db`.
   */
  reads: Db;
  /** Dashboards and reports: like `reads`, but a lagging replica still serves (the answer says 数据截至 …). */
  reportReads: Db;
  /** The replica's router and state; null without DATABASE_READ_URL. */
  replica: ReadReplica | null;
  dialect: Dialect;
  crypto: CryptoProvider;
  clock: Clock;
  audit: AuditLog;
  /** Signed checkpoints of the audit chain's head, outside the database. */
  anchor: AuditAnchor;
  sessions: SessionStore;
}

/** What a service needs from the request: who acts, and where from (for the audit log). */
export interface RequestContext extends AuditContext {
  actor: Actor;
  /**
   * Set on a phone-side POST sent with `Idempotency-Key` (modules/idempotency): the service calls it inside its
   * write transaction with the answer's data, so the key row commits with the record or not at all.
   */
  keepAnswer?: (trx: Tx, data: unknown) => Promise<void>;
}
