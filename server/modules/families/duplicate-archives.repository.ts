import type { Executor } from '../../platform/db/database.js';
import type { DuplicateArchiveTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

/** Flags whose supervising region lies in `range`, newest first, with both archives and their regions. */
function listQuery(db: Executor, range: RegionRange, status?: string) {
  let q = db.selectFrom('duplicate_archives as d').where(inRange('d.supervising_code', range));
  if (status) q = q.where('d.status', '=', status as DuplicateArchiveTable['status']);
  return q;
}

export async function listDuplicates(
  db: Executor,
  range: RegionRange,
  status: string | undefined,
  page: { page: number; pageSize: number },
) {
  const q = listQuery(db, range, status);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll('d').orderBy('d.created_at', 'desc').orderBy('d.id').$call(paginate(page)).execute();
  return { rows, total: Number(total.n) };
}

export function findDuplicate(db: Executor, id: string) {
  return db.selectFrom('duplicate_archives').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The archives a page of flags names, with their village's name. */
export function archivesByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('families as f')
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .select([
      'f.id',
      'f.archive_no',
      'f.region_code',
      'f.status',
      'f.entered_at',
      'f.created_at',
      'r.name as region_name',
    ])
    .where('f.id', 'in', ids)
    .execute();
}

/** The members of those archives (to name the parent both hold), by blind index. */
export function membersByFamilies(db: Executor, familyIds: string[]) {
  if (familyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('family_members')
    .select(['id', 'family_id', 'relation', 'name', 'id_number_idx', 'id_number_mask'])
    .where('family_id', 'in', familyIds)
    .execute();
}

export function regionNames(db: Executor, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute();
}

export function userNames(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
}

export async function updateDuplicate(
  db: Executor,
  id: string,
  version: number,
  set: Partial<DuplicateArchiveTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('duplicate_archives')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Which archive holds each of these ID numbers now. */
export function claimsOf(db: Executor, idNumberIdxs: string[]) {
  if (idNumberIdxs.length === 0) return Promise.resolve([]);
  return db.selectFrom('family_id_claims').selectAll().where('id_number_idx', 'in', idNumberIdxs).execute();
}

export async function releaseAllClaims(db: Executor, familyId: string): Promise<void> {
  await db.deleteFrom('family_id_claims').where('family_id', '=', familyId).execute();
}
