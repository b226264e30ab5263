import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { JointMeetingTable, NeedTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate, type Page } from '../../platform/db/query-helpers.js';

/** open → referred → in progress → resolved | cannot be resolved (R11). */
export const CLOSED_NEED_STATUSES = ['resolved', 'unresolvable'];

export type NeedRecord = NeedTable & { archive_no: string; region_name: string };

/** Needs with the family's archive number and the region's name, as every answer shows them. */
function needsWithNames(db: Executor) {
  return db
    .selectFrom('needs as n')
    .innerJoin('families as f', 'f.id', 'n.family_id')
    .innerJoin('regions as r', 'r.code', 'n.region_code')
    .selectAll('n')
    .select(['f.archive_no', 'r.name as region_name']);
}

export function findNeedWithNames(db: Executor, id: string): Promise<NeedRecord> {
  return needsWithNames(db).where('n.id', '=', id).executeTakeFirstOrThrow();
}

export function findNeed(db: Executor, id: string) {
  return db.selectFrom('needs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The need's region (a joint meeting's agenda checks it is the county's). */
export function findNeedRegion(db: Executor, id: string) {
  return db.selectFrom('needs').select(['id', 'region_code']).where('id', '=', id).executeTakeFirst();
}

/** The family a contact log belongs to (a need raised from a visit names the visit). */
export function contactLogFamily(db: Executor, contactLogId: string) {
  return db.selectFrom('contact_logs').select('family_id').where('id', '=', contactLogId).executeTakeFirst();
}

export async function insertNeed(db: Executor, row: NeedTable): Promise<void> {
  await db.insertInto('needs').values(row).execute();
}

/** Sets `set` on the need if it is still at `version`; false when another write came first. */
export async function updateNeedAtVersion(
  db: Executor,
  id: string,
  version: number,
  set: Partial<NeedTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('needs')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface NeedFilter {
  familyId?: string;
  status?: string;
  department?: string;
  isOverdue?: boolean;
  isClosed?: boolean;
}

/** One page of the range's needs by deadline, and how many match. */
export async function listNeeds(db: Executor, range: RegionRange, f: NeedFilter, today: string, page: Page) {
  let q = needsWithNames(db).where(inRange('n.region_code', range));
  if (f.familyId) q = q.where('n.family_id', '=', f.familyId);
  if (f.status) q = q.where('n.status', '=', f.status);
  if (f.department) q = q.where('n.department', '=', f.department);
  if (f.isOverdue) q = q.where('n.deadline', '<', today).where('n.status', 'not in', CLOSED_NEED_STATUSES);
  if (f.isClosed !== undefined) q = q.where('n.status', f.isClosed ? 'in' : 'not in', CLOSED_NEED_STATUSES);
  const total = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  // The id breaks ties so that paging never shows a need twice or skips one.
  const rows = await q.orderBy('n.deadline').orderBy('n.id').$call(paginate(page)).execute();
  return { rows, total: Number(total.n) };
}

/** Open needs of the range past their deadline, earliest first, at most 100. */
export function overdueNeeds(db: Executor, range: RegionRange, today: string) {
  return needsWithNames(db)
    .where(inRange('n.region_code', range))
    .where('n.deadline', '<', today)
    .where('n.status', 'not in', CLOSED_NEED_STATUSES)
    .orderBy('n.deadline')
    .limit(100)
    .execute();
}

/** Per responsible department: all, resolved, unresolvable and overdue needs of the range. */
export function needCountsByDepartment(db: Executor, range: RegionRange, today: string) {
  return db
    .selectFrom('needs')
    .select([
      'department',
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`sum(case when status = 'resolved' then 1 else 0 end)`.as('resolved'),
      sql<number>`sum(case when status = 'unresolvable' then 1 else 0 end)`.as('unresolvable'),
      sql<number>`sum(case when status not in ('resolved', 'unresolvable') and deadline < ${today} then 1 else 0 end)`.as(
        'overdue',
      ),
    ])
    .where(inRange('region_code', range))
    .groupBy('department')
    .execute();
}

/** A joint meeting and its agenda: one decision per need. */
export async function insertJointMeeting(
  db: Executor,
  meeting: JointMeetingTable,
  items: Array<{ need_id: string; decision: string }>,
): Promise<void> {
  await db.insertInto('joint_meetings').values(meeting).execute();
  if (items.length)
    await db
      .insertInto('joint_meeting_items')
      .values(items.map((it) => ({ meeting_id: meeting.id, ...it })))
      .execute();
}

/** Meetings with their county's name, and the agenda items of them with the need each is about. */
async function meetingsWithItems(db: Executor, meetings: ReturnType<typeof meetingsFrom>) {
  const rows = await meetings
    .innerJoin('regions as r', 'r.code', 'joint_meetings.county_code')
    .selectAll('joint_meetings')
    .select('r.name as county_name')
    .execute();
  if (!rows.length) return { meetings: rows, items: [] };
  const items = await db
    .selectFrom('joint_meeting_items as i')
    .innerJoin('needs as n', 'n.id', 'i.need_id')
    .innerJoin('families as f', 'f.id', 'n.family_id')
    .select([
      'i.meeting_id',
      'i.need_id',
      'i.decision',
      'n.family_id',
      'f.archive_no',
      'n.category',
      'n.department',
      'n.description',
      'n.status',
    ])
    .where(
      'i.meeting_id',
      'in',
      rows.map((m) => m.id),
    )
    .orderBy('f.archive_no')
    .execute();
  return { meetings: rows, items };
}

function meetingsFrom(db: Executor) {
  return db.selectFrom('joint_meetings');
}

export function findJointMeeting(db: Executor, id: string) {
  return meetingsWithItems(db, meetingsFrom(db).where('id', '=', id));
}

/** The meetings of the counties of the range, newest first, at most 100. */
export function listJointMeetings(db: Executor, range: RegionRange) {
  return meetingsWithItems(
    db,
    meetingsFrom(db)
      .where(inRange('county_code', range))
      .orderBy('held_on', 'desc')
      .orderBy('created_at', 'desc')
      .limit(100),
  );
}
