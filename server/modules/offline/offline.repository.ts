import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

/** The families the user's own contact records are assigned to now, inside the user's region subtree. */
export function assignedFamilyIds(db: Executor, userId: string, range: RegionRange, limit: number) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('families as f', 'f.id', 'a.family_id')
    .select('f.id')
    .distinct()
    .where('c.user_id', '=', userId)
    .where('c.is_active', '=', 1)
    .where('a.ended_at', 'is', null)
    .where('f.status', '!=', 'exited')
    .where(inRange('f.region_code', range))
    .orderBy('f.id')
    .limit(limit)
    .execute();
}

/** The visit-form fields of these families (in the range), with their village's name. */
export function familiesByIds(db: Executor, ids: string[], range: RegionRange) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('families as f')
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .select([
      'f.id',
      'f.archive_no',
      'f.family_type',
      'f.region_code',
      'r.name as region_name',
      'f.is_special_difficulty',
      'f.status',
      'f.version',
    ])
    .where('f.id', 'in', ids)
    .where(inRange('f.region_code', range))
    .orderBy('f.archive_no')
    .execute();
}

/** The parents of these families: relation, name (masked by the service) and whether deceased — nothing else. */
export function parentsOf(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('family_members')
    .select(['family_id', 'relation', 'name', 'is_deceased'])
    .where('family_id', 'in', ids)
    .where('relation', 'in', ['father', 'mother'])
    .orderBy('family_id')
    .orderBy('position')
    .execute();
}
