import { sql, type Kysely } from 'kysely';

/**
 * The audit chain gets its own order, `chain_seq` (1, 2, 3, … without gaps), apart from `seq` (the row's
 * number when written). On PostgreSQL a write no longer chains its audit row while holding a lock through its
 * commit: the row is inserted in the write's transaction numbered by a sequence, with its chain fields empty,
 * and sealed (chain_seq, prev_hash, hash) right after the commit by AuditLog.seal — so concurrent writes can
 * share a WAL flush. The append-only trigger lets exactly that one fill-in through. SQLite (one writer) keeps
 * chaining inside the write, with chain_seq = seq. Existing rows were chained in seq order: chain_seq = seq.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('chain_seq', 'integer').execute();
  if (dialect === 'sqlite') {
    await sql`drop trigger audit_events_no_update`.execute(db);
    await sql`update audit_events set chain_seq = seq`.execute(db);
    await sql`create trigger audit_events_no_update before update on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
  } else {
    await sql`alter table audit_events disable trigger audit_events_no_change`.execute(db);
    await sql`update audit_events set chain_seq = seq`.execute(db);
    await sql`alter table audit_events enable trigger audit_events_no_change`.execute(db);
    await sql`alter table audit_events alter column prev_hash drop not null, alter column hash drop not null`.execute(
      db,
    );
    await sql`create sequence audit_events_seq owned by audit_events.seq`.execute(db);
    await sql`select setval('audit_events_seq', coalesce((select max(seq) from audit_events), 0) + 1, false)`.execute(
      db,
    );
    // What the sealer looks for: small, since rows stay unsealed for milliseconds.
    await sql`create index audit_events_unsealed_idx on audit_events (seq) where hash is null`.execute(db);
    // Sealing fills in the three chain fields of an unsealed row, once; every other UPDATE or DELETE fails.
    await sql`create or replace function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and old.hash is null and old.prev_hash is null and old.chain_seq is null
          and new.hash is not null and new.prev_hash is not null and new.chain_seq is not null
          and (new.seq, new.occurred_at, new.actor_id, new.actor_username, new.actor_role, new.actor_region_code,
               new.action, new.target_type, new.target_id, new.outcome, new.ip, new.request_id, new.changes)
            is not distinct from
              (old.seq, old.occurred_at, old.actor_id, old.actor_username, old.actor_role, old.actor_region_code,
               old.action, old.target_type, old.target_id, old.outcome, old.ip, old.request_id, old.changes)
        then return new; end if;
        raise exception 'audit_events is append-only';
      end $$`.execute(db);
  }
  await db.schema.createIndex('audit_events_chain_seq_idx').on('audit_events').column('chain_seq').unique().execute();
}
