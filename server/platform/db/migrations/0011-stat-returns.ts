import type { Kysely } from 'kysely';

/**
 * Statistical returns (R9): one row per template × period × region, its figures (JSON) live while a
 * draft and frozen at submission with the definitions' versions, and the history of its approval chain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stat_returns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('first_submitted_at', 'text')
    .addColumn('timeliness', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('definition_versions', 'text', (c) => c.notNull())
    .addColumn('checks', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('manual', 'text', (c) => c.notNull())
    .addColumn('remarks', 'text')
    .addColumn('prepared_by', 'text')
    .addColumn('responsible_person', 'text')
    .addColumn('explanations', 'text', (c) => c.notNull())
    .addColumn('missing_reasons', 'text', (c) => c.notNull())
    .addColumn('return_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('stat_returns_uq', ['template', 'period', 'region_code'])
    .execute();
  await db.schema
    .createIndex('stat_returns_region_idx')
    .on('stat_returns')
    .columns(['region_code', 'template', 'period'])
    .execute();
  await db.schema.createIndex('stat_returns_status_idx').on('stat_returns').columns(['status', 'due_at']).execute();

  await db.schema
    .createTable('stat_return_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('return_id', 'text', (c) => c.notNull().references('stat_returns.id'))
    // The return's version the step produced: orders the history even within one millisecond.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stat_return_events_return_idx')
    .on('stat_return_events')
    .columns(['return_id', 'seq'])
    .execute();
}
