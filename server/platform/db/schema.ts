import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Portable types only: text ids (app-generated), ISO-8601 UTC text
 * timestamps, integers 0/1 for booleans (mapped explicitly in repositories), JSON as text.
 */
export interface RegionTable {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  region_code: string;
  is_disabled: number;
  failed_attempts: number;
  locked_until: string | null;
  password_changed_at: string;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SessionTable {
  /** SM3 digest of the session token: a stolen database does not yield live sessions. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  ip: string | null;
}

export interface AuditEventTable {
  seq: number;
  occurred_at: string;
  actor_id: string | null;
  actor_username: string | null;
  actor_role: string | null;
  actor_region_code: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  request_id: string | null;
  changes: string | null;
  prev_hash: string;
  hash: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  regions: RegionTable;
  users: UserTable;
  sessions: SessionTable;
  audit_events: AuditEventTable;
  meta: MetaTable;
}

export type { Generated };
