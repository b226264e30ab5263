import type { Kysely } from 'kysely';

/** Responding to what happens (R5, R6, R7, R11): major events, festival care, petition risk, needs, joint meetings. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('major_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('affected', 'text')
    .addColumn('affected_relation', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('response_due_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('responded_at', 'text')
    .addColumn('response_log_id', 'text', (c) => c.references('contact_logs.id'))
    .addColumn('follow_up', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('death_confirmed_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('major_events_family_idx').on('major_events').column('family_id').execute();
  await db.schema
    .createIndex('major_events_open_idx')
    .on('major_events')
    .columns(['status', 'response_due_at'])
    .execute();
  await db.schema
    .createIndex('major_events_region_idx')
    .on('major_events')
    .columns(['region_code', 'status'])
    .execute();

  await db.schema
    .createTable('event_escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('major_events.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('escalated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_escalations_event_idx').on('event_escalations').column('event_id').execute();

  await db.schema
    .createTable('festival_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('festival', 'text', (c) => c.notNull())
    .addColumn('festival_date', 'text', (c) => c.notNull())
    .addColumn('window_from', 'text', (c) => c.notNull())
    .addColumn('window_to', 'text', (c) => c.notNull())
    .addUniqueConstraint('festival_campaigns_uq', ['year', 'festival'])
    .execute();

  await db.schema
    .createTable('festival_care')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('festival_campaigns.id'))
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('manner', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer')
    .addColumn('goods', 'text')
    .addColumn('cared_on', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
    .addColumn('outside_window_reason', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('festival_care_uq', ['campaign_id', 'family_id'])
    .execute();
  await db.schema
    .createIndex('festival_care_region_idx')
    .on('festival_care')
    .columns(['campaign_id', 'region_code'])
    .execute();

  await db.schema
    .createTable('petition_risks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('target_level', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('signals', 'text', (c) => c.notNull())
    .addColumn('identified_at', 'text', (c) => c.notNull())
    .addColumn('visit_due_at', 'text', (c) => c.notNull())
    .addColumn('visited_at', 'text')
    .addColumn('visit_log_id', 'text', (c) => c.references('contact_logs.id'))
    .addColumn('review_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('alerted_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('petition_risks_family_idx').on('petition_risks').column('family_id').execute();
  await db.schema
    .createIndex('petition_risks_region_idx')
    .on('petition_risks')
    .columns(['region_code', 'status'])
    .execute();

  await db.schema
    .createTable('petition_handlings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('risk_id', 'text', (c) => c.notNull().references('petition_risks.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('handled_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('petition_handlings_risk_idx').on('petition_handlings').column('risk_id').execute();

  await db.schema
    .createTable('petition_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('risk_id', 'text', (c) => c.references('petition_risks.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('petition_events_family_idx').on('petition_events').column('family_id').execute();
  await db.schema.createIndex('petition_events_region_idx').on('petition_events').column('region_code').execute();

  await db.schema
    .createTable('needs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('contact_log_id', 'text', (c) => c.references('contact_logs.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('resolution', 'text')
    .addColumn('confirmed_with_family_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('needs_family_idx').on('needs').column('family_id').execute();
  await db.schema.createIndex('needs_region_idx').on('needs').columns(['region_code', 'status']).execute();

  await db.schema
    .createTable('joint_meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('county_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('departments', 'text', (c) => c.notNull())
    .addColumn('minutes', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('joint_meetings_county_idx').on('joint_meetings').column('county_code').execute();

  await db.schema
    .createTable('joint_meeting_items')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('joint_meetings.id'))
    .addColumn('need_id', 'text', (c) => c.notNull().references('needs.id'))
    .addColumn('decision', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('joint_meeting_items_pk', ['meeting_id', 'need_id'])
    .execute();
  await db.schema.createIndex('joint_meeting_items_need_idx').on('joint_meeting_items').column('need_id').execute();

  await db.schema
    .createTable('job_runs')
    .addColumn('job', 'text', (c) => c.primaryKey())
    .addColumn('last_run_at', 'text', (c) => c.notNull())
    .execute();
}
