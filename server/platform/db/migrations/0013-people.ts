import type { Kysely } from 'kysely';

/**
 * The people around the families (R12–R15) and the 三个全覆盖: liaisons and their subsidies, county
 * staffing, partner organisations and pairings, trainings with attendance, and the family-doctor and
 * priority-medical-access records of each archive. Money is stored in fen (integers) on both databases.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // "有条件的县": a county switches its liaison programme on; the 2–3 check applies only then.
  await db.schema
    .createTable('liaison_programmes')
    .addColumn('county_code', 'text', (c) => c.primaryKey().references('regions.code'))
    .addColumn('is_running', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('liaisons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('family_id', 'text', (c) => c.references('families.id'))
    .addColumn('member_id', 'text', (c) => c.references('family_members.id'))
    .addColumn('phone_enc', 'text')
    .addColumn('phone_idx', 'text')
    .addColumn('phone_mask', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('liaisons_region_idx').on('liaisons').columns(['region_code', 'status']).execute();
  await db.schema.createIndex('liaisons_family_idx').on('liaisons').column('family_id').execute();
  await db.schema.createIndex('liaisons_member_idx').on('liaisons').column('member_id').execute();

  await db.schema
    .createTable('liaison_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('liaison_id', 'text', (c) => c.notNull().references('liaisons.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('reported_on', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('family_id', 'text', (c) => c.references('families.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('liaison_reports_liaison_idx')
    .on('liaison_reports')
    .columns(['liaison_id', 'reported_on'])
    .execute();
  await db.schema.createIndex('liaison_reports_family_idx').on('liaison_reports').column('family_id').execute();

  await db.schema
    .createTable('liaison_subsidies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('liaison_id', 'text', (c) => c.notNull().references('liaisons.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('payer_region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('payer_level', 'text', (c) => c.notNull())
    .addColumn('paid_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('liaison_subsidies_liaison_idx').on('liaison_subsidies').column('liaison_id').execute();
  await db.schema
    .createIndex('liaison_subsidies_region_idx')
    .on('liaison_subsidies')
    .columns(['year', 'region_code'])
    .execute();
  await db.schema
    .createIndex('liaison_subsidies_payer_idx')
    .on('liaison_subsidies')
    .column('payer_region_code')
    .execute();

  // R13: one row per county (its version), members with dates; a change ends rows, never deletes them.
  await db.schema
    .createTable('county_staffing')
    .addColumn('county_code', 'text', (c) => c.primaryKey().references('regions.code'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('county_staffing_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('county_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('duty', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('county_staffing_members_county_idx')
    .on('county_staffing_members')
    .columns(['county_code', 'ended_on'])
    .execute();
  await db.schema
    .createIndex('county_staffing_members_user_idx')
    .on('county_staffing_members')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('partner_organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('contact_person', 'text')
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('partner_organizations_region_idx')
    .on('partner_organizations')
    .column('region_code')
    .execute();

  await db.schema
    .createTable('pairings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.references('partner_organizations.id'))
    .addColumn('volunteer_name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('pairings_family_idx').on('pairings').column('family_id').execute();
  await db.schema.createIndex('pairings_region_idx').on('pairings').columns(['region_code', 'ended_on']).execute();
  await db.schema.createIndex('pairings_organization_idx').on('pairings').column('organization_id').execute();

  await db.schema
    .createTable('pairing_activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pairing_id', 'text', (c) => c.notNull().references('pairings.id'))
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('pairing_activities_pairing_idx')
    .on('pairing_activities')
    .columns(['pairing_id', 'occurred_on'])
    .execute();
  await db.schema.createIndex('pairing_activities_family_idx').on('pairing_activities').column('family_id').execute();

  await db.schema
    .createTable('trainings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('trainer', 'text')
    .addColumn('duration_minutes', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('trainings_region_idx').on('trainings').columns(['year', 'region_code']).execute();

  await db.schema
    .createTable('training_attendance')
    .addColumn('training_id', 'text', (c) => c.notNull().references('trainings.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('training_attendance_pk', ['training_id', 'contact_id'])
    .execute();
  await db.schema
    .createIndex('training_attendance_contact_idx')
    .on('training_attendance')
    .columns(['contact_id', 'year'])
    .execute();

  // 家庭医生签约 and 就医绿色通道 / 优先便利: one row per record; a renewal supersedes, history stays.
  await db.schema
    .createTable('family_medical_services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('arrangement', 'text')
    .addColumn('institution', 'text', (c) => c.notNull())
    .addColumn('doctor', 'text')
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('ended_on', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('family_medical_services_family_idx')
    .on('family_medical_services')
    .columns(['family_id', 'kind'])
    .execute();
  await db.schema
    .createIndex('family_medical_services_region_idx')
    .on('family_medical_services')
    .columns(['kind', 'region_code'])
    .execute();
}
