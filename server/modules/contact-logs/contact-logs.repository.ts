import type { Executor } from '../../platform/db/database.js';
import type { ContactLogRevisionTable, ContactLogTable } from '../../platform/db/schema.js';

export async function insertLog(db: Executor, row: ContactLogTable): Promise<void> {
  await db.insertInto('contact_logs').values(row).execute();
}

export function findLog(db: Executor, id: string) {
  return db.selectFrom('contact_logs').selectAll().where('id', '=', id).executeTakeFirst();
}

function withContact(db: Executor) {
  return db
    .selectFrom('contact_logs as l')
    .innerJoin('contacts as c', 'c.id', 'l.contact_id')
    .selectAll('l')
    .select(['c.name as contact_name', 'c.post as contact_post']);
}

export function findLogWithContact(db: Executor, id: string) {
  return withContact(db).where('l.id', '=', id).executeTakeFirstOrThrow();
}

export function logsOfFamily(db: Executor, familyId: string, limit: number) {
  return withContact(db).where('l.family_id', '=', familyId).orderBy('l.occurred_at', 'desc').limit(limit).execute();
}
export type LogRow = Awaited<ReturnType<typeof logsOfFamily>>[number];

export async function updateLog(
  db: Executor,
  id: string,
  version: number,
  set: Partial<ContactLogTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('contact_logs')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertRevision(db: Executor, row: ContactLogRevisionTable): Promise<void> {
  await db.insertInto('contact_log_revisions').values(row).execute();
}

export function revisionCounts(db: Executor, logIds: string[]) {
  if (logIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('contact_log_revisions')
    .select(['log_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('log_id', 'in', logIds)
    .groupBy('log_id')
    .execute();
}

export function activeAssignment(db: Executor, familyId: string, contactId: string) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.id', 'a.post', 'c.user_id', 'c.name', 'c.post as contact_post'])
    .where('a.family_id', '=', familyId)
    .where('a.contact_id', '=', contactId)
    .where('a.ended_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Whether a home visit could answer anything: an open major event or a risk not yet visited. A superset of
 * what the home-visit hooks look for (they also compare dates), so skipping them when it is false changes
 * nothing; most families have neither, and this is one indexed probe instead of a query per hook.
 */
export async function hasOpenResponses(db: Executor, familyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('major_events')
    .select('id')
    .where('family_id', '=', familyId)
    .where('status', '=', 'open')
    .unionAll((eb) =>
      eb.selectFrom('petition_risks').select('id').where('family_id', '=', familyId).where('visited_at', 'is', null),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
