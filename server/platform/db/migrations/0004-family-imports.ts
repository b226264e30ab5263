import type { Kysely } from 'kysely';

/**
 * Family import jobs (issue 3 part 7). All state of a job lives here so any instance can answer a poll
 * and a restarted one can fail a job that died with its process. The uploaded file itself is never
 * stored: only counts, the row errors (no ID number or phone in them) and, encrypted, the original cells
 * of the rows in error for the downloadable error workbook.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('family_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('stage', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('skips', 'text', (c) => c.notNull())
    .addColumn('is_truncated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message', 'text')
    .addColumn('error_rows_enc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('family_imports_created_by_idx')
    .on('family_imports')
    .columns(['created_by', 'created_at'])
    .execute();
  await db.schema
    .createIndex('family_imports_region_idx')
    .on('family_imports')
    .columns(['region_code', 'created_at'])
    .execute();
  await db.schema.createIndex('family_imports_status_idx').on('family_imports').columns(['status']).execute();
}
