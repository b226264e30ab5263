import { sql, type Kysely } from 'kysely';

/**
 * The family-month phone count (issue 13, R9): `family_months.phone_contacts` beside `home_visits`, kept in
 * the same transaction as every contact-log write (compliance/family-months.repository), so the return's
 * `phone_contacts` is one indexed sum of the fact rows — the same scan as the home-visit figures — instead of
 * every phone log of the period joined to its family (SQLite 1.6 s for the province at 100k families).
 *
 * The roll-up index gains the column at its end (`family_months_rollup_idx` → `family_months_rollup2_idx`): the
 * compliance roll-up and trend read the same prefix as before, and the phone sum reads that index alone; one
 * index rather than a second keeps the write path at the indexes it had.
 *
 * Backfill in one statement from the logs (`contact_logs_mode_month_idx`, 0025), before the index is built.
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
}
