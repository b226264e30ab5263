import type { Executor } from '../../platform/db/database.js';
import type { NotificationPrefTable, NotificationTable } from '../../platform/db/schema.js';

export const notificationsRepo = {
  /** Active accounts of the given roles bound exactly to the region (a county's leaders, a township's staff). */
  usersAt: (db: Executor, roles: string[], regionCode: string) =>
    db
      .selectFrom('users')
      .select('id')
      .where('role', 'in', roles)
      .where('region_code', '=', regionCode)
      .where('is_disabled', '=', 0)
      .execute(),

  activeUsers: (db: Executor, ids: string[]) =>
    ids.length
      ? db.selectFrom('users').select('id').where('id', 'in', ids).where('is_disabled', '=', 0).execute()
      : Promise.resolve([]),

  prefsOf: (db: Executor, ids: string[]): Promise<NotificationPrefTable[]> =>
    ids.length
      ? db.selectFrom('notification_prefs').selectAll().where('user_id', 'in', ids).execute()
      : Promise.resolve([]),

  /** Inserts unless this user already has the notification of that key; answers whether it was new. */
  async insert(db: Executor, row: NotificationTable): Promise<boolean> {
    const res = await db
      .insertInto('notifications')
      .values(row)
      .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  list: (db: Executor, userId: string, unreadOnly: boolean, limit: number, offset: number) => {
    let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    return q.orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  },

  count: async (db: Executor, userId: string, unreadOnly: boolean) => {
    let q = db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },

  find: (db: Executor, id: string) =>
    db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst(),

  markRead: (db: Executor, userId: string, at: string, id?: string) => {
    let q = db
      .updateTable('notifications')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null);
    if (id) q = q.where('id', '=', id);
    return q.executeTakeFirst();
  },

  upsertPrefs: async (db: Executor, row: NotificationPrefTable, expectedVersion: number): Promise<boolean> => {
    if (expectedVersion === 0) {
      const res = await db
        .insertInto('notification_prefs')
        .values(row)
        .onConflict((oc) => oc.column('user_id').doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    }
    const res = await db
      .updateTable('notification_prefs')
      .set({ ...row, user_id: undefined })
      .where('user_id', '=', row.user_id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  },

  /** Open needs past their deadline, with where they are (for the overdue reminder). */
  overdueNeeds: (db: Executor, today: string) =>
    db
      .selectFrom('needs as n')
      .innerJoin('families as f', 'f.id', 'n.family_id')
      .select(['n.id', 'n.region_code', 'n.created_by', 'n.deadline', 'f.archive_no'])
      .where('n.deadline', '<', today)
      .where('n.status', 'not in', ['resolved', 'unresolvable'])
      .limit(5_000)
      .execute(),

  /** Accounts that get a daily digest: everyone but the 三员 (they hold no family work). */
  digestUsers: (db: Executor) =>
    db
      .selectFrom('users')
      .leftJoin('notification_prefs as p', 'p.user_id', 'users.id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.region_code'])
      .where('users.is_disabled', '=', 0)
      .where('users.role', 'not in', ['sysadmin', 'security_admin', 'auditor'])
      .where((eb) => eb.or([eb('p.digest', 'is', null), eb('p.digest', '=', 1)]))
      .execute(),
};
