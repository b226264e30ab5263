import { randomUUID } from 'node:crypto';
import { NOTIFICATION_KINDS, type NotificationKind, type NotifyChannel } from '../../../common/labels.js';
import type { Role } from '../../../common/roles.js';
import type {
  Notification,
  NotificationPrefs,
  NotificationPrefsUpdate,
} from '../../../common/schemas/notifications.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import type { NotificationTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { sealPhone } from '../../platform/crypto/sealed-fields.js';
import { digestBreakdown } from './digest-text.js';
import { notificationsRepo as repo, pushRepo } from './notifications.repository.js';

export interface NotifyInput {
  kind: NotificationKind;
  /** Shown in the bell and pushed: never an ID number, a phone or a full name (use archive numbers, maskName). */
  title: string;
  body: string;
  /** The web app's path to the work, e.g. `/notices/…`. */
  link?: string | null;
  /** Explicit recipients. */
  userIds?: string[];
  /** And/or every active account of these roles bound to exactly this region. */
  audience?: { roles: Role[]; regionCode: string };
  /** One notification per user and key: the same cause twice does not ring twice. */
  dedupeKey: string;
  /** Urgent ones ring whatever the user's kind preferences (a province-level petition tendency). */
  isUrgent?: boolean;
}

/** Called inside the transaction of the cause: the notification commits with it, or not at all. */
export type Notify = (trx: Executor, input: NotifyInput) => Promise<string[]>;

function view(n: NotificationTable): Notification {
  return {
    id: n.id,
    kind: n.kind as NotificationKind,
    title: n.title,
    body: n.body,
    link: n.link,
    isUrgent: n.is_urgent === 1,
    createdAt: n.created_at,
    readAt: n.read_at,
  };
}

/** Everything is on until a user turns it off; channels beyond in-app only where a provider is configured. */
export const DEFAULT_KINDS: NotificationKind[] = [...NOTIFICATION_KINDS];

/**
 * R10 part 5: the notification centre (the bell). `notify` is what other modules call — inside their own
 * transaction — to tell the people who must act; pushes to WeCom or SMS go out after the commit through
 * the outbox (see push.ts), quiet hours respected.
 */
export function createNotificationsService(platform: Platform) {
  const { db, clock, config } = platform;
  const pushChannels = (): NotifyChannel[] => [
    ...(config.push.wecomApp ? (['wecom_app'] as const) : []),
    ...(config.push.sms ? (['sms'] as const) : []),
  ];

  const notify: Notify = async (trx, input) => {
    const ids = new Set(input.userIds ?? []);
    if (input.audience)
      for (const u of await repo.usersAt(trx, input.audience.roles, input.audience.regionCode)) ids.add(u.id);
    const users = await repo.activeUsers(trx, [...ids]);
    if (!users.length) return [];
    const prefs = new Map(
      (
        await repo.prefsOf(
          trx,
          users.map((u) => u.id),
        )
      ).map((p) => [p.user_id, p]),
    );
    const now = clock.now().toISOString();
    const created: string[] = [];
    for (const u of users) {
      const p = prefs.get(u.id);
      if (p && !input.isUrgent && !(JSON.parse(p.kinds) as string[]).includes(input.kind)) continue;
      const row: NotificationTable = {
        id: randomUUID(),
        user_id: u.id,
        kind: input.kind,
        title: input.title.slice(0, 200),
        body: input.body.slice(0, 1000),
        link: input.link ?? null,
        dedupe_key: input.dedupeKey.slice(0, 200),
        is_urgent: input.isUrgent ? 1 : 0,
        created_at: now,
        read_at: null,
      };
      if (!(await repo.insert(trx, row))) continue;
      created.push(row.id);
      const wanted = p ? (JSON.parse(p.channels) as NotifyChannel[]) : [];
      for (const channel of pushChannels().filter((ch) => wanted.includes(ch)))
        await pushRepo.enqueue(trx, {
          id: randomUUID(),
          kind: 'push',
          delivery_id: null,
          channel_id: null,
          seq: 0,
          payload: JSON.stringify({ notificationId: row.id, userId: u.id, channel }),
          status: 'pending',
          attempts: 0,
          next_attempt_at: afterQuietHours(clock.now(), p?.quiet_from ?? null, p?.quiet_to ?? null).toISOString(),
          last_error: null,
          created_at: now,
          sent_at: null,
        });
    }
    return created;
  };

  return {
    notify,

    async list(
      c: RequestContext,
      unreadOnly: boolean,
      page: { page: number; pageSize: number },
      kind?: NotificationKind,
    ) {
      const [rows, total] = await Promise.all([
        repo.list(db, c.actor.id, unreadOnly, page, kind),
        repo.count(db, c.actor.id, unreadOnly, kind),
      ]);
      return { data: rows.map(view), page: { ...page, total } };
    },

    unreadCount: (c: RequestContext) => repo.count(db, c.actor.id, true),

    /** Someone else's notification is "not found": ids do not tell whether they exist. */
    async markRead(c: RequestContext, id: string): Promise<Notification> {
      const n = await repo.find(db, id);
      if (!n || n.user_id !== c.actor.id) throw AppError.notFound();
      if (!n.read_at) await repo.markRead(db, c.actor.id, clock.now().toISOString(), id);
      return view((await repo.find(db, id))!);
    },

    async markAllRead(c: RequestContext): Promise<number> {
      return Number((await repo.markRead(db, c.actor.id, clock.now().toISOString())).numUpdatedRows);
    },

    async prefs(c: RequestContext): Promise<NotificationPrefs> {
      const [p] = await repo.prefsOf(db, [c.actor.id]);
      const contact = await pushRepo.contactOf(db, c.actor.id);
      return {
        phone: contact?.phone_mask ?? null,
        wecomUserId: contact?.wecom_user_id ?? null,
        kinds: p ? (JSON.parse(p.kinds) as NotificationKind[]) : DEFAULT_KINDS,
        channels: p ? (JSON.parse(p.channels) as NotifyChannel[]) : ['in_app'],
        quietFrom: p?.quiet_from ?? null,
        quietTo: p?.quiet_to ?? null,
        digest: p ? p.digest === 1 : true,
        version: p?.version ?? 1,
        providers: { wecomApp: !!config.push.wecomApp, sms: config.push.sms?.provider ?? null },
      };
    },

    async updatePrefs(c: RequestContext, input: NotificationPrefsUpdate): Promise<NotificationPrefs> {
      const available = ['in_app', ...pushChannels()];
      const bad = input.channels.findIndex((ch) => !available.includes(ch));
      if (bad >= 0)
        throw AppError.field(
          `channels.${bad}`,
          '本平台未配置该推送方式，只能接收平台内消息',
          'PROVIDER_NOT_CONFIGURED',
        );
      if ((input.quietFrom === null) !== (input.quietTo === null))
        throw AppError.field('quietTo', '免打扰须同时填写开始和结束时间', 'QUIET_HOURS');
      const contact = await pushRepo.contactOf(db, c.actor.id);
      const hasPhone = input.phone === undefined ? !!contact?.phone_mask : input.phone !== null;
      const hasWecom = input.wecomUserId === undefined ? !!contact?.wecom_user_id : input.wecomUserId !== null;
      if (input.channels.includes('sms') && !hasPhone)
        throw AppError.field('phone', '选择短信提醒须填写本人手机号', 'PHONE_REQUIRED');
      if (input.channels.includes('wecom_app') && !hasWecom)
        throw AppError.field('wecomUserId', '选择企业微信提醒须填写本人的企业微信账号', 'WECOM_USER_REQUIRED');
      const [existing] = await repo.prefsOf(db, [c.actor.id]);
      // A user who never saved preferences sees version 1 of the defaults.
      const expected = existing ? existing.version : 0;
      if (input.version !== (existing?.version ?? 1)) throw new AppError('VERSION_CONFLICT');
      const ok = await db.transaction().execute(async (trx) => {
        const done = await repo.upsertPrefs(
          trx,
          {
            user_id: c.actor.id,
            kinds: JSON.stringify(input.kinds),
            channels: JSON.stringify([...new Set(['in_app', ...input.channels])]),
            quiet_from: input.quietFrom,
            quiet_to: input.quietTo,
            digest: input.digest ? 1 : 0,
            updated_at: clock.now().toISOString(),
            version: (existing?.version ?? 1) + 1,
          },
          expected,
        );
        if (!done) return false;
        const sealed =
          input.phone === undefined ? null : sealPhone(platform.crypto, userPhoneAad(c.actor.id), input.phone);
        if (sealed || input.wecomUserId !== undefined)
          await pushRepo.setContact(trx, c.actor.id, {
            ...(sealed ?? {}),
            ...(input.wecomUserId !== undefined ? { wecom_user_id: input.wecomUserId } : {}),
          });
        await platform.audit.record(trx, c, {
          action: 'notification.prefs',
          targetType: 'user',
          targetId: c.actor.id,
          changes: {
            kinds: input.kinds.length,
            channels: input.channels,
            digest: input.digest,
            ...(sealed ? { phone: sealed.phone_mask } : {}),
            ...(input.wecomUserId !== undefined ? { wecomUserId: input.wecomUserId ? 'set' : null } : {}),
          },
        });
        return done;
      });
      if (!ok) throw new AppError('VERSION_CONFLICT');
      return this.prefs(c);
    },

    /** The overdue-needs reminder (R11): once per need, to whoever registered it and the township's staff. */
    async remindOverdueNeeds(now: Date): Promise<number> {
      let n = 0;
      for (const need of await repo.overdueNeeds(db, chinaDate(now))) {
        await db.transaction().execute(async (trx) => {
          const ids = await notify(trx, {
            kind: 'need_overdue',
            title: `诉求逾期未办结：档案 ${need.archive_no}`,
            body: `办理期限 ${need.deadline} 已过，请尽快办理并与家庭确认结果。`,
            link: `/families/${need.family_id}`,
            userIds: [need.created_by],
            audience: { roles: ['township_staff'], regionCode: need.region_code.slice(0, 9) + '000' },
            dedupeKey: `need_overdue:${need.id}`,
          });
          n += ids.length;
        });
      }
      return n;
    },

    /**
     * The daily digest at 8:00 China time: each account's count of due work and unread notifications, once
     * a day (the key is the date), so a scheduler that runs every minute — or on two instances — rings once.
     */
    async sendDigest(
      now: Date,
      countTodos: (user: DigestUser) => Promise<number | Record<string, number>>,
    ): Promise<number> {
      const chinaHour = new Date(now.getTime() + 8 * 3_600_000).getUTCHours();
      if (chinaHour < 8) return 0;
      const today = chinaDate(now);
      // The job runs every minute: once today's pass is complete, nobody's todos are computed again today.
      if ((await repo.digestDay(db)) === today) return 0;
      let sent = 0;
      const done = await repo.usersWithKey(db, `digest:${today}`);
      for (const u of await repo.digestUsers(db)) {
        if (done.has(u.id)) continue;
        const counted = await countTodos(u);
        const byKind = typeof counted === 'number' ? {} : counted;
        const todos = typeof counted === 'number' ? counted : Object.values(counted).reduce((a, b) => a + b, 0);
        const breakdown = digestBreakdown(byKind);
        const unread = await repo.count(db, u.id, true);
        if (todos === 0 && unread === 0) continue;
        await db.transaction().execute(async (trx) => {
          sent += (
            await notify(trx, {
              kind: 'digest',
              title: `今日待办 ${todos} 项`,
              body: `您今天有 ${todos} 项待办${breakdown ? `（${breakdown}）` : ''}、${unread} 条未读提醒。请登录平台查看。`,
              link: '/',
              userIds: [u.id],
              dedupeKey: `digest:${today}`,
            })
          ).length;
        });
      }
      await repo.setDigestDay(db, today);
      return sent;
    },
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
export interface DigestUser {
  id: string;
  username: string;
  display_name: string;
  role: string;
  region_code: string;
}

/** The AAD an account's sealed phone is bound to (sealed here, opened by the push worker). */
export const userPhoneAad = (userId: string) => `users:${userId}:phone`;

/** When a push may go out: now, or at the end of the user's quiet hours (China time, may span midnight). */
export function afterQuietHours(now: Date, from: string | null, to: string | null): Date {
  if (!from || !to || from === to) return now;
  const china = new Date(now.getTime() + 8 * 3_600_000);
  const minutes = china.getUTCHours() * 60 + china.getUTCMinutes();
  const [fh, fm] = from.split(':').map(Number);
  const [th, tm] = to.split(':').map(Number);
  const f = fh * 60 + fm;
  const t = th * 60 + tm;
  const quiet = f < t ? minutes >= f && minutes < t : minutes >= f || minutes < t;
  if (!quiet) return now;
  const wait = (t - minutes + 1440) % 1440;
  return new Date(now.getTime() + wait * 60_000 - china.getUTCSeconds() * 1000 - china.getUTCMilliseconds());
}
