import type { AuditAnchor } from './audit/anchor.js';
import type { AuditContext, AuditLog } from './audit/audit-log.js';
import type { SessionStore } from './auth/sessions.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { CryptoProvider } from './crypto/crypto-provider.js';
import type { Db, Dialect } from './db/database.js';
import type { Actor } from './scope.js';

/** The cross-cutting floor every module service is built on. Built once per app by buildApp. */
export interface Platform {
  config: Config;
  db: Db;
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
}
