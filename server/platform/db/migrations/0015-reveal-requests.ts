import type { Kysely } from 'kysely';

/**
 * Issue 10 item 16: beyond the hourly reveal limit, a reveal needs the township's approval. A request names one
 * value (family + field) and why; township staff of the family's township (or the county above) approve or
 * reject it; an approved request lets its requester see that one value once before it expires.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reveal_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    // The family's region when filed: the approvers are the staff over it.
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    // pending → approved → used, or pending → rejected; an approved request past expires_at is expired.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('used_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('reveal_requests_region_idx')
    .on('reveal_requests')
    .columns(['region_code', 'status'])
    .execute();
  await db.schema
    .createIndex('reveal_requests_requester_idx')
    .on('reveal_requests')
    .columns(['requested_by', 'family_id', 'field'])
    .execute();
}
