import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';

/** Contact logs of one mode with families of the range, in the months (China time) of a period. */
export async function logsInMonths(
  db: Executor,
  range: RegionRange,
  mode: string,
  fromMonth: string,
  toMonth: string,
): Promise<number> {
  const row = await db
    .selectFrom('contact_logs as l')
    .innerJoin('families as f', 'f.id', 'l.family_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('l.mode', '=', mode)
    .where('l.month', '>=', fromMonth)
    .where('l.month', '<=', toMonth)
    .where('f.region_code', '>=', range.from)
    .where('f.region_code', '<=', range.to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
