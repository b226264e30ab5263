import type { Executor } from '../../platform/db/database.js';
import type { FamilyImportTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

export async function insertJob(db: Executor, row: FamilyImportTable): Promise<void> {
  await db.insertInto('family_imports').values(row).execute();
}

export async function updateJob(db: Executor, id: string, set: Partial<FamilyImportTable>): Promise<void> {
  await db.updateTable('family_imports').set(set).where('id', '=', id).execute();
}

export function findJob(db: Executor, id: string): Promise<FamilyImportTable | undefined> {
  return db.selectFrom('family_imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Jobs left queued or running by a process that stopped: no heartbeat (or none yet) since `before`. */
export async function failStale(db: Executor, before: string, set: Partial<FamilyImportTable>): Promise<number> {
  const r = await db
    .updateTable('family_imports')
    .set(set)
    .where('status', 'in', ['queued', 'running'])
    .where((eb) =>
      eb.or([eb('heartbeat_at', '<', before), eb.and([eb('heartbeat_at', 'is', null), eb('created_at', '<', before)])]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Every region of a subtree with its level: the villages an importer may file into, and the rest. */
export function regionsIn(db: Executor, range: RegionRange) {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where(inRange('code', range))
    .orderBy('code')
    .execute();
}
