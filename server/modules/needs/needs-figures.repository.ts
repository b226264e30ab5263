import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, unitPrefix } from '../../platform/db/query-helpers.js';

/**
 * Needs raised between two instants, and needs resolved (closed as resolved) between them: each count per
 * unit of `digits` digits (`unit`) when grouped, else one row for the range.
 */
export async function needsBetween(
  db: Executor,
  range: RegionRange,
  fromAt: string,
  toAt: string,
  digits: number | null = null,
) {
  const scoped = db
    .selectFrom('needs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range))
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix('region_code', digits!).as('unit')).groupBy(unitPrefix('region_code', digits!)),
    );
  const [raised, resolved] = await Promise.all([
    scoped.where('created_at', '>=', fromAt).where('created_at', '<=', toAt).execute(),
    scoped.where('status', '=', 'resolved').where('closed_at', '>=', fromAt).where('closed_at', '<=', toAt).execute(),
  ]);
  return {
    raised: raised.map((r) => ({ unit: r.unit, n: Number(r.n) })),
    resolved: resolved.map((r) => ({ unit: r.unit, n: Number(r.n) })),
  };
}

/** Joint meetings held by the counties of the range on days of the period (per unit when grouped). */
export async function meetingsBetween(
  db: Executor,
  range: RegionRange,
  from: string,
  to: string,
  digits: number | null = null,
) {
  const rows = await db
    .selectFrom('joint_meetings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('county_code', range))
    .where('held_on', '>=', from)
    .where('held_on', '<=', to)
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix('county_code', digits!).as('unit')).groupBy(unitPrefix('county_code', digits!)),
    )
    .execute();
  return rows.map((r) => ({ unit: r.unit, n: Number(r.n) }));
}
