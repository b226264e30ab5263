import { z } from 'zod';
import { NOTIFICATION_KINDS, NOTIFY_CHANNELS } from '../labels.js';
import { parsePhone } from '../validators/phone.js';
import { Version } from './fields.js';
export {
  NOTIFICATION_KINDS,
  NOTIFICATION_KIND_LABELS,
  NOTIFY_CHANNELS,
  NOTIFY_CHANNEL_LABELS,
  type NotificationKind,
  type NotifyChannel,
} from '../labels.js';

export const Notification = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string(),
  body: z.string(),
  /** Where the work is, a path of the web app. */
  link: z.string().nullable(),
  isUrgent: z.boolean(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof Notification>;

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '时间格式应为 HH:MM' });

/** The account's own mobile for SMS: 11 digits (a landline cannot receive one). Never echoed in a message. */
export const MobileInput = z
  .string()
  .max(20, { error: '手机号格式不正确' })
  .transform((s, ctx) => {
    const r = parsePhone(s);
    if (!r.ok || r.kind !== 'mobile') {
      ctx.addIssue({ code: 'custom', message: '手机号格式不正确：应为 11 位手机号', params: { code: 'PHONE_FORMAT' } });
      return z.NEVER;
    }
    return r.value;
  });

/** A WeCom userid (企业微信账号): letters, digits and _ . @ -, at most 64 characters. */
export const WecomUserId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: '企业微信账号只能包含字母、数字和 _ . @ -，最多 64 个字符' });

/** The bell's list filters (the page and page size come from PageQuery); `unread` as text in the query string. */
export const NotificationListFilters = z.object({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  kind: z.enum(NOTIFICATION_KINDS).optional(),
});
/** The filters as the service takes them (`unread` a boolean). */
export type NotificationListFilters = z.infer<typeof NotificationListFilters>;
/** `GET /notifications/unread-count`: the bell's figure. */
export const UnreadCount = z.object({ unread: z.number().int() });
export type UnreadCount = z.infer<typeof UnreadCount>;
/** `POST /notifications/read-all`: how many were marked read. */
export const ReadAllResult = z.object({ updated: z.number().int() });
export type ReadAllResult = z.infer<typeof ReadAllResult>;

export const NotificationPrefsUpdate = z.strictObject({
  version: Version,
  kinds: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length),
  channels: z.array(z.enum(NOTIFY_CHANNELS)).max(NOTIFY_CHANNELS.length),
  quietFrom: HourMinute.nullable(),
  quietTo: HourMinute.nullable(),
  digest: z.boolean(),
  /** Absent: unchanged; null: removed. Stored sealed on the account. */
  phone: MobileInput.nullable().optional(),
  wecomUserId: WecomUserId.nullable().optional(),
});
export type NotificationPrefsUpdate = z.infer<typeof NotificationPrefsUpdate>;

export const NotificationPrefs = z.object({
  kinds: z.array(z.enum(NOTIFICATION_KINDS)),
  channels: z.array(z.enum(NOTIFY_CHANNELS)),
  quietFrom: z.string().nullable(),
  quietTo: z.string().nullable(),
  digest: z.boolean(),
  version: z.number().int(),
  /** The account's mobile for SMS, masked (138****0000); null when none is set. */
  phone: z.string().nullable(),
  wecomUserId: z.string().nullable(),
  /** Which push providers this deployment configured; none means in-app only. */
  providers: z.object({ wecomApp: z.boolean(), sms: z.enum(['aliyun', 'tencent']).nullable() }),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;
