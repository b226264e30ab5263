import type { Kysely } from 'kysely';

/**
 * 问责 and 表彰 (R17, issue 15 parts 6–7): accountability cases with their evidence snapshot and finding, and
 * each city's yearly commendation list with its nominees (the evidence frozen at nomination).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accountability_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_region_code', 'text', (c) => c.notNull())
    .addColumn('family_id', 'text')
    .addColumn('petition_event_id', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('opened_by_name', 'text', (c) => c.notNull())
    .addColumn('finding', 'text')
    .addColumn('measures', 'text')
    .addColumn('people', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('concluded_at', 'text')
    .addColumn('concluded_by', 'text')
    .addColumn('concluded_by_name', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('accountability_cases_region_idx')
    .on('accountability_cases')
    .columns(['region_code', 'status'])
    .execute();
  await db.schema
    .createIndex('accountability_cases_event_idx')
    .on('accountability_cases')
    .column('petition_event_id')
    .unique()
    .execute();
  // The contacts a finding names: the commendation exclusion reads them by year.
  await db.schema
    .createTable('accountability_case_contacts')
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('finding', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('accountability_case_contacts_pk', ['case_id', 'contact_id'])
    .execute();
  await db.schema
    .createIndex('accountability_case_contacts_idx')
    .on('accountability_case_contacts')
    .columns(['contact_id', 'year'])
    .execute();

  await db.schema
    .createTable('commendation_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('quota', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('approved_by_name', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('commendation_lists_region_year', ['region_code', 'year'])
    .execute();
  await db.schema
    .createTable('commendation_nominees')
    .addColumn('list_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('post', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('commendation_nominees_pk', ['list_id', 'contact_id'])
    .execute();
}
