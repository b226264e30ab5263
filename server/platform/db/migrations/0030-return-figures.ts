import { sql, type Kysely } from 'kysely';

/**
 * The province's statistical return computed live (issue 13, R9), at 100k families:
 *
 * - `family_months.phone_contacts` beside `home_visits`, kept in the same transaction as every contact-log write
 *   (compliance/family-months.repository), so the return's `phone_contacts` is a sum over the fact rows — the
 *   home-visit figures' own scan — instead of every phone log of the period joined to its family. Backfilled
 *   here in one statement from the logs (`contact_logs_mode_month_idx`, 0025) before its index is built.
 *   The roll-up index gains the column at its end (`family_months_rollup_idx` → `family_months_rollup2_idx`):
 *   the roll-up and trend read the same prefix as before, and one index rather than two keeps the write path
 *   at the indexes it had.
 * - `families (region_code, status, entered_at, status_date, family_type, is_special_difficulty, eligible_from,
 *   id)`: every figure over "the families of a range, counted on a day or active now" (summaries, flows, 特别扶助,
 *   the 双岗 / pairing / family-doctor coverages, festival care, the expected children of the reporting rates)
 *   reads this index alone instead of one table row per family (SQLite: 0.6–0.9 s → 0.02–0.1 s each for the
 *   province). It replaces `families_region_idx (region_code, status)`, its prefix.
 * - `family_members (family_id, relation, is_deceased, birth_date)`: the 特别扶助 parents of a family from the
 *   index alone. It replaces `family_members_family_idx (family_id)`, its prefix.
 *
 * `ifNotExists`: a cached bench database may already hold them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('family_months')
    .addColumn('phone_contacts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update family_months set phone_contacts = l.n
    from (select family_id, month, count(*) as n from contact_logs where mode = 'phone' group by family_id, month) as l
    where l.family_id = family_months.family_id and l.month = family_months.month`.execute(db);
  await db.schema
    .createIndex('family_months_rollup2_idx')
    .ifNotExists()
    .on('family_months')
    .columns(['month', 'region_code', 'is_counted', 'home_visits', 'phone_contacts'])
    .execute();
  await db.schema.dropIndex('family_months_rollup_idx').ifExists().execute();

  await db.schema
    .createIndex('families_figures_idx')
    .ifNotExists()
    .on('families')
    .columns([
      'region_code',
      'status',
      'entered_at',
      'status_date',
      'family_type',
      'is_special_difficulty',
      'eligible_from',
      'id',
    ])
    .execute();
  await db.schema.dropIndex('families_region_idx').ifExists().execute();
  await db.schema
    .createIndex('family_members_figures_idx')
    .ifNotExists()
    .on('family_members')
    .columns(['family_id', 'relation', 'is_deceased', 'birth_date'])
    .execute();
  await db.schema.dropIndex('family_members_family_idx').ifExists().execute();
}
