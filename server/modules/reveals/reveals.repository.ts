import { randomUUID } from 'node:crypto';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { RevealRequestStatus } from '../../../common/labels.js';
import type { Executor } from '../../platform/db/database.js';
import type { RevealRequestTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

/** Reveals the account made since `since` (ISO), and how many of them were refused. */
export async function countAttempts(
  db: Executor,
  userId: string,
  since: string,
): Promise<{ admitted: number; refused: number }> {
  const rows = await db
    .selectFrom('reveal_attempts')
    .select(['refused', (eb) => eb.fn.countAll<number>().as('n')])
    .where('user_id', '=', userId)
    .where('at', '>=', since)
    .groupBy('refused')
    .execute();
  const n = (refused: number) => Number(rows.find((r) => Number(r.refused) === refused)?.n ?? 0);
  return { admitted: n(0), refused: n(1) };
}

export async function insertAttempt(
  db: Executor,
  row: { userId: string; familyId: string; at: string; refused: boolean },
): Promise<void> {
  await db
    .insertInto('reveal_attempts')
    .values({
      id: randomUUID(),
      user_id: row.userId,
      family_id: row.familyId,
      at: row.at,
      refused: row.refused ? 1 : 0,
    })
    .execute();
}

/** Attempts older than what any window looks at are dropped as the account makes new ones. */
export async function pruneAttempts(db: Executor, userId: string, before: string): Promise<void> {
  await db.deleteFrom('reveal_attempts').where('user_id', '=', userId).where('at', '<', before).execute();
}

// ---- Requests beyond the hourly limit ----

export type RevealRequestRow = Selectable<RevealRequestTable> & {
  archive_no: string;
  region_name: string;
  requested_by_name: string;
  decided_by_name: string | null;
};

function requestQuery(db: Executor) {
  return db
    .selectFrom('reveal_requests as q')
    .innerJoin('families as f', 'f.id', 'q.family_id')
    .innerJoin('regions as r', 'r.code', 'q.region_code')
    .innerJoin('users as u', 'u.id', 'q.requested_by')
    .leftJoin('users as d', 'd.id', 'q.decided_by')
    .selectAll('q')
    .select([
      'f.archive_no',
      'r.name as region_name',
      'u.display_name as requested_by_name',
      'd.display_name as decided_by_name',
    ]);
}

export async function insertRequest(db: Executor, row: Insertable<RevealRequestTable>): Promise<void> {
  await db.insertInto('reveal_requests').values(row).execute();
}

export async function findRequest(db: Executor, id: string): Promise<RevealRequestRow | undefined> {
  return requestQuery(db).where('q.id', '=', id).executeTakeFirst();
}

/**
 * Requests the reader may see: over the families in `range` (approvers), or only `requestedBy`'s own;
 * `now` turns an approved request past its time into `expired` for the status filter.
 */
export async function listRequests(
  db: Executor,
  filter: {
    range?: RegionRange;
    requestedBy?: string;
    familyId?: string;
    status?: RevealRequestStatus;
    now: string;
  },
  page: { page: number; pageSize: number },
): Promise<{ rows: RevealRequestRow[]; total: number }> {
  let q = requestQuery(db);
  if (filter.range) q = q.where(inRange('q.region_code', filter.range));
  if (filter.requestedBy) q = q.where('q.requested_by', '=', filter.requestedBy);
  if (filter.familyId) q = q.where('q.family_id', '=', filter.familyId);
  if (filter.status === 'expired') q = q.where('q.status', '=', 'approved').where('q.expires_at', '<=', filter.now);
  else if (filter.status === 'approved')
    q = q.where('q.status', '=', 'approved').where('q.expires_at', '>', filter.now);
  else if (filter.status) q = q.where('q.status', '=', filter.status);
  const [{ n }] = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .execute();
  const rows = await q.orderBy('q.requested_at', 'desc').orderBy('q.id').$call(paginate(page)).execute();
  return { rows, total: Number(n) };
}

/** The requester's open request for one value (pending, or approved and not yet used or expired). */
export async function openRequestFor(
  db: Executor,
  userId: string,
  familyId: string,
  field: string,
  now: string,
): Promise<Selectable<RevealRequestTable> | undefined> {
  return db
    .selectFrom('reveal_requests')
    .selectAll()
    .where('requested_by', '=', userId)
    .where('family_id', '=', familyId)
    .where('field', '=', field)
    .where((eb) =>
      eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'approved'), eb('expires_at', '>', now)])]),
    )
    .orderBy('requested_at', 'desc')
    .executeTakeFirst();
}

/** Optimistic update: false when the version moved (another decision won). */
export async function updateRequest(
  db: Executor,
  id: string,
  version: number,
  patch: Updateable<RevealRequestTable>,
): Promise<boolean> {
  const res = await db
    .updateTable('reveal_requests')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Pending requests over `range` not filed by `exceptUser`: the approvers' todos. */
export async function pendingForApprover(db: Executor, range: RegionRange, exceptUser: string, limit: number) {
  return requestQuery(db)
    .where('q.status', '=', 'pending')
    .where(inRange('q.region_code', range))
    .where('q.requested_by', '!=', exceptUser)
    .orderBy('q.requested_at')
    .limit(limit)
    .execute();
}
