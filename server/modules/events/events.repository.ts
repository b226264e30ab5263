import type { Executor } from '../../platform/db/database.js';
import type { MajorEventTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

export async function insertEvent(db: Executor, row: MajorEventTable): Promise<void> {
  await db.insertInto('major_events').values(row).execute();
}

export function findEvent(db: Executor, id: string) {
  return db.selectFrom('major_events').selectAll().where('id', '=', id).executeTakeFirst();
}

export function eventsOfFamily(db: Executor, familyId: string) {
  return db
    .selectFrom('major_events')
    .selectAll()
    .where('family_id', '=', familyId)
    .orderBy('occurred_at', 'desc')
    .execute();
}

export function escalationsOf(db: Executor, eventIds: string[]) {
  if (eventIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('event_escalations')
    .selectAll()
    .where('event_id', 'in', eventIds)
    .orderBy('escalated_at')
    .execute();
}

/** The home visits that answered events, with who made them: the archive shows which visit answered which event. */
export function responseVisitsOf(db: Executor, logIds: string[]) {
  if (logIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('contact_logs as l')
    .innerJoin('contacts as c', 'c.id', 'l.contact_id')
    .select(['l.id', 'l.occurred_at', 'c.name as contact_name'])
    .where('l.id', 'in', logIds)
    .execute();
}

export async function updateEvent(
  db: Executor,
  id: string,
  version: number,
  set: Partial<MajorEventTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('major_events')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets `set` on the event whatever its version (the system's own writes: escalation, a visit's answer). */
export async function setEvent(db: Executor, id: string, set: Partial<MajorEventTable>): Promise<void> {
  await db.updateTable('major_events').set(set).where('id', '=', id).execute();
}

/** The family's archive number (an escalation names it in the notice, never the family's name). */
export function archiveNoOf(db: Executor, familyId: string) {
  return db.selectFrom('families').select('archive_no').where('id', '=', familyId).executeTakeFirst();
}

/** Open events of a family that a home visit at `at` answers. */
export function openEventsBefore(db: Executor, familyId: string, at: string) {
  return db
    .selectFrom('major_events')
    .selectAll()
    .where('family_id', '=', familyId)
    .where('status', '=', 'open')
    .where('occurred_at', '<=', at)
    .execute();
}

export async function insertEscalation(
  db: Executor,
  row: { id: string; event_id: string; level: number; escalated_at: string },
): Promise<void> {
  await db.insertInto('event_escalations').values(row).execute();
}

/** Open events whose deadline (plus `graceMs` per level already reached) has passed: the escalation job's work. */
export function overdueOpenEvents(db: Executor, now: string) {
  return db
    .selectFrom('major_events')
    .selectAll()
    .where('status', '=', 'open')
    .where('response_due_at', '<', now)
    .where('escalation_level', '<', 2)
    .execute();
}

/** Open events with what a todo or dashboard row shows. */
function openEvents(db: Executor) {
  return db
    .selectFrom('major_events as e')
    .innerJoin('families as f', 'f.id', 'e.family_id')
    .innerJoin('regions as r', 'r.code', 'e.region_code')
    .select([
      'e.id',
      'e.family_id',
      'e.kind',
      'e.occurred_at',
      'e.created_at',
      'e.response_due_at',
      'e.escalation_level',
      'e.status',
      'f.archive_no',
      'r.name as region_name',
    ])
    .where('e.status', '=', 'open')
    .orderBy('e.response_due_at');
}

export function openEventsInRegion(db: Executor, range: RegionRange, minLevel = 0) {
  return openEvents(db).where(inRange('e.region_code', range)).where('e.escalation_level', '>=', minLevel).execute();
}

export function openEventsOfContacts(db: Executor, contactIds: string[]) {
  return openEvents(db)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('assignments as a')
          .select('a.id')
          .whereRef('a.family_id', '=', 'e.family_id')
          .where('a.ended_at', 'is', null)
          .where('a.contact_id', 'in', contactIds.length ? contactIds : ['']),
      ),
    )
    .execute();
}

export async function activeContactCount(db: Executor, familyId: string): Promise<number> {
  const row = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('family_id', '=', familyId)
    .where('ended_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
