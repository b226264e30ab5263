import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

/** Petition risks identified between two instants, and those resolved (defused) between them. */
export async function risksBetween(db: Executor, range: RegionRange, fromAt: string, toAt: string) {
  const scoped = db
    .selectFrom('petition_risks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range));
  const [identified, resolved] = await Promise.all([
    scoped.where('identified_at', '>=', fromAt).where('identified_at', '<=', toAt).executeTakeFirstOrThrow(),
    scoped
      .where('status', '=', 'resolved')
      .where('resolved_at', '>=', fromAt)
      .where('resolved_at', '<=', toAt)
      .executeTakeFirstOrThrow(),
  ]);
  return { identified: Number(identified.n), resolved: Number(resolved.n) };
}

/** Actual petition events at one of the levels, on days of the period. */
export async function petitionEventsBetween(
  db: Executor,
  range: RegionRange,
  levels: string[],
  from: string,
  to: string,
) {
  const row = await db
    .selectFrom('petition_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range))
    .where('level', 'in', levels)
    .where('occurred_on', '>=', from)
    .where('occurred_on', '<=', to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
