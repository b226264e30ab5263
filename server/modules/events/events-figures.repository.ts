import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, unitPrefix } from '../../platform/db/query-helpers.js';

/**
 * Major events that occurred between two instants, and how many were answered within their deadline; per
 * unit of `digits` digits (`unit`) when grouped, else one row for the range.
 */
export async function eventsBetween(
  db: Executor,
  range: RegionRange,
  fromAt: string,
  toAt: string,
  digits: number | null = null,
) {
  const rows = await db
    .selectFrom('major_events')
    .select([
      (eb) => eb.fn.countAll<number>().as('events'),
      sql<number>`sum(case when responded_at is not null and responded_at <= response_due_at then 1 else 0 end)`.as(
        'on_time',
      ),
    ])
    .where(inRange('region_code', range))
    .where('occurred_at', '>=', fromAt)
    .where('occurred_at', '<=', toAt)
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix('region_code', digits!).as('unit')).groupBy(unitPrefix('region_code', digits!)),
    )
    .execute();
  return rows.map((r) => ({ unit: r.unit, events: Number(r.events ?? 0), onTime: Number(r.on_time ?? 0) }));
}
