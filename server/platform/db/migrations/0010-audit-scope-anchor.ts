import { sql, type Kysely } from 'kysely';

/**
 * Audit rows get the region of their target (the auditor reads the events of their own subtree), denials are
 * counted per actor or source and minute before they reach the chain (`audit_rate_windows`), and PostgreSQL
 * refuses TRUNCATE of the log (no row trigger sees a TRUNCATE). The chain head itself is anchored outside the
 * database (platform/audit/anchor.ts), not here.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('target_region_code', 'text').execute();
  await db.schema
    .createIndex('audit_events_target_region_idx')
    .on('audit_events')
    .columns(['target_region_code', 'seq'])
    .execute();
  await db.schema
    .createIndex('audit_events_actor_region_idx')
    .on('audit_events')
    .columns(['actor_region_code', 'seq'])
    .execute();

  await db.schema
    .createTable('audit_rate_windows')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_username', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('actor_region_code', 'text')
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('method', 'text')
    .addColumn('route', 'text')
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('target_region_code', 'text')
    .addPrimaryKeyConstraint('audit_rate_windows_pk', ['key', 'window_start'])
    .execute();
  await db.schema.createIndex('audit_rate_windows_start_idx').on('audit_rate_windows').column('window_start').execute();

  if (dialect === 'postgres') {
    // The sealing exception now also keeps target_region_code unchanged; TRUNCATE (statement level) always fails.
    await sql`create or replace function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and old.hash is null and old.prev_hash is null and old.chain_seq is null
          and new.hash is not null and new.prev_hash is not null and new.chain_seq is not null
          and (new.seq, new.occurred_at, new.actor_id, new.actor_username, new.actor_role, new.actor_region_code,
               new.action, new.target_type, new.target_id, new.outcome, new.ip, new.request_id, new.changes,
               new.target_region_code)
            is not distinct from
              (old.seq, old.occurred_at, old.actor_id, old.actor_username, old.actor_role, old.actor_region_code,
               old.action, old.target_type, old.target_id, old.outcome, old.ip, old.request_id, old.changes,
               old.target_region_code)
        then return new; end if;
        raise exception 'audit_events is append-only';
      end $$`.execute(db);
    await sql`create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_append_only()`.execute(db);
  }
}
