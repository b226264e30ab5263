import type { Executor } from '../../platform/db/database.js';
import { paginate, type Page } from '../../platform/db/query-helpers.js';
import type { NotificationPrefTable, NotificationTable, OutboxTable } from '../../platform/db/schema.js';

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

  list: (db: Executor, userId: string, unreadOnly: boolean, page: Page, kind?: string) => {
    let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    if (kind) q = q.where('kind', '=', kind);
    return q.orderBy('created_at', 'desc').orderBy('id').$call(paginate(page)).execute();
  },

  count: async (db: Executor, userId: string, unreadOnly: boolean, kind?: string) => {
    let q = db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    if (kind) q = q.where('kind', '=', kind);
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
      .select(['n.id', 'n.family_id', 'n.region_code', 'n.created_by', 'n.deadline', 'f.archive_no'])
      .where('n.deadline', '<', today)
      .where('n.status', 'not in', ['resolved', 'unresolvable'])
      .limit(5_000)
      .execute(),

  /** Who already has the notification of this key (today's digest): their todos need not be computed again. */
  usersWithKey: async (db: Executor, dedupeKey: string) =>
    new Set(
      (await db.selectFrom('notifications').select('user_id').where('dedupe_key', '=', dedupeKey).execute()).map(
        (r) => r.user_id,
      ),
    ),

  /** The China date of the last complete digest pass (kept as a row of job_runs). */
  digestDay: async (db: Executor) =>
    (await db.selectFrom('job_runs').select('last_run_at').where('job', '=', 'digest-day').executeTakeFirst())
      ?.last_run_at ?? null,

  setDigestDay: (db: Executor, day: string) =>
    db
      .insertInto('job_runs')
      .values({ job: 'digest-day', last_run_at: day })
      .onConflict((oc) => oc.column('job').doUpdateSet({ last_run_at: day }))
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

/** The push side of the outbox (R10 part 6): rows of kind 'push', one per notification and channel. */
export const pushRepo = {
  /** One push of a notification to one channel, sent by the push worker. */
  enqueue: async (db: Executor, row: OutboxTable): Promise<void> => {
    await db.insertInto('outbox').values(row).execute();
  },

  due: (db: Executor, now: string, limit: number) =>
    db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'push')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute(),

  /** Pending → sending for one worker only: a row is sent once even if two passes met. */
  async claim(db: Executor, id: string, at: string): Promise<boolean> {
    const res = await db
      .updateTable('outbox')
      .set({ status: 'sending', next_attempt_at: at })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  update: (db: Executor, id: string, set: Partial<OutboxTable>) =>
    db.updateTable('outbox').set(set).where('id', '=', id).execute(),

  recipient: (db: Executor, userId: string) =>
    db
      .selectFrom('users')
      .leftJoin('notification_prefs as p', 'p.user_id', 'users.id')
      .select([
        'users.id',
        'users.is_disabled',
        'users.phone_enc',
        'users.wecom_user_id',
        'p.channels',
        'p.quiet_from',
        'p.quiet_to',
      ])
      .where('users.id', '=', userId)
      .executeTakeFirst(),

  /** Names that could appear in a notification's text: every account's. */
  accountNames: async (db: Executor) =>
    (await db.selectFrom('users').select('display_name').limit(50_000).execute()).map((r) => r.display_name),

  familyNames: async (db: Executor, familyId: string) =>
    (await db.selectFrom('family_members').select('name').where('family_id', '=', familyId).execute()).map(
      (r) => r.name,
    ),

  /** What the settings page shows of the account's push addresses (the phone masked). */
  contactOf: (db: Executor, userId: string) =>
    db.selectFrom('users').select(['phone_mask', 'wecom_user_id']).where('id', '=', userId).executeTakeFirst(),

  setContact: (
    db: Executor,
    userId: string,
    set: {
      phone_enc?: string | null;
      phone_idx?: string | null;
      phone_mask?: string | null;
      wecom_user_id?: string | null;
    },
  ) => db.updateTable('users').set(set).where('id', '=', userId).execute(),
};
