import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

/** Major events that occurred between two instants, and how many were answered within their deadline. */
export async function eventsBetween(db: Executor, range: RegionRange, fromAt: string, toAt: string) {
  const row = await db
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
    .executeTakeFirstOrThrow();
  return { events: Number(row.events ?? 0), onTime: Number(row.on_time ?? 0) };
}
