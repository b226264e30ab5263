import type { Kysely } from 'kysely';

/**
 * 考核 (issue 15 part 5): a yearly assessment scheme of a province or a city. While a draft its result is
 * computed live; publishing stores the result (`snapshot`: the scheme, every input figure and score) and
 * the scheme never changes after.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assessment_schemes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('survey_id', 'text')
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by_name', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('assessment_schemes_region_idx')
    .on('assessment_schemes')
    .columns(['region_code', 'year'])
    .execute();
}
