import { sql, type Kysely } from 'kysely';

/**
 * Master-key versions (`npm run rekey`, platform/rekey). The audit log is append-only and is never re-MAC'd: each
 * row records the key version whose audit key made its MAC (`audit_events.key_version`, 1 for every row before
 * the first rotation), and `key_versions` lists the versions — one `current`, the rest `retired` with their audit,
 * anchor and index keys sealed under the current master key's key-wrap key (`sealed_keys`; a rotation re-seals
 * them all), so verification needs only the current key. `key_id` names a master key (derived from it, the id in
 * field tokens), never holds it. No rows: version 1, never rotated.
 *
 * The PostgreSQL append-only trigger keeps `key_version` unchanged when a row is sealed, like every other field.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('key_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('sealed_keys', 'text')
    .addColumn('rotation_id', 'text')
    .addColumn('first_chain_seq', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await db.schema
    .alterTable('audit_events')
    .addColumn('key_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  if (dialect === 'postgres') {
    await sql`create or replace function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and old.hash is null and old.prev_hash is null and old.chain_seq is null
          and new.hash is not null and new.prev_hash is not null and new.chain_seq is not null
          and (new.seq, new.occurred_at, new.actor_id, new.actor_username, new.actor_role, new.actor_region_code,
               new.action, new.target_type, new.target_id, new.outcome, new.ip, new.request_id, new.changes,
               new.target_region_code, new.key_version)
            is not distinct from
              (old.seq, old.occurred_at, old.actor_id, old.actor_username, old.actor_role, old.actor_region_code,
               old.action, old.target_type, old.target_id, old.outcome, old.ip, old.request_id, old.changes,
               old.target_region_code, old.key_version)
        then return new; end if;
        raise exception 'audit_events is append-only';
      end $$`.execute(db);
  }
}
