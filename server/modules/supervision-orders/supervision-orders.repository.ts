import type { Executor } from '../../platform/db/database.js';
import type { SupervisionOrderTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

export function findOrder(db: Executor, id: string) {
  return db
    .selectFrom('supervision_orders as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .innerJoin('regions as fr', 'fr.code', 'o.from_region_code')
    .selectAll('o')
    .select(['r.name as region_name', 'fr.name as from_region_name'])
    .where('o.id', '=', id)
    .executeTakeFirst();
}
export type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

/** Orders sent by `fromRegion` and orders received by regions in `range`, newest first. */
export function listOrders(db: Executor, q: { fromRegion?: string; toRange?: RegionRange; status?: string }) {
  let query = db
    .selectFrom('supervision_orders as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .innerJoin('regions as fr', 'fr.code', 'o.from_region_code')
    .selectAll('o')
    .select(['r.name as region_name', 'fr.name as from_region_name']);
  if (q.fromRegion) query = query.where('o.from_region_code', '=', q.fromRegion);
  if (q.toRange) query = query.where(inRange('o.region_code', q.toRange));
  if (q.status) query = query.where('o.status', '=', q.status);
  return query.orderBy('o.created_at', 'desc').limit(500).execute();
}

/** Open orders addressed to exactly this region: its todos. */
export function openOrdersFor(db: Executor, regionCode: string) {
  return listOrders(db, { toRange: { from: regionCode, to: regionCode }, status: 'open' });
}

export async function insertOrder(db: Executor, row: SupervisionOrderTable): Promise<void> {
  await db.insertInto('supervision_orders').values(row).execute();
}

export async function closeOrder(
  db: Executor,
  id: string,
  version: number,
  set: Pick<SupervisionOrderTable, 'reply' | 'replied_by' | 'replied_by_name' | 'replied_at'>,
): Promise<boolean> {
  const r = await db
    .updateTable('supervision_orders')
    .set({ ...set, status: 'closed', version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
