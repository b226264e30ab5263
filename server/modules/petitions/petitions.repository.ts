import type { Executor } from '../../platform/db/database.js';
import type { PetitionEventTable, PetitionHandlingTable, PetitionRiskTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

export async function insertRisk(db: Executor, row: PetitionRiskTable): Promise<void> {
  await db.insertInto('petition_risks').values(row).execute();
}

export function findRisk(db: Executor, id: string) {
  return db.selectFrom('petition_risks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether `riskId` is one of the family's risks. */
export async function isRiskOfFamily(db: Executor, riskId: string, familyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('petition_risks')
    .select('id')
    .where('id', '=', riskId)
    .where('family_id', '=', familyId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateRisk(db: Executor, id: string, set: Partial<PetitionRiskTable>): Promise<void> {
  await db.updateTable('petition_risks').set(set).where('id', '=', id).execute();
}

/** A family's risks, newest first, each with its handlings (oldest first) and the handler's name; its events. */
export async function familyPetitionRecord(db: Executor, familyId: string) {
  const risks = await db
    .selectFrom('petition_risks')
    .selectAll()
    .where('family_id', '=', familyId)
    .orderBy('identified_at', 'desc')
    .execute();
  const handlings = risks.length
    ? await db
        .selectFrom('petition_handlings as h')
        .leftJoin('users as u', 'u.id', 'h.created_by')
        .select(['h.id', 'h.risk_id', 'h.kind', 'h.note', 'h.handled_at', 'u.display_name as handled_by'])
        .where(
          'risk_id',
          'in',
          risks.map((r) => r.id),
        )
        .orderBy('h.handled_at')
        .execute()
    : [];
  const events = await db
    .selectFrom('petition_events')
    .selectAll()
    .where('family_id', '=', familyId)
    .orderBy('occurred_on', 'desc')
    .execute();
  return { risks, handlings, events };
}

export async function insertHandling(db: Executor, row: PetitionHandlingTable): Promise<void> {
  await db.insertInto('petition_handlings').values(row).execute();
}

export async function insertEvent(db: Executor, row: PetitionEventTable): Promise<void> {
  await db.insertInto('petition_events').values(row).execute();
}

/** The family's risks identified by `at` and not yet visited (a home visit at `at` answers them). */
export function unvisitedRisks(db: Executor, familyId: string, at: string) {
  return db
    .selectFrom('petition_risks')
    .select(['id', 'version'])
    .where('family_id', '=', familyId)
    .where('visited_at', 'is', null)
    .where('identified_at', '<=', at)
    .execute();
}

/** Open risks of the range counted by colour and target level. */
export function openRiskCounts(db: Executor, range: RegionRange) {
  return db
    .selectFrom('petition_risks')
    .select(['risk_level', 'target_level', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inRange('region_code', range))
    .where('status', '=', 'open')
    .groupBy(['risk_level', 'target_level'])
    .execute();
}

/** Open, unvisited risks of the families these contacts currently look after, by visit deadline. */
export function dueRiskVisits(db: Executor, contactIds: string[]) {
  return db
    .selectFrom('petition_risks as p')
    .innerJoin('families as f', 'f.id', 'p.family_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select([
      'p.id',
      'p.family_id',
      'p.risk_level',
      'p.target_level',
      'p.visit_due_at',
      'f.archive_no',
      'r.name as region_name',
    ])
    .where('p.status', '=', 'open')
    .where('p.visited_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('assignments as a')
          .select('a.id')
          .whereRef('a.family_id', '=', 'p.family_id')
          .where('a.ended_at', 'is', null)
          .where('a.contact_id', 'in', contactIds),
      ),
    )
    .orderBy('p.visit_due_at')
    .execute();
}

/** Open risks of the range the county leader was alerted to, newest first. */
export function alertedRisks(db: Executor, range: RegionRange) {
  return db
    .selectFrom('petition_risks as p')
    .innerJoin('families as f', 'f.id', 'p.family_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select([
      'p.id',
      'p.family_id',
      'p.risk_level',
      'p.target_level',
      'p.visit_due_at',
      'p.visited_at',
      'f.archive_no',
      'r.name as region_name',
    ])
    .where(inRange('p.region_code', range))
    .where('p.status', '=', 'open')
    .where('p.alerted_at', 'is not', null)
    .orderBy('p.identified_at', 'desc')
    .execute();
}
