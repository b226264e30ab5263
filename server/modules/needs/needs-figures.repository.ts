import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

/** Needs raised between two instants, and needs resolved (closed as resolved) between them. */
export async function needsBetween(db: Executor, range: RegionRange, fromAt: string, toAt: string) {
  const scoped = db
    .selectFrom('needs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range));
  const [raised, resolved] = await Promise.all([
    scoped.where('created_at', '>=', fromAt).where('created_at', '<=', toAt).executeTakeFirstOrThrow(),
    scoped
      .where('status', '=', 'resolved')
      .where('closed_at', '>=', fromAt)
      .where('closed_at', '<=', toAt)
      .executeTakeFirstOrThrow(),
  ]);
  return { raised: Number(raised.n), resolved: Number(resolved.n) };
}

/** Joint meetings held by the counties of the range on days of the period. */
export async function meetingsBetween(db: Executor, range: RegionRange, from: string, to: string) {
  const row = await db
    .selectFrom('joint_meetings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('county_code', range))
    .where('held_on', '>=', from)
    .where('held_on', '<=', to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
