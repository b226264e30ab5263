import type { Kysely } from 'kysely';

/**
 * 督办 (issue 11 item 13): a notice from a level to one of its child regions — what, by when — answered and so
 * closed by that region. Same number as 0019-name-search (the number assigned to this piece of work).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('supervision_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_region_code', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('figure', 'text')
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reply', 'text')
    .addColumn('replied_by', 'text')
    .addColumn('replied_by_name', 'text')
    .addColumn('replied_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('supervision_orders_region_idx')
    .on('supervision_orders')
    .columns(['region_code', 'status'])
    .execute();
  await db.schema
    .createIndex('supervision_orders_from_idx')
    .on('supervision_orders')
    .columns(['from_region_code', 'created_at'])
    .execute();
}
