import type { Executor } from '../../platform/db/database.js';
import type { AccountabilityCaseTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

const OPEN_NEED = ['open', 'referred', 'in_progress'];

/** The region of each of these contacts (a conclusion names only the county's own contacts). */
export function contactRegions(db: Executor, contactIds: string[]) {
  return db.selectFrom('contacts').select(['id', 'region_code']).where('id', 'in', contactIds).execute();
}

export function findCase(db: Executor, id: string) {
  return db
    .selectFrom('accountability_cases as a')
    .innerJoin('regions as r', 'r.code', 'a.region_code')
    .innerJoin('regions as u', 'u.code', 'a.unit_region_code')
    .leftJoin('families as f', 'f.id', 'a.family_id')
    .selectAll('a')
    .select(['r.name as region_name', 'u.name as unit_name', 'f.archive_no'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;

export function listCases(db: Executor, q: { range: RegionRange; status?: string; year?: number }) {
  let query = db
    .selectFrom('accountability_cases as a')
    .innerJoin('regions as r', 'r.code', 'a.region_code')
    .innerJoin('regions as u', 'u.code', 'a.unit_region_code')
    .leftJoin('families as f', 'f.id', 'a.family_id')
    .selectAll('a')
    .select(['r.name as region_name', 'u.name as unit_name', 'f.archive_no'])
    .where(inRange('a.region_code', q.range));
  if (q.status) query = query.where('a.status', '=', q.status);
  if (q.year) query = query.where('a.year', '=', q.year);
  return query.orderBy('a.opened_at', 'desc').limit(500).execute();
}

export async function insertCase(db: Executor, row: AccountabilityCaseTable): Promise<void> {
  await db.insertInto('accountability_cases').values(row).execute();
}

export async function concludeCase(
  db: Executor,
  id: string,
  version: number,
  set: Pick<
    AccountabilityCaseTable,
    'finding' | 'measures' | 'people' | 'concluded_at' | 'concluded_by' | 'concluded_by_name'
  >,
): Promise<boolean> {
  const r = await db
    .updateTable('accountability_cases')
    .set({ ...set, status: 'concluded', version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertCaseContacts(
  db: Executor,
  rows: Array<{ case_id: string; contact_id: string; year: number; finding: string }>,
): Promise<void> {
  if (rows.length) await db.insertInto('accountability_case_contacts').values(rows).execute();
}

/** Contacts with a 履职不到位 finding in the year: the commendation exclusion. */
export async function failedContacts(db: Executor, year: number, contactIds?: string[]): Promise<Set<string>> {
  let q = db
    .selectFrom('accountability_case_contacts')
    .select('contact_id')
    .where('year', '=', year)
    .where('finding', '=', 'failed');
  if (contactIds) {
    if (contactIds.length === 0) return new Set();
    q = q.where('contact_id', 'in', contactIds);
  }
  return new Set((await q.execute()).map((r) => r.contact_id));
}

export function openCasesIn(db: Executor, range: RegionRange) {
  return listCases(db, { range, status: 'open' });
}

/* Evidence: the family's work records as they stand when the case opens. */

export function familyContacts(db: Executor, familyId: string) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['c.id', 'c.name', 'a.post', 'a.started_at'])
    .where('a.family_id', '=', familyId)
    .where('a.ended_at', 'is', null)
    .orderBy('a.post')
    .execute();
}

export function homeVisits(db: Executor, familyIds: string[], fromIso: string, toIso: string) {
  if (familyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('contact_logs as l')
    .innerJoin('contacts as c', 'c.id', 'l.contact_id')
    .select(['l.family_id', 'l.occurred_at', 'l.contact_id', 'c.name as contact_name'])
    .where('l.family_id', 'in', familyIds)
    .where('l.mode', '=', 'home_visit')
    .where('l.occurred_at', '>=', fromIso)
    .where('l.occurred_at', '<=', toIso)
    .orderBy('l.occurred_at', 'desc')
    .limit(500)
    .execute();
}

export function petitionRisks(db: Executor, familyId: string, toIso: string) {
  return db
    .selectFrom('petition_risks')
    .select(['id', 'identified_at', 'target_level', 'risk_level', 'visit_due_at', 'visited_at', 'status'])
    .where('family_id', '=', familyId)
    .where('identified_at', '<=', toIso)
    .orderBy('identified_at', 'desc')
    .execute();
}

export function openNeeds(db: Executor, familyId: string) {
  return db
    .selectFrom('needs')
    .select(['id', 'category', 'department', 'created_at', 'deadline'])
    .where('family_id', '=', familyId)
    .where('status', 'in', OPEN_NEED)
    .orderBy('created_at')
    .execute();
}

export function majorEvents(db: Executor, familyId: string, fromIso: string) {
  return db
    .selectFrom('major_events')
    .select(['id', 'kind', 'occurred_at', 'response_due_at', 'responded_at'])
    .where('family_id', '=', familyId)
    .where('occurred_at', '>=', fromIso)
    .orderBy('occurred_at', 'desc')
    .execute();
}

/** A unit's contacts (township and village posts) and how many families each holds now. */
export function unitContacts(db: Executor, range: RegionRange) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('assignments as a', (j) => j.onRef('a.contact_id', '=', 'c.id').on('a.ended_at', 'is', null))
    .select(['c.id', 'c.name', 'a.post', (eb) => eb.fn.min('a.started_at').as('since')])
    .select((eb) => eb.fn.count<number>('a.family_id').as('families'))
    .where(inRange('c.region_code', range))
    .where('c.is_active', '=', 1)
    .groupBy(['c.id', 'c.name', 'a.post'])
    .orderBy('c.name')
    .limit(200)
    .execute();
}

export function unitFamilyIds(db: Executor, range: RegionRange) {
  return db
    .selectFrom('families')
    .select('id')
    .where(inRange('region_code', range))
    .where('status', '=', 'active')
    .execute();
}

export function unitHomeVisitsByContact(db: Executor, range: RegionRange, fromIso: string, toIso: string) {
  return db
    .selectFrom('contact_logs as l')
    .innerJoin('families as f', 'f.id', 'l.family_id')
    .select(['l.contact_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inRange('f.region_code', range))
    .where('l.mode', '=', 'home_visit')
    .where('l.occurred_at', '>=', fromIso)
    .where('l.occurred_at', '<=', toIso)
    .groupBy('l.contact_id')
    .execute();
}

export function unitPetitionRisks(db: Executor, range: RegionRange, fromIso: string) {
  return db
    .selectFrom('petition_risks')
    .select(['id', 'identified_at', 'target_level', 'risk_level', 'visit_due_at', 'visited_at', 'status'])
    .where(inRange('region_code', range))
    .where('identified_at', '>=', fromIso)
    .orderBy('identified_at', 'desc')
    .limit(200)
    .execute();
}

export function unitOpenNeeds(db: Executor, range: RegionRange) {
  return db
    .selectFrom('needs')
    .select(['id', 'category', 'department', 'created_at', 'deadline'])
    .where(inRange('region_code', range))
    .where('status', 'in', OPEN_NEED)
    .orderBy('created_at')
    .limit(200)
    .execute();
}

export function regionName(db: Executor, code: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}
