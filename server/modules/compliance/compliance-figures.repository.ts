import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, unitPrefix } from '../../platform/db/query-helpers.js';

/**
 * Contact logs of one mode with families of the range, in the months (China time) of a period. `wide` (a
 * province's or a city's range) reads `contact_logs_mode_month_idx (mode, month, family_id)` (0025) alone —
 * covering on SQLite, index-only on PostgreSQL; a county or smaller walks its families' logs by
 * `contact_logs_family_idx (family_id, occurred_at)`, bounded on `occurred_at` two days wider than the months
 * (`month` is the China month of `occurred_at`; the month filter keeps the count exact). `l.mode || ''` keeps
 * the planner off the mode index there (without table statistics SQLite would take it for a township too and
 * read the whole province's logs of the months). Grouped (`digits`), one count per unit (`unit`); else one
 * row for the range.
 */
export async function logsInMonths(
  db: Executor,
  range: RegionRange,
  mode: string,
  fromMonth: string,
  toMonth: string,
  wide: boolean,
  digits: number | null = null,
) {
  let query = db
    .selectFrom('contact_logs as l')
    .innerJoin('families as f', 'f.id', 'l.family_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('l.month', '>=', fromMonth)
    .where('l.month', '<=', toMonth)
    .where(inRange('f.region_code', range));
  if (wide) query = query.where('l.mode', '=', mode);
  else {
    const day = (month: string, offsetDays: number) => {
      const [y, m] = month.split('-').map(Number);
      return new Date(Date.UTC(y, m - 1, 1) + offsetDays * 86_400_000).toISOString().slice(0, 10);
    };
    const [toY, toM] = toMonth.split('-').map(Number);
    const afterTo = toM === 12 ? `${toY + 1}-01` : `${toY}-${String(toM + 1).padStart(2, '0')}`;
    query = query
      .where(sql<string>`l.mode || ''`, '=', mode)
      .where('l.occurred_at', '>=', day(fromMonth, -2))
      .where('l.occurred_at', '<', day(afterTo, 2));
  }
  const rows = await query
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix('f.region_code', digits!).as('unit')).groupBy(unitPrefix('f.region_code', digits!)),
    )
    .execute();
  return rows.map((r) => ({ unit: r.unit, n: Number(r.n) }));
}
