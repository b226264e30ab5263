import { sql, type Kysely } from 'kysely';
import { CODE_LIST_VERSION, CODE_LISTS } from '../../../../common/code-lists.js';
import type { Dialect } from '../database.js';

/**
 * Family archives (R8). Sensitive values (ID numbers, phones, disability certificate numbers) are stored
 * only as SM4 ciphertext, an HMAC-SM3 blind index for exact search, and the masked form lists show.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // Name search is a prefix range; PostgreSQL must compare bytes for that to use the index whatever the locale.
  const nameType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable('code_lists')
    .addColumn('list', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_lists_pk', ['list', 'code'])
    .execute();
  const rows = Object.entries(CODE_LISTS).flatMap(([list, codes]) =>
    Object.entries(codes).map(([code, label], sort) => ({ list, code, label, sort, version: CODE_LIST_VERSION })),
  );
  for (let i = 0; i < rows.length; i += 200)
    await (db as Kysely<{ code_lists: (typeof rows)[number] }>)
      .insertInto('code_lists')
      .values(rows.slice(i, i + 200))
      .execute();

  await db.schema
    .createTable('assistance_rates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('family_type', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.references('regions.code'))
    .addColumn('label', 'text', (c) => c.notNull())
    .execute();
  await (db as Kysely<{ assistance_rates: Record<string, unknown> }>)
    .insertInto('assistance_rates')
    .values([
      {
        id: 'national-2016-disabled',
        effective_from: '2016-01-01',
        family_type: 'disabled',
        amount: 270,
        region_code: null,
        label: '国家标准（2016）',
      },
      {
        id: 'national-2016-bereaved',
        effective_from: '2016-01-01',
        family_type: 'bereaved',
        amount: 340,
        region_code: null,
        label: '国家标准（2016）',
      },
      {
        id: 'national-2022-disabled',
        effective_from: '2022-07-01',
        family_type: 'disabled',
        amount: 460,
        region_code: null,
        label: '国家标准（2022年7月起）',
      },
      {
        id: 'national-2022-bereaved',
        effective_from: '2022-07-01',
        family_type: 'bereaved',
        amount: 590,
        region_code: null,
        label: '国家标准（2022年7月起）',
      },
    ])
    .execute();

  await db.schema
    .createTable('archive_serials')
    .addColumn('village_code', 'text', (c) => c.primaryKey())
    .addColumn('last_serial', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('families')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('archive_no', 'text', (c) => c.notNull().unique())
    .addColumn('family_type', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('current_address', 'text')
    .addColumn('household_status', 'text')
    .addColumn('living_situation', 'text')
    .addColumn('economic_situation', 'text')
    .addColumn('annual_income', 'integer')
    .addColumn('housing_situation', 'text')
    .addColumn('honor_certificate_no', 'text')
    .addColumn('is_special_difficulty', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('status_date', 'text')
    .addColumn('status_note', 'text')
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('eligible_from', 'text')
    .addColumn('extra', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('families_region_idx').on('families').columns(['region_code', 'status']).execute();

  await db.schema
    .createTable('family_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('name', nameType, (c) => c.notNull())
    .addColumn('id_number_enc', 'text', (c) => c.notNull())
    .addColumn('id_number_idx', 'text', (c) => c.notNull())
    .addColumn('id_number_mask', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text')
    .addColumn('phone_idx', 'text')
    .addColumn('phone_mask', 'text')
    .addColumn('ethnicity', 'text')
    .addColumn('education', 'text')
    .addColumn('marital_status', 'text')
    .addColumn('health', 'text')
    .addColumn('self_care', 'text')
    .addColumn('mental_state', 'text')
    .addColumn('pension_insurance', 'text')
    .addColumn('medical_insurance', 'text')
    .addColumn('is_deceased', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('death_date', 'text')
    .addColumn('extra', 'text')
    .addUniqueConstraint('family_members_relation_uq', ['family_id', 'relation'])
    .execute();
  await db.schema.createIndex('family_members_family_idx').on('family_members').column('family_id').execute();
  await db.schema.createIndex('family_members_id_number_idx').on('family_members').column('id_number_idx').execute();
  await db.schema.createIndex('family_members_phone_idx').on('family_members').column('phone_idx').execute();
  await db.schema.createIndex('family_members_name_idx').on('family_members').column('name').execute();

  await db.schema
    .createTable('family_children')
    .addColumn('family_id', 'text', (c) => c.primaryKey().references('families.id'))
    .addColumn('name', nameType)
    .addColumn('relation', 'text')
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('id_number_enc', 'text')
    .addColumn('id_number_mask', 'text')
    .addColumn('death_date', 'text')
    .addColumn('death_cause', 'text')
    .addColumn('disability_cert_enc', 'text')
    .addColumn('disability_cert_mask', 'text')
    .addColumn('disability_category', 'text')
    .addColumn('disability_grade', 'integer')
    .addColumn('is_recovered', 'integer')
    .addColumn('extra', 'text')
    .execute();

  await db.schema
    .createTable('family_assistance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text')
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('family_assistance_family_idx').on('family_assistance').column('family_id').execute();

  await db.schema
    .createTable('family_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('families.id'))
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('family_history_family_idx')
    .on('family_history')
    .columns(['family_id', 'occurred_at'])
    .execute();
}
