import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Dual-post contacts (R1–R4): the contact registry, assignments with history, contact logs, and the
 * per-family-month fact row the live compliance roll-up reads (kept in the same transaction as each log).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  void dialect;
  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('phone_idx', 'text', (c) => c.notNull())
    .addColumn('phone_mask', 'text', (c) => c.notNull())
    .addColumn('post', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('organization', 'text')
    .addColumn('title', 'text')
    .addColumn('user_id', 'text', (c) => c.references('users.id').unique())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('contacts_region_idx').on('contacts').columns(['region_code', 'post']).execute();

  await db.schema
    .createTable('assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('post', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  // A family holds at most one active township post, village post and county-leader post (R1, R2).
  await sql`create unique index assignments_one_active_post on assignments (family_id, post)
    where ended_at is null and post in ('township_cadre', 'village_cadre', 'county_leader')`.execute(db);
  await sql`create unique index assignments_one_active_helper on assignments (family_id, contact_id)
    where ended_at is null`.execute(db);
  await db.schema
    .createIndex('assignments_contact_idx')
    .on('assignments')
    .columns(['contact_id', 'ended_at'])
    .execute();
  await db.schema.createIndex('assignments_family_idx').on('assignments').columns(['family_id', 'ended_at']).execute();

  await db.schema
    .createTable('contact_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('participants', 'text')
    .addColumn('health', 'text')
    .addColumn('self_care', 'text')
    .addColumn('mental_state', 'text')
    .addColumn('demands', 'text')
    .addColumn('policies_explained', 'text')
    .addColumn('problems_coordinated', 'text')
    .addColumn('follow_ups', 'text')
    .addColumn('notes', 'text')
    .addColumn('is_on_behalf', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('contact_logs_family_idx')
    .on('contact_logs')
    .columns(['family_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('contact_logs_contact_idx')
    .on('contact_logs')
    .columns(['contact_id', 'month', 'mode'])
    .execute();

  await db.schema
    .createTable('contact_log_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('log_id', 'text', (c) => c.notNull().references('contact_logs.id'))
    .addColumn('revised_at', 'text', (c) => c.notNull())
    .addColumn('revised_by', 'text', (c) => c.notNull())
    .addColumn('previous', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_log_revisions_log_idx').on('contact_log_revisions').column('log_id').execute();

  // One row per family and month: counted (active that month) or not, and how it was contacted.
  await db.schema
    .createTable('family_months')
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('is_counted', 'integer', (c) => c.notNull())
    .addColumn('home_visits', 'integer', (c) => c.notNull())
    .addColumn('contacts', 'integer', (c) => c.notNull())
    .addColumn('last_contact_at', 'text')
    .addPrimaryKeyConstraint('family_months_pk', ['family_id', 'month'])
    .execute();
  // Covering index: the roll-up reads only this index.
  await db.schema
    .createIndex('family_months_rollup_idx')
    .on('family_months')
    .columns(['month', 'region_code', 'is_counted', 'home_visits'])
    .execute();
}
