import type { Executor } from '../../platform/db/database.js';
import { columnsOf, prepared } from '../../platform/db/prepared.js';
import type { ContactLogRevisionTable, ContactLogTable } from '../../platform/db/schema.js';

// The statements of a new log run prepared (compiled once): logging contacts is the busiest write.
const LOG_COLUMNS = Object.keys({
  id: true,
  family_id: true,
  contact_id: true,
  mode: true,
  direction: true,
  occurred_at: true,
  month: true,
  participants: true,
  health: true,
  self_care: true,
  mental_state: true,
  demands: true,
  policies_explained: true,
  problems_coordinated: true,
  follow_ups: true,
  notes: true,
  is_on_behalf: true,
  created_by: true,
  created_at: true,
  updated_at: true,
  version: true,
} satisfies Record<keyof ContactLogTable, true>) as Array<keyof ContactLogTable>;

const insertLogQuery = prepared((db, row: ContactLogTable) =>
  db.insertInto('contact_logs').values(columnsOf(row, LOG_COLUMNS)),
);

export async function insertLog(db: Executor, row: ContactLogTable): Promise<void> {
  await insertLogQuery(db, row);
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

const activeAssignmentQuery = prepared((db, p: { familyId: string; contactId: string }) =>
  db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.id', 'a.post', 'c.user_id', 'c.name', 'c.post as contact_post'])
    .where('a.family_id', '=', p.familyId)
    .where('a.contact_id', '=', p.contactId)
    .where('a.ended_at', 'is', null),
);

export async function activeAssignment(db: Executor, familyId: string, contactId: string) {
  return (await activeAssignmentQuery(db, { familyId, contactId })).rows[0];
}

const openResponsesQuery = prepared((db, p: { familyId: string }) =>
  db
    .selectFrom('major_events')
    .select('id')
    .where('family_id', '=', p.familyId)
    .where('status', '=', 'open')
    .unionAll((eb) =>
      eb.selectFrom('petition_risks').select('id').where('family_id', '=', p.familyId).where('visited_at', 'is', null),
    )
    .limit(1),
);

/**
 * Whether a home visit could answer anything: an open major event or a risk not yet visited. A superset of
 * what the home-visit hooks look for (they also compare dates), so skipping them when it is false changes
 * nothing; most families have neither, and this is one indexed probe instead of a query per hook.
 */
export async function hasOpenResponses(db: Executor, familyId: string): Promise<boolean> {
  return (await openResponsesQuery(db, { familyId })).rows.length > 0;
}
