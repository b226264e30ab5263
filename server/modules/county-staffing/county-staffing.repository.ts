import type { Executor } from '../../platform/db/database.js';
import type { CountyStaffingMemberTable, CountyStaffingTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

export function findStaffing(db: Executor, countyCode: string) {
  return db.selectFrom('county_staffing').selectAll().where('county_code', '=', countyCode).executeTakeFirst();
}

export async function insertStaffing(db: Executor, row: CountyStaffingTable): Promise<void> {
  await db.insertInto('county_staffing').values(row).execute();
}

export async function touchStaffing(db: Executor, countyCode: string, version: number, at: string, by: string) {
  const r = await db
    .updateTable('county_staffing')
    .set({ updated_at: at, updated_by: by, version: version + 1 })
    .where('county_code', '=', countyCode)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function membersOf(db: Executor, countyCode: string) {
  return db
    .selectFrom('county_staffing_members')
    .selectAll()
    .where('county_code', '=', countyCode)
    .orderBy('started_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function insertMember(db: Executor, row: CountyStaffingMemberTable): Promise<void> {
  await db.insertInto('county_staffing_members').values(row).execute();
}

export async function endMember(db: Executor, id: string, endedOn: string): Promise<void> {
  await db
    .updateTable('county_staffing_members')
    .set({ ended_on: endedOn })
    .where('id', '=', id)
    .where('ended_on', 'is', null)
    .execute();
}

/** Every county of a subtree with its current leader and staff (one row per current member, or none). */
export async function currentInRange(db: Executor, range: RegionRange) {
  const [counties, members, staffing] = await Promise.all([
    db
      .selectFrom('regions')
      .select(['code', 'name'])
      .where('level', '=', 'county')
      .where(inRange('code', range))
      .orderBy('code')
      .execute(),
    db
      .selectFrom('county_staffing_members')
      .select(['county_code', 'duty', 'name'])
      .where(inRange('county_code', range))
      .where('ended_on', 'is', null)
      .orderBy('started_on')
      .execute(),
    db
      .selectFrom('county_staffing')
      .select(['county_code', 'updated_at'])
      .where(inRange('county_code', range))
      .execute(),
  ]);
  return { counties, members, staffing };
}

export function findUser(db: Executor, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'region_code', 'role', 'is_disabled'])
    .where('id', '=', id)
    .executeTakeFirst();
}
