import { sql } from 'kysely';
import { familiesOfContact } from '../contacts/contacts.service.js';
import type { Executor } from '../../platform/db/database.js';
import { SIGNIFICANT_DIGITS, type RegionRange } from '../../platform/scope.js';
import { inRange, paginate, unitPrefix } from '../../platform/db/query-helpers.js';

/**
 * Where a region's monthly figures are summed from. When the range is a county or a region above one and the
 * units are counties or larger, each county lies wholly inside or outside them, so the figures come from
 * `county_months` (0032: ~21k rows a month for the national bench's million families); a county's townships,
 * a township's villages, or anything inside a county come from the family-month rows. The same figures either
 * way: the sums are kept by triggers in the facts' own transactions.
 */
function figureSource(range: RegionRange, digits: number | null) {
  const wholeCounties = range.from.endsWith('000000') && range.to.endsWith('999999');
  return wholeCounties && (digits ?? 0) <= SIGNIFICANT_DIGITS.county
    ? {
        table: 'county_months' as const,
        code: 'county_code' as const,
        families: sql<number>`sum(families)`,
        visited: sql<number>`sum(visited)`,
      }
    : {
        table: 'family_months' as const,
        code: 'region_code' as const,
        families: sql<number>`sum(is_counted)`,
        visited: sql<number>`sum(case when is_counted = 1 and home_visits > 0 then 1 else 0 end)`,
      };
}

/** Counted and home-visited families per child region (units of `digits` digits) for one month. */
export function rollup(db: Executor, range: RegionRange, digits: number, month: string) {
  const src = figureSource(range, digits);
  const key = unitPrefix(src.code, digits);
  return db
    .selectFrom(src.table)
    .select([key.as('prefix'), src.families.as('families'), src.visited.as('visited')])
    .where('month', '=', month)
    .where(inRange(src.code, range))
    .groupBy(key)
    .execute();
}

/** Every month from `from` to `to` (YYYY-MM), or null when the span is too long to list. */
function monthsBetween(from: string, to: string, max = 120): string[] | null {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    if (out.length >= max) return null;
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/** Per month of the span: counted families, those home-visited and phone contacts; per month and unit of `digits` digits when grouped. */
export function trend(
  db: Executor,
  range: RegionRange,
  fromMonth: string,
  toMonth: string,
  digits: number | null = null,
) {
  const src = figureSource(range, digits);
  // The months listed rather than as a range: the index (month, code, …) then seeks each month's slice of the
  // region instead of reading every region's rows of the span — for a county's year (the annual return, each
  // unit of an assessment) the region's rows only. Same rows either way.
  const months = monthsBetween(fromMonth, toMonth);
  let q = db.selectFrom(src.table).select([
    'month',
    src.families.as('families'),
    src.visited.as('visited'),
    // Every phone log of the region's family-months, counted or not (a log is a log).
    sql<number>`sum(phone_contacts)`.as('phone_contacts'),
  ]);
  q = months?.length ? q.where('month', 'in', months) : q.where('month', '>=', fromMonth).where('month', '<=', toMonth);
  return q
    .where(inRange(src.code, range))
    .groupBy('month')
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix(src.code, digits!).as('unit')).groupBy(unitPrefix(src.code, digits!)),
    )
    .orderBy('month')
    .execute();
}

/** Per contact of the region: active families assigned, and how many of them the contact home-visited in the month. */
export async function byContact(
  db: Executor,
  range: RegionRange,
  month: string,
  page: { page: number; pageSize: number },
) {
  const base = db
    .selectFrom('contacts as c')
    .where(inRange('c.region_code', range))
    .where('c.is_active', '=', 1)
    .where('c.post', 'in', ['township_cadre', 'village_cadre']);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .select([
      'c.id',
      'c.name',
      'c.post',
      'c.region_code',
      'r.name as region_name',
      // The same count as the contact registry's (contacts.service familiesOfContact).
      familiesOfContact('c.id').as('families'),
      sql<number>`(select count(distinct l.family_id) from contact_logs l
        inner join assignments a on a.family_id = l.family_id and a.contact_id = c.id and a.ended_at is null
        inner join families f on f.id = l.family_id and f.status = 'active'
        where l.contact_id = c.id and l.month = ${month} and l.mode = 'home_visit')`.as('visited'),
    ])
    .orderBy('c.region_code')
    .orderBy('c.name')
    .$call(paginate(page))
    .execute();
  return { rows, total: Number(total.n) };
}

/**
 * Counted families of the region not home-visited in the month (of these contacts' families when given): the
 * one definition of "overdue" that the list, its count and todos all read.
 */
function overdueBase(db: Executor, range: RegionRange, month: string, contactIds?: string[]) {
  let base = db
    .selectFrom('family_months as fm')
    .innerJoin('families as f', 'f.id', 'fm.family_id')
    .where('fm.month', '=', month)
    .where(inRange('fm.region_code', range))
    .where('fm.is_counted', '=', 1)
    .where('fm.home_visits', '=', 0);
  if (contactIds) {
    const ids = contactIds.length ? contactIds : [''];
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('assignments as a')
          .select('a.id')
          .whereRef('a.family_id', '=', 'f.id')
          .where('a.ended_at', 'is', null)
          .where('a.contact_id', 'in', ids),
      ),
    );
  }
  return base;
}

/** One page of the overdue families, never visited first, then the longest ago; no count (todos need none). */
export function overdueRows(
  db: Executor,
  range: RegionRange,
  month: string,
  page: { page: number; pageSize: number },
  contactIds?: string[],
) {
  const lastHomeVisit = sql<
    string | null
  >`(select max(l.occurred_at) from contact_logs l where l.family_id = f.id and l.mode = 'home_visit')`;
  return (
    overdueBase(db, range, month, contactIds)
      .innerJoin('regions as r', 'r.code', 'f.region_code')
      .select([
        'f.id',
        'f.archive_no',
        'f.region_code',
        'r.name as region_name',
        'f.family_type',
        'fm.contacts',
        'fm.last_contact_at',
        lastHomeVisit.as('last_home_visit_at'),
      ])
      // Ordered by the selected column, so the log probe runs once a row (an expression over the subquery
      // would run it again on PostgreSQL). Never visited first: NULLs sort differently on the two databases
      // by default, hence `nulls first` (the same order as coalesce(…, '') gave: no log time is '').
      .orderBy('last_home_visit_at', (ob) => ob.asc().nullsFirst())
      .orderBy('f.archive_no')
      .$call(paginate(page))
      .execute()
  );
}

/** The overdue list's page and its total, with each family's region and last home visit. */
export async function overdue(
  db: Executor,
  range: RegionRange,
  month: string,
  page: { page: number; pageSize: number },
  contactIds?: string[],
) {
  const total = await overdueBase(db, range, month, contactIds)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await overdueRows(db, range, month, page, contactIds);
  return { rows, total: Number(total.n) };
}
