import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, unitPrefix } from '../../platform/db/query-helpers.js';

/**
 * Petition risks identified between two instants, and those resolved (defused) between them: each count per
 * unit of `digits` digits (`unit`) when grouped, else one row for the range.
 */
export async function risksBetween(
  db: Executor,
  range: RegionRange,
  fromAt: string,
  toAt: string,
  digits: number | null = null,
) {
  const scoped = db
    .selectFrom('petition_risks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range))
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix('region_code', digits!).as('unit')).groupBy(unitPrefix('region_code', digits!)),
    );
  const [identified, resolved] = await Promise.all([
    scoped.where('identified_at', '>=', fromAt).where('identified_at', '<=', toAt).execute(),
    scoped
      .where('status', '=', 'resolved')
      .where('resolved_at', '>=', fromAt)
      .where('resolved_at', '<=', toAt)
      .execute(),
  ]);
  return {
    identified: identified.map((r) => ({ unit: r.unit, n: Number(r.n) })),
    resolved: resolved.map((r) => ({ unit: r.unit, n: Number(r.n) })),
  };
}

/** Actual petition events at one of the levels, on days of the period (per unit when grouped). */
export async function petitionEventsBetween(
  db: Executor,
  range: RegionRange,
  levels: string[],
  from: string,
  to: string,
  digits: number | null = null,
) {
  const rows = await db
    .selectFrom('petition_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range))
    .where('level', 'in', levels)
    .where('occurred_on', '>=', from)
    .where('occurred_on', '<=', to)
    .$if(digits !== null, (qb) =>
      qb.select(unitPrefix('region_code', digits!).as('unit')).groupBy(unitPrefix('region_code', digits!)),
    )
    .execute();
  return rows.map((r) => ({ unit: r.unit, n: Number(r.n) }));
}
