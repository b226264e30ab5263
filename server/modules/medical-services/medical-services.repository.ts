import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { FamilyMedicalServiceTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

export function servicesOf(db: Executor, familyId: string) {
  return db
    .selectFrom('family_medical_services')
    .selectAll()
    .where('family_id', '=', familyId)
    .orderBy('started_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export function findService(db: Executor, id: string) {
  return db.selectFrom('family_medical_services').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertService(db: Executor, row: FamilyMedicalServiceTable): Promise<void> {
  await db.insertInto('family_medical_services').values(row).execute();
}

export async function endService(db: Executor, id: string, endedOn: string, reason: string): Promise<boolean> {
  const r = await db
    .updateTable('family_medical_services')
    .set({ ended_on: endedOn, end_reason: reason })
    .where('id', '=', id)
    .where('ended_on', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** In force on `day`: started by then, not ended, not expired. */
const inForce = (kind: string, day: string) =>
  sql<number>`case when exists (select 1 from family_medical_services s where s.family_id = f.id and s.kind = ${kind} and s.ended_on is null and s.started_on <= ${day} and (s.expires_on is null or s.expires_on >= ${day})) then 1 else 0 end`;

/** Active families and those with a family doctor / priority access in force, per child-region prefix. */
export async function coveredByPrefix(db: Executor, range: RegionRange, digits: number, day: string) {
  const rows = await db
    .selectFrom('families as f')
    .where(inRange('f.region_code', range))
    .where('f.status', '=', 'active')
    .select([
      sql<string>`substr(f.region_code, 1, ${sql.lit(digits)})`.as('prefix'),
      (eb) => eb.fn.countAll<number>().as('families'),
      sql<number>`sum(${inForce('family_doctor', day)})`.as('family_doctor'),
      sql<number>`sum(${inForce('priority_access', day)})`.as('priority_access'),
    ])
    .groupBy(sql`substr(f.region_code, 1, ${sql.lit(digits)})`)
    .execute();
  return rows.map((r) => ({
    prefix: r.prefix,
    families: Number(r.families),
    familyDoctor: Number(r.family_doctor ?? 0),
    priorityAccess: Number(r.priority_access ?? 0),
  }));
}
