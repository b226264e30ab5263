import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * The national roll-up at 1M families (issue 19 item 2) read every family-month row of the month — a million
 * index entries, 222–303 ms on 2 cores, growing with the country. `county_months` holds the same figures summed
 * per county and month (counted families, those home-visited, phone contacts), in 16 shards by the last character
 * of the family's id: ~21k rows a month for the 11 provinces of the national bench (~47k for all 2,900 counties),
 * so every roll-up above a county (national, province, city) and every trend of a county or more reads those
 * instead of a row per family. A county's townships and below still read the facts (a county's few thousand).
 *
 * It is kept by triggers on `family_months`, in the same transaction as the fact row it sums, whichever write
 * changed it (a contact log, a recount, a family's move or status change, an import, a month's rows, a bulk
 * rebuild): no write path can forget it, and nothing is batched. A sum row is only touched when a sum changes (a
 * second home visit in a month changes none); the shards keep one county's concurrent writes mostly on different
 * rows (the contact log counts itself in last, so the row is held for the commit only).
 * - SQLite: row triggers (one writer at a time; each is an in-process upsert of one small row).
 * - PostgreSQL: statement triggers over the transition tables, so a statement that writes a million fact rows
 *   (ensureMonthRows, rebuildMonths) adds one aggregated upsert, not a million; rows are upserted in key order so
 *   two transactions lock them in the same order. A bulk load with triggers off (`session_replication_role =
 *   replica`, the national bench seed) rebuilds the sums afterwards with `rebuildCountyMonths`.
 *
 * The backfill below is the same aggregate as `rebuildCountyMonths` (family-months.repository), and a test holds
 * the sums equal to the facts after every kind of write.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('county_months')
    .addColumn('month', 'text', (c) => c.notNull())
    // The county's 12-digit code: the first 6 digits of the family's region code, then zeros.
    .addColumn('county_code', 'text', (c) => c.notNull())
    // The last character of the family's id (16 values for a UUID): concurrent writes of one county's families
    // mostly lock different rows. Readers sum over it.
    .addColumn('shard', 'text', (c) => c.notNull())
    .addColumn('families', 'integer', (c) => c.notNull())
    .addColumn('visited', 'integer', (c) => c.notNull())
    .addColumn('phone_contacts', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('county_months_pk', ['month', 'county_code', 'shard'])
    .execute();

  await sql`insert into county_months (month, county_code, shard, families, visited, phone_contacts)
    select month, substr(region_code, 1, 6) || '000000', substr(family_id, length(family_id)), sum(is_counted),
      sum(case when is_counted = 1 and home_visits > 0 then 1 else 0 end), sum(phone_contacts)
    from family_months group by month, substr(region_code, 1, 6), substr(family_id, length(family_id))`.execute(db);

  if (dialect === 'sqlite') await sqliteTriggers(db);
  else {
    await postgresTriggers(db);
    // Statistics now, not at autovacuum's leisure: without them the national roll-up's plan sorted its rows on disk.
    await sql`analyze county_months`.execute(db);
  }
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  // One upsert adding a row's figures (sign +1) or taking them away (sign -1).
  const apply = (row: 'new' | 'old', sign: 1 | -1) =>
    sql.raw(`
    insert into county_months (month, county_code, shard, families, visited, phone_contacts)
    values (${row}.month, substr(${row}.region_code, 1, 6) || '000000',
      substr(${row}.family_id, length(${row}.family_id)), ${sign} * ${row}.is_counted,
      ${sign} * (${row}.is_counted = 1 and ${row}.home_visits > 0), ${sign} * ${row}.phone_contacts)
    on conflict (month, county_code, shard) do update set
      families = families + excluded.families,
      visited = visited + excluded.visited,
      phone_contacts = phone_contacts + excluded.phone_contacts;`);
  await sql`create trigger family_months_sum_insert after insert on family_months
    begin ${apply('new', 1)} end`.execute(db);
  await sql`create trigger family_months_sum_update
    after update of month, region_code, is_counted, home_visits, phone_contacts on family_months
    when old.month is not new.month or substr(old.region_code, 1, 6) is not substr(new.region_code, 1, 6)
      or old.is_counted <> new.is_counted or (old.home_visits > 0) <> (new.home_visits > 0)
      or old.phone_contacts <> new.phone_contacts
    begin ${apply('old', -1)} ${apply('new', 1)} end`.execute(db);
  await sql`create trigger family_months_sum_delete after delete on family_months
    begin ${apply('old', -1)} end`.execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  // Each statement's rows as signed deltas per county, shard and month; `deltas` is the transition table(s).
  const upsert = (deltas: string) => `
    insert into county_months as t (month, county_code, shard, families, visited, phone_contacts)
    select month, county_code, shard, sum(families), sum(visited), sum(phone_contacts)
    from (${deltas}) d
    group by month, county_code, shard
    having sum(families) <> 0 or sum(visited) <> 0 or sum(phone_contacts) <> 0
    order by month, county_code, shard
    on conflict (month, county_code, shard) do update set
      families = t.families + excluded.families,
      visited = t.visited + excluded.visited,
      phone_contacts = t.phone_contacts + excluded.phone_contacts;`;
  const rows = (table: string, sign: string) => `
    select month, substr(region_code, 1, 6) || '000000' as county_code,
      substr(family_id, length(family_id)) as shard, ${sign} is_counted as families,
      ${sign} (case when is_counted = 1 and home_visits > 0 then 1 else 0 end) as visited,
      ${sign} phone_contacts as phone_contacts
    from ${table}`;
  const fn = async (name: string, body: string) =>
    sql`create function ${sql.raw(name)}() returns trigger language plpgsql as ${sql.raw(`$$
      begin ${body} return null; end $$`)}`.execute(db);
  await fn('family_months_sum_insert', upsert(rows('new_rows', '')));
  await fn('family_months_sum_update', upsert(`${rows('new_rows', '')} union all ${rows('old_rows', '-')}`));
  await fn('family_months_sum_delete', upsert(rows('old_rows', '-')));
  await sql`create trigger family_months_sum_insert after insert on family_months
    referencing new table as new_rows for each statement execute function family_months_sum_insert()`.execute(db);
  await sql`create trigger family_months_sum_update after update on family_months
    referencing old table as old_rows new table as new_rows
    for each statement execute function family_months_sum_update()`.execute(db);
  await sql`create trigger family_months_sum_delete after delete on family_months
    referencing old table as old_rows for each statement execute function family_months_sum_delete()`.execute(db);
}
