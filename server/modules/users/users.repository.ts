import type { Executor } from '../../platform/db/database.js';
import type { UserTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

export type UserRow = UserTable & { region_name: string };

export interface UserFilters {
  q?: string;
  role?: string;
  regionCode?: string;
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('users as u')
    .innerJoin('regions as r', 'r.code', 'u.region_code')
    .selectAll('u')
    .select('r.name as region_name');
}

export function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return baseQuery(db).where('u.username', '=', username).executeTakeFirst();
}

export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return baseQuery(db).where('u.id', '=', id).executeTakeFirst();
}

export async function listUsers(
  db: Executor,
  scope: RegionRange,
  filters: UserFilters,
  page: { page: number; pageSize: number },
): Promise<{ rows: UserRow[]; total: number }> {
  let q = baseQuery(db).where(inRange('u.region_code', scope));
  if (filters.role) q = q.where('u.role', '=', filters.role);
  if (filters.regionCode) q = q.where('u.region_code', '=', filters.regionCode);
  if (filters.q) {
    const like = `%${filters.q.toLowerCase()}%`;
    q = q.where((eb) =>
      eb.or([eb(eb.fn('lower', ['u.username']), 'like', like), eb(eb.fn('lower', ['u.display_name']), 'like', like)]),
    );
  }
  const totalRow = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q.orderBy('u.username').$call(paginate(page)).execute();
  return { rows, total: Number(totalRow.n) };
}

/** Accounts with a change waiting for approval, oldest request first. */
export function listPending(db: Executor, scope: RegionRange): Promise<UserRow[]> {
  return baseQuery(db)
    .where(inRange('u.region_code', scope))
    .where('u.pending_change', 'is not', null)
    .orderBy('u.updated_at')
    .limit(500)
    .execute();
}

export async function insertUser(db: Executor, row: UserTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

/** Optimistic update: returns false when the stored version moved on. */
export async function updateUser(db: Executor, id: string, version: number, set: Partial<UserTable>): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Login bookkeeping never bumps the version: it must not collide with an admin's edit. */
export async function setLoginState(
  db: Executor,
  id: string,
  set: Pick<Partial<UserTable>, 'failed_attempts' | 'locked_until' | 'last_login_at'>,
): Promise<void> {
  await db.updateTable('users').set(set).where('id', '=', id).execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setPassword(db: Executor, id: string, passwordHash: string, at: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: at, updated_at: at })
    .where('id', '=', id)
    .execute();
}
