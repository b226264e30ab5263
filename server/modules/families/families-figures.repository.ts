import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, unitPrefix } from '../../platform/db/query-helpers.js';

/**
 * Aggregates of the archive for the statistical returns (R9). A family counts on a day when it had
 * entered by then and was active, or left (paused, exited) only after it; `live` counts the active
 * families now, exactly as the coverage dashboard does.
 */
export type CountedOn = { day: string } | 'live';

function counted(db: Executor, range: RegionRange, on: CountedOn) {
  const base = db.selectFrom('families as f').where(inRange('f.region_code', range));
  if (on === 'live') return base.where('f.status', '=', 'active');
  return base
    .where('f.entered_at', '<=', on.day)
    .where((eb) => eb.or([eb('f.status', '=', 'active'), eb('f.status_date', '>', on.day)]));
}

/**
 * Counted families on a day, by type and special difficulty, in one scan: per unit of `digits` digits
 * (`unit`) when grouped, else one row for the range.
 */
export async function familySummary(db: Executor, range: RegionRange, on: CountedOn, digits: number | null = null) {
  const rows = await counted(db, range, on)
    .select([
      (eb) => eb.fn.countAll<number>().as('families'),
      sql<number>`sum(case when f.family_type = 'bereaved' then 1 else 0 end)`.as('bereaved'),
      sql<number>`sum(case when f.family_type = 'disabled' then 1 else 0 end)`.as('disabled'),
      sql<number>`sum(f.is_special_difficulty)`.as('special_difficulty'),
    ])
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix('f.region_code', digits!).as('unit')).groupBy(unitPrefix('f.region_code', digits!)),
    )
    .execute();
  return rows.map((row) => ({
    unit: row.unit,
    families: Number(row.families ?? 0),
    bereaved: Number(row.bereaved ?? 0),
    disabled: Number(row.disabled ?? 0),
    specialDifficulty: Number(row.special_difficulty ?? 0),
  }));
}

/** Families that entered the archive in the period (per unit when grouped). */
export async function enteredBetween(
  db: Executor,
  range: RegionRange,
  from: string,
  to: string,
  digits: number | null = null,
) {
  const rows = await db
    .selectFrom('families')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range))
    .where('entered_at', '>=', from)
    .where('entered_at', '<=', to)
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix('region_code', digits!).as('unit')).groupBy(unitPrefix('region_code', digits!)),
    )
    .execute();
  return rows.map((r) => ({ unit: r.unit, n: Number(r.n) }));
}

/** Families that left the count (paused or exited) in the period (per unit when grouped). */
export async function leftBetween(
  db: Executor,
  range: RegionRange,
  from: string,
  to: string,
  digits: number | null = null,
) {
  const rows = await db
    .selectFrom('families')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range))
    .where('status', '<>', 'active')
    .where('status_date', '>=', from)
    .where('status_date', '<=', to)
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix('region_code', digits!).as('unit')).groupBy(unitPrefix('region_code', digits!)),
    )
    .execute();
  return rows.map((r) => ({ unit: r.unit, n: Number(r.n) }));
}

/**
 * Living parents born 1933 or later in counted families that qualify for 特别扶助 by the day, per family
 * type and village (the rates in force differ by type and region top-up).
 */
export async function assistancePeople(db: Executor, range: RegionRange, on: CountedOn, day: string) {
  const rows = await counted(db, range, on)
    .innerJoin('family_members as m', 'm.family_id', 'f.id')
    .select(['f.family_type', 'f.region_code', (eb) => eb.fn.countAll<number>().as('people')])
    .where('f.eligible_from', '<=', day)
    .where('m.is_deceased', '=', 0)
    .where('m.birth_date', '>=', '1933-01-01')
    .where('m.relation', 'in', ['father', 'mother'])
    .groupBy(['f.family_type', 'f.region_code'])
    .execute();
  return rows.map((r) => ({ familyType: r.family_type, regionCode: r.region_code, people: Number(r.people) }));
}
