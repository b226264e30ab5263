import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared.js';

/**
 * The per-family-month fact row (family_months) that makes the compliance roll-up a single indexed scan:
 * one row per family per month, counted or not, with that month's home visits, phone contacts and contacts. It
 * is kept in the same transaction as every write that changes it, so the dashboards and the statistical
 * returns' visit and phone figures are live without batch jobs.
 */
export interface FactFamily {
  id: string;
  region_code: string;
  status: string;
  status_date: string | null;
}

export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Active families count; a paused or exited one still counts for months before its status changed. */
export function isCountedIn(f: Pick<FactFamily, 'status' | 'status_date'>, month: string): boolean {
  if (f.status === 'active') return true;
  return f.status_date !== null && f.status_date > monthEnd(month);
}

/** Recounts one family-month from the logs and writes the fact row (insert or update). */
export async function refreshFamilyMonth(db: Executor, family: FactFamily, month: string): Promise<void> {
  // First take the row's lock (creating the row if need be): on PostgreSQL a log counted in by a concurrent
  // transaction (countNewLog) then either committed before the recount below, which sees it, or waits for
  // this transaction and adds itself to the recounted row. Without it the recount could overwrite that +1.
  await db
    .insertInto('family_months')
    .values({
      family_id: family.id,
      month,
      region_code: family.region_code,
      is_counted: isCountedIn(family, month) ? 1 : 0,
      home_visits: 0,
      phone_contacts: 0,
      contacts: 0,
      last_contact_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['family_id', 'month']).doUpdateSet((eb) => ({ contacts: eb.ref('family_months.contacts') })),
    )
    .execute();
  const counts = await db
    .selectFrom('contact_logs')
    .select([
      sql<number>`sum(case when mode = 'home_visit' then 1 else 0 end)`.as('home_visits'),
      sql<number>`sum(case when mode = 'phone' then 1 else 0 end)`.as('phone_contacts'),
      (eb) => eb.fn.countAll<number>().as('contacts'),
      (eb) => eb.fn.max('occurred_at').as('last'),
    ])
    .where('family_id', '=', family.id)
    .where('month', '=', month)
    .executeTakeFirstOrThrow();
  const row = {
    family_id: family.id,
    month,
    region_code: family.region_code,
    is_counted: isCountedIn(family, month) ? 1 : 0,
    home_visits: Number(counts.home_visits ?? 0),
    phone_contacts: Number(counts.phone_contacts ?? 0),
    contacts: Number(counts.contacts ?? 0),
    last_contact_at: (counts.last as string | null) ?? null,
  };
  await db
    .insertInto('family_months')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['family_id', 'month']).doUpdateSet({
        home_visits: row.home_visits,
        phone_contacts: row.phone_contacts,
        contacts: row.contacts,
        last_contact_at: row.last_contact_at,
      }),
    )
    .execute();
}

// Every new contact log counts itself in: prepared (compiled once; the hot write's largest statement to build).
const countNewLogQuery = prepared(
  (
    db,
    p: {
      familyId: string;
      month: string;
      regionCode: string;
      isCounted: number;
      homeVisits: number;
      phoneContacts: number;
      lastContactAt: string;
    },
  ) =>
    db
      .insertInto('family_months')
      .values({
        family_id: p.familyId,
        month: p.month,
        region_code: p.regionCode,
        is_counted: p.isCounted,
        home_visits: p.homeVisits,
        phone_contacts: p.phoneContacts,
        contacts: 1,
        last_contact_at: p.lastContactAt,
      })
      .onConflict((oc) =>
        oc.columns(['family_id', 'month']).doUpdateSet((eb) => ({
          home_visits: eb(eb.ref('family_months.home_visits'), '+', p.homeVisits),
          phone_contacts: eb(eb.ref('family_months.phone_contacts'), '+', p.phoneContacts),
          contacts: eb(eb.ref('family_months.contacts'), '+', 1),
          // ISO-8601 UTC strings order as the instants do, as in the recount's max(occurred_at).
          last_contact_at: eb
            .case()
            .when(
              eb.or([
                eb('family_months.last_contact_at', 'is', null),
                eb('family_months.last_contact_at', '<', eb.ref('excluded.last_contact_at')),
              ]),
            )
            .then(eb.ref('excluded.last_contact_at'))
            .else(eb.ref('family_months.last_contact_at'))
            .end(),
        })),
      ),
);

/**
 * Counts one new log into its family-month without a recount: the row is created or its counts raised in
 * one statement. Equal to `refreshFamilyMonth` because every log reaches the table through a service (or a
 * bulk load followed by `rebuildMonths`), so an existing row already holds the earlier logs and a missing
 * one means there are none. On PostgreSQL the upsert also takes the row lock, so concurrent logs of one
 * family all count (a recount under READ COMMITTED could miss a log committed meanwhile).
 */
export async function countNewLog(
  db: Executor,
  family: FactFamily,
  month: string,
  log: { mode: string; occurred_at: string },
): Promise<void> {
  await countNewLogQuery(db, {
    familyId: family.id,
    month,
    regionCode: family.region_code,
    isCounted: isCountedIn(family, month) ? 1 : 0,
    homeVisits: log.mode === 'home_visit' ? 1 : 0,
    phoneContacts: log.mode === 'phone' ? 1 : 0,
    lastContactAt: log.occurred_at,
  });
}

/** After a family is created, moved or changes status: its row for `month` follows (counts untouched). */
export async function syncFamilyMonth(db: Executor, family: FactFamily, month: string): Promise<void> {
  const isCounted = isCountedIn(family, month) ? 1 : 0;
  await db
    .insertInto('family_months')
    .values({
      family_id: family.id,
      month,
      region_code: family.region_code,
      is_counted: isCounted,
      home_visits: 0,
      phone_contacts: 0,
      contacts: 0,
      last_contact_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['family_id', 'month']).doUpdateSet({ region_code: family.region_code, is_counted: isCounted }),
    )
    .execute();
}

/**
 * Makes sure every active family has its row for `month` (the first request of a month does it; it is
 * idempotent, so several instances may race harmlessly).
 */
export async function ensureMonthRows(db: Executor, month: string): Promise<void> {
  const key = `family_months:${month}`;
  const done = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  if (done) return;
  await db
    .insertInto('family_months')
    .columns([
      'family_id',
      'month',
      'region_code',
      'is_counted',
      'home_visits',
      'phone_contacts',
      'contacts',
      'last_contact_at',
    ])
    .expression((eb) =>
      eb
        .selectFrom('families as f')
        .select([
          'f.id',
          sql.lit(month).as('month'),
          'f.region_code',
          sql.lit(1).as('is_counted'),
          sql.lit(0).as('home_visits'),
          sql.lit(0).as('phone_contacts'),
          sql.lit(0).as('contacts'),
          sql.lit(null).as('last_contact_at'),
        ])
        .where('f.status', '=', 'active'),
    )
    .onConflict((oc) => oc.columns(['family_id', 'month']).doNothing())
    .execute();
  await db
    .insertInto('meta')
    .values({ key, value: 'ready' })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/**
 * Rebuilds the fact rows of the given months from families and logs in one statement per month: for bulk
 * loads (demo data, the synthetic province) that insert logs without going through the services.
 */
export async function rebuildMonths(db: Executor, months: string[]): Promise<void> {
  for (const month of months) {
    const end = monthEnd(month);
    await db
      .insertInto('family_months')
      .columns([
        'family_id',
        'month',
        'region_code',
        'is_counted',
        'home_visits',
        'phone_contacts',
        'contacts',
        'last_contact_at',
      ])
      .expression((eb) =>
        eb
          .selectFrom('families as f')
          .leftJoin(
            (q) =>
              q
                .selectFrom('contact_logs')
                .select([
                  'family_id',
                  sql<number>`sum(case when mode = 'home_visit' then 1 else 0 end)`.as('home_visits'),
                  sql<number>`sum(case when mode = 'phone' then 1 else 0 end)`.as('phone_contacts'),
                  (e) => e.fn.countAll<number>().as('contacts'),
                  (e) => e.fn.max('occurred_at').as('last'),
                ])
                .where('month', '=', month)
                .groupBy('family_id')
                .as('l'),
            (join) => join.onRef('l.family_id', '=', 'f.id'),
          )
          .select([
            'f.id',
            sql.lit(month).as('month'),
            'f.region_code',
            sql<number>`case when f.status = 'active' or f.status_date > ${end} then 1 else 0 end`.as('is_counted'),
            sql<number>`coalesce(l.home_visits, 0)`.as('home_visits'),
            sql<number>`coalesce(l.phone_contacts, 0)`.as('phone_contacts'),
            sql<number>`coalesce(l.contacts, 0)`.as('contacts'),
            'l.last',
          ])
          .where('f.entered_at', '<=', end),
      )
      .onConflict((oc) =>
        oc.columns(['family_id', 'month']).doUpdateSet((eb) => ({
          is_counted: eb.ref('excluded.is_counted'),
          home_visits: eb.ref('excluded.home_visits'),
          phone_contacts: eb.ref('excluded.phone_contacts'),
          contacts: eb.ref('excluded.contacts'),
          last_contact_at: eb.ref('excluded.last_contact_at'),
        })),
      )
      .execute();
  }
}

/**
 * `syncFamilyMonth` for many families in one statement per 4,000 (the import creates thousands in one
 * transaction, and on PostgreSQL every statement is a round trip). Same row as `syncFamilyMonth` writes for each.
 */
export async function syncFamilyMonths(db: Executor, families: FactFamily[], month: string): Promise<void> {
  // 4,000 rows × 8 columns stay under SQLite's 32,766 bound parameters.
  for (let i = 0; i < families.length; i += 4_000) {
    await db
      .insertInto('family_months')
      .values(
        families.slice(i, i + 4_000).map((f) => ({
          family_id: f.id,
          month,
          region_code: f.region_code,
          is_counted: isCountedIn(f, month) ? 1 : 0,
          home_visits: 0,
          phone_contacts: 0,
          contacts: 0,
          last_contact_at: null,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['family_id', 'month']).doUpdateSet((eb) => ({
          region_code: eb.ref('excluded.region_code'),
          is_counted: eb.ref('excluded.is_counted'),
        })),
      )
      .execute();
  }
}

/** The family-month facts summed per county, shard and month: what `county_months` (0032) holds, as a query. */
function countySums(db: Executor) {
  return db
    .selectFrom('family_months')
    .select([
      'month',
      sql<string>`substr(region_code, 1, 6) || '000000'`.as('county_code'),
      sql<string>`substr(family_id, length(family_id))`.as('shard'),
      sql<number>`sum(is_counted)`.as('families'),
      sql<number>`sum(case when is_counted = 1 and home_visits > 0 then 1 else 0 end)`.as('visited'),
      sql<number>`sum(phone_contacts)`.as('phone_contacts'),
    ])
    .groupBy(['month', sql`substr(region_code, 1, 6)`, sql`substr(family_id, length(family_id))`]);
}

/**
 * Rebuilds `county_months` from the facts: for a bulk load that wrote the facts with triggers off (PostgreSQL
 * `session_replication_role = replica`). The triggers keep it otherwise.
 */
export async function rebuildCountyMonths(db: Executor): Promise<void> {
  await db.deleteFrom('county_months').execute();
  await db
    .insertInto('county_months')
    .columns(['month', 'county_code', 'shard', 'families', 'visited', 'phone_contacts'])
    .expression(countySums(db))
    .execute();
}

/** County-months whose stored sums differ from the facts' (none, unless something wrote around the triggers). */
export async function countyMonthsDrift(db: Executor) {
  const [stored, facts] = await Promise.all([
    db.selectFrom('county_months').selectAll().execute(),
    countySums(db).execute(),
  ]);
  const key = (r: { month: string; county_code: string; shard: string }) => `${r.month}|${r.county_code}|${r.shard}`;
  const sums = (r?: { families: number; visited: number; phone_contacts: number }) =>
    r ? [Number(r.families), Number(r.visited), Number(r.phone_contacts)].join('/') : '0/0/0';
  const byKey = new Map(stored.map((r) => [key(r), r]));
  const drift: Array<{ month: string; countyCode: string; shard: string; stored: string; facts: string }> = [];
  for (const f of facts) {
    const s = byKey.get(key(f));
    byKey.delete(key(f));
    if (sums(s) !== sums(f))
      drift.push({ month: f.month, countyCode: f.county_code, shard: f.shard, stored: sums(s), facts: sums(f) });
  }
  for (const s of byKey.values())
    if (sums(s) !== '0/0/0')
      drift.push({ month: s.month, countyCode: s.county_code, shard: s.shard, stored: sums(s), facts: '0/0/0' });
  return drift;
}
