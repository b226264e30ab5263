import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

/** Region look-ups shared by the liaison, staffing, partner, training and medical-service modules. */
export interface RegionBrief {
  code: string;
  name: string;
  level: string;
}

export function findRegion(db: Executor, code: string): Promise<RegionBrief | undefined> {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}

export function childRegions(db: Executor, code: string): Promise<RegionBrief[]> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('parent_code', '=', code)
    .orderBy('code')
    .execute();
}

/** Every region of the given levels in a subtree, in code order. */
export function regionsInRange(db: Executor, range: RegionRange, levels: string[]): Promise<RegionBrief[]> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where(inRange('code', range))
    .where('level', 'in', levels)
    .orderBy('code')
    .execute();
}

export function regionNames(db: Executor, codes: string[]): Promise<Array<{ code: string; name: string }>> {
  if (!codes.length) return Promise.resolve([]);
  return db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute();
}
