import { z } from 'zod';
import { NOTIFICATION_KINDS, NOTIFY_CHANNELS } from '../labels.js';
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

export const NotificationPrefsUpdate = z.strictObject({
  version: Version,
  kinds: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length),
  channels: z.array(z.enum(NOTIFY_CHANNELS)).max(NOTIFY_CHANNELS.length),
  quietFrom: HourMinute.nullable(),
  quietTo: HourMinute.nullable(),
  digest: z.boolean(),
});
export type NotificationPrefsUpdate = z.infer<typeof NotificationPrefsUpdate>;

export const NotificationPrefs = z.object({
  kinds: z.array(z.enum(NOTIFICATION_KINDS)),
  channels: z.array(z.enum(NOTIFY_CHANNELS)),
  quietFrom: z.string().nullable(),
  quietTo: z.string().nullable(),
  digest: z.boolean(),
  version: z.number().int(),
  /** Which push providers this deployment configured; none means in-app only. */
  providers: z.object({ wecomApp: z.boolean(), sms: z.enum(['aliyun', 'tencent']).nullable() }),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;
