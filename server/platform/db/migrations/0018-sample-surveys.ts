import type { Kysely } from 'kysely';

/**
 * The yearly 1 % sample survey (R16): the survey with its recorded rule and seed, the frozen frame (every
 * family id on the frame date with its stratum), the strata and their allocation, the sampled families in
 * draw order with π and weight, the call attempts, the answers, and the discrepancies for the county.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sample_surveys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('frame_date', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('rate', 'double precision', (c) => c.notNull())
    .addColumn('q', 'double precision', (c) => c.notNull())
    .addColumn('min_per_county', 'integer', (c) => c.notNull())
    .addColumn('allocation_rule', 'text', (c) => c.notNull())
    .addColumn('prng', 'text', (c) => c.notNull())
    .addColumn('prng_version', 'text', (c) => c.notNull())
    .addColumn('replace_unreachable', 'integer', (c) => c.notNull())
    .addColumn('frame_size', 'integer', (c) => c.notNull())
    .addColumn('sample_size', 'integer', (c) => c.notNull())
    .addColumn('frame_digest', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('sample_surveys_region_idx')
    .on('sample_surveys')
    .columns(['region_code', 'year'])
    .execute();

  // The frozen frame: one row per family, so the sample can be drawn again from exactly these ids.
  await db.schema
    .createTable('sample_survey_frame')
    .addColumn('survey_id', 'text', (c) => c.notNull().references('sample_surveys.id'))
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('family_type', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sample_survey_frame_pk', ['survey_id', 'family_id'])
    .execute();

  await db.schema
    .createTable('sample_survey_strata')
    .addColumn('survey_id', 'text', (c) => c.notNull().references('sample_surveys.id'))
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('family_type', 'text', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull())
    .addColumn('sample', 'integer', (c) => c.notNull())
    .addColumn('quota', 'double precision', (c) => c.notNull())
    .addColumn('reserves_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('sample_survey_strata_pk', ['survey_id', 'county_code', 'family_type'])
    .execute();

  await db.schema
    .createTable('sample_survey_families')
    .addColumn('survey_id', 'text', (c) => c.notNull().references('sample_surveys.id'))
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('family_type', 'text', (c) => c.notNull())
    /** Position in the stratum's drawn order: 0 … n_h − 1 the sample, n_h … the reserves in the order used. */
    .addColumn('draw_rank', 'integer', (c) => c.notNull())
    .addColumn('pi', 'double precision', (c) => c.notNull())
    .addColumn('weight', 'double precision', (c) => c.notNull())
    .addColumn('replaces_family_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('surveyor_id', 'text', (c) => c.references('users.id'))
    .addColumn('assigned_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('sample_survey_families_pk', ['survey_id', 'family_id'])
    .execute();
  await db.schema
    .createIndex('sample_survey_families_region_idx')
    .on('sample_survey_families')
    .columns(['survey_id', 'region_code'])
    .execute();
  await db.schema
    .createIndex('sample_survey_families_surveyor_idx')
    .on('sample_survey_families')
    .columns(['surveyor_id', 'status'])
    .execute();
  await db.schema
    .createIndex('sample_survey_families_family_idx')
    .on('sample_survey_families')
    .column('family_id')
    .execute();

  await db.schema
    .createTable('sample_survey_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('sample_surveys.id'))
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .addColumn('surveyor_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sample_survey_attempts_family_idx')
    .on('sample_survey_attempts')
    .columns(['survey_id', 'family_id'])
    .execute();

  await db.schema
    .createTable('sample_survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('sample_surveys.id'))
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sample_survey_responses_uq', ['survey_id', 'family_id'])
    .execute();

  await db.schema
    .createTable('survey_discrepancies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('sample_surveys.id'))
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text')
    .addColumn('explained_by', 'text')
    .addColumn('explained_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('survey_discrepancies_region_idx')
    .on('survey_discrepancies')
    .columns(['region_code', 'status'])
    .execute();
  await db.schema
    .createIndex('survey_discrepancies_survey_idx')
    .on('survey_discrepancies')
    .columns(['survey_id', 'family_id'])
    .execute();
}
