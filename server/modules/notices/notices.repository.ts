import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type {
  DeliveryAttemptTable,
  NoticeAttachmentTable,
  NoticeDeliveryTable,
  NoticeStepTable,
  NoticeTable,
  OutboxTable,
} from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate, type Page } from '../../platform/db/query-helpers.js';

export type NoticeRow = NoticeTable & { region_name: string };

function withRegion(db: Executor) {
  return db
    .selectFrom('notices as n')
    .innerJoin('regions as r', 'r.code', 'n.region_code')
    .selectAll('n')
    .select('r.name as region_name');
}

/** `returned`: a draft sent back by the leader (it carries the reason); `q`: words of the title. */
export interface NoticeFilter {
  status?: string;
  publishedOnly?: boolean;
  q?: string;
}

/** The filter's words, without LIKE's wildcards. */
const titleWords = (f: NoticeFilter) => f.q?.replace(/[%_\\]/g, '').trim() || undefined;

export const noticesRepo = {
  /** What a failed delivery's notice to the author needs: the notice's title, author and region. */
  findHeading: (db: Executor, id: string) =>
    db
      .selectFrom('notices')
      .select(['id', 'title', 'author_id', 'region_code'])
      .where('id', '=', id)
      .executeTakeFirst(),
  insert: (db: Executor, row: NoticeTable) => db.insertInto('notices').values(row).execute(),
  find: (db: Executor, id: string): Promise<NoticeRow | undefined> =>
    withRegion(db).where('n.id', '=', id).executeTakeFirst(),

  async update(db: Executor, id: string, version: number, set: Partial<NoticeTable>): Promise<boolean> {
    const res = await db
      .updateTable('notices')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  list(db: Executor, range: RegionRange, f: NoticeFilter, page: Page) {
    const q = withRegion(db)
      .where(inRange('n.region_code', range))
      .$if(f.status === 'returned', (qb) => qb.where('n.status', '=', 'draft').where('n.status_reason', 'is not', null))
      .$if(!!f.status && f.status !== 'returned', (qb) => qb.where('n.status', '=', f.status!))
      .$if(!!f.publishedOnly, (qb) => qb.where('n.status', '=', 'published'))
      .$if(!!titleWords(f), (qb) => qb.where('n.title', 'like', `%${titleWords(f)}%`));
    return q.orderBy('n.updated_at', 'desc').orderBy('n.id').$call(paginate(page)).execute();
  },
  async count(db: Executor, range: RegionRange, f: NoticeFilter) {
    const q = db
      .selectFrom('notices as n')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(inRange('n.region_code', range))
      .$if(f.status === 'returned', (qb) => qb.where('n.status', '=', 'draft').where('n.status_reason', 'is not', null))
      .$if(!!f.status && f.status !== 'returned', (qb) => qb.where('n.status', '=', f.status!))
      .$if(!!f.publishedOnly, (qb) => qb.where('n.status', '=', 'published'))
      .$if(!!titleWords(f), (qb) => qb.where('n.title', 'like', `%${titleWords(f)}%`));
    return Number((await q.executeTakeFirstOrThrow()).n);
  },

  attachmentsOf: (db: Executor, noticeIds: string[]) =>
    noticeIds.length
      ? db
          .selectFrom('notice_attachments')
          .select(['id', 'notice_id', 'file_name', 'file_type', 'size', 'created_at'])
          .where('notice_id', 'in', noticeIds)
          .orderBy('created_at')
          .execute()
      : Promise.resolve([]),
  attachment: (db: Executor, noticeId: string, id: string) =>
    db
      .selectFrom('notice_attachments')
      .selectAll()
      .where('id', '=', id)
      .where('notice_id', '=', noticeId)
      .executeTakeFirst(),
  insertAttachment: (db: Executor, row: NoticeAttachmentTable) =>
    db.insertInto('notice_attachments').values(row).execute(),
  deleteAttachment: (db: Executor, noticeId: string, id: string) =>
    db.deleteFrom('notice_attachments').where('id', '=', id).where('notice_id', '=', noticeId).executeTakeFirst(),

  steps: (db: Executor, noticeId: string) =>
    db.selectFrom('notice_steps').selectAll().where('notice_id', '=', noticeId).orderBy('seq').execute(),
  /** Steps are written inside the notice's versioned update, so two writers never take the same number. */
  async insertStep(db: Executor, row: Omit<NoticeStepTable, 'seq'>) {
    const last = await db
      .selectFrom('notice_steps')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('notice_id', '=', row.notice_id)
      .executeTakeFirst();
    await db
      .insertInto('notice_steps')
      .values({ ...row, seq: Number(last?.seq ?? 0) + 1 })
      .execute();
  },

  readsBy: (db: Executor, userId: string, noticeIds: string[]) =>
    noticeIds.length
      ? db
          .selectFrom('notice_reads')
          .select('notice_id')
          .where('user_id', '=', userId)
          .where('notice_id', 'in', noticeIds)
          .execute()
      : Promise.resolve([]),
  markRead: (db: Executor, noticeId: string, userId: string, at: string) =>
    db
      .insertInto('notice_reads')
      .values({ notice_id: noticeId, user_id: userId, read_at: at })
      .onConflict((oc) => oc.columns(['notice_id', 'user_id']).doNothing())
      .execute(),
  /** The county's contacts and staff (who the notice board is for), with when each read the notice. */
  readers: (db: Executor, noticeId: string, range: RegionRange, roles: string[]) =>
    db
      .selectFrom('users as u')
      .innerJoin('regions as r', 'r.code', 'u.region_code')
      .leftJoin('notice_reads as nr', (j) => j.onRef('nr.user_id', '=', 'u.id').on('nr.notice_id', '=', noticeId))
      .select(['u.id', 'u.display_name', 'u.role', 'r.name as region_name', 'nr.read_at'])
      .where(inRange('u.region_code', range))
      .where('u.role', 'in', roles)
      .where('u.is_disabled', '=', 0)
      .orderBy(sql`case when nr.read_at is null then 1 else 0 end`)
      .orderBy('u.region_code')
      .orderBy('u.display_name')
      .limit(2_000)
      .execute(),

  insertDelivery: (db: Executor, row: NoticeDeliveryTable) => db.insertInto('notice_deliveries').values(row).execute(),
  deliveries: (db: Executor, noticeId: string) =>
    db
      .selectFrom('notice_deliveries as d')
      .innerJoin('channels as c', 'c.id', 'd.channel_id')
      .selectAll('d')
      .select(['c.name as channel_name', 'c.kind as channel_kind'])
      .where('d.notice_id', '=', noticeId)
      .orderBy('c.name')
      .execute(),
  delivery: (db: Executor, id: string) =>
    db.selectFrom('notice_deliveries').selectAll().where('id', '=', id).executeTakeFirst(),
  deliveryOf: (db: Executor, noticeId: string, channelId: string) =>
    db
      .selectFrom('notice_deliveries')
      .selectAll()
      .where('notice_id', '=', noticeId)
      .where('channel_id', '=', channelId)
      .executeTakeFirst(),
  updateDelivery: (db: Executor, id: string, set: Partial<NoticeDeliveryTable>) =>
    db.updateTable('notice_deliveries').set(set).where('id', '=', id).execute(),

  insertOutbox: (db: Executor, row: OutboxTable) => db.insertInto('outbox').values(row).execute(),
  /** Withdrawal: what has not gone out yet never will. */
  cancelPending: (db: Executor, deliveryIds: string[], reason: string) =>
    deliveryIds.length
      ? db
          .updateTable('outbox')
          .set({ status: 'failed', last_error: reason })
          .where('delivery_id', 'in', deliveryIds)
          .where('status', '=', 'pending')
          .execute()
      : Promise.resolve([]),

  // The delivery worker's queries.

  /**
   * Robot messages due now, oldest first, and only the next one of each delivery: a file never overtakes
   * the notice's text, whatever retries are pending.
   */
  dueRobotMessages: (db: Executor, now: string, limit: number) =>
    db
      .selectFrom('outbox as o')
      .selectAll('o')
      .where('o.status', '=', 'pending')
      .where('o.kind', 'in', ['robot_markdown', 'robot_file'])
      .where('o.next_attempt_at', '<=', now)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('outbox as e')
              .select('e.id')
              .whereRef('e.delivery_id', '=', 'o.delivery_id')
              .whereRef('e.seq', '<', 'o.seq')
              .where('e.status', 'in', ['pending', 'sending']),
          ),
        ),
      )
      .orderBy('o.next_attempt_at')
      .orderBy('o.created_at')
      .orderBy('o.seq')
      .limit(limit)
      .execute(),
  /** Claims a row for sending; false when another worker got it first. */
  async claim(db: Executor, id: string, at: string): Promise<boolean> {
    const res = await db
      .updateTable('outbox')
      .set({ status: 'sending', next_attempt_at: at })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  /** A row left 'sending' by a crashed process goes back to the queue. */
  releaseStale: (db: Executor, before: string) =>
    db
      .updateTable('outbox')
      .set({ status: 'pending' })
      .where('status', '=', 'sending')
      .where('next_attempt_at', '<', before)
      .execute(),
  updateOutbox: (db: Executor, id: string, set: Partial<OutboxTable>) =>
    db.updateTable('outbox').set(set).where('id', '=', id).execute(),
  outboxOfDelivery: (db: Executor, deliveryId: string) =>
    db.selectFrom('outbox').selectAll().where('delivery_id', '=', deliveryId).orderBy('seq').execute(),
  insertAttempt: (db: Executor, row: DeliveryAttemptTable) => db.insertInto('delivery_attempts').values(row).execute(),
  /** Requests to one robot in the last minute, and the oldest of them (the 20 per minute limit). */
  recentAttempts: async (db: Executor, channelId: string, since: string) => {
    const row = await db
      .selectFrom('delivery_attempts')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('attempted_at').as('oldest')])
      .where('channel_id', '=', channelId)
      .where('attempted_at', '>', since)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: row.oldest as string | null };
  },
  attemptsOf: (db: Executor, outboxIds: string[]) =>
    outboxIds.length
      ? db
          .selectFrom('delivery_attempts')
          .selectAll()
          .where('outbox_id', 'in', outboxIds)
          .orderBy('attempted_at')
          .execute()
      : Promise.resolve([]),
};
