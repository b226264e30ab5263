import { z } from 'zod';
import { CONFIDENTIALITIES, DELIVERY_STATUSES, NOTICE_STATUSES } from '../labels.js';
import { requiredText, Version } from './fields.js';
export {
  NOTICE_STATUSES,
  NOTICE_STATUS_LABELS,
  CONFIDENTIALITIES,
  CONFIDENTIALITY_LABELS,
  DELIVERY_STATUSES,
  DELIVERY_STATUS_LABELS,
  CLASSIFIED_MARKINGS,
  type NoticeStatus,
} from '../labels.js';

export const NOTICE_LIMITS = {
  title: 100,
  body: 20_000,
  channels: 20,
  attachments: 10,
  attachmentBytes: 10 * 1024 * 1024,
};

const Declared = z.literal(true, {
  error: '请确认公告及附件不含涉密内容（declaredNotClassified 须为 true）；涉密文件不得通过本平台和群发布',
});
const ChannelIds = z
  .array(z.string().min(1).max(64))
  .max(NOTICE_LIMITS.channels, { error: `发布渠道最多 ${NOTICE_LIMITS.channels} 个` });

export const NoticeCreate = z.strictObject({
  regionCode: z.string().regex(/^\d{6}0{6}$/, { error: '公告属于县（市、区），应为县级区划代码' }),
  title: requiredText(NOTICE_LIMITS.title, '标题'),
  body: requiredText(NOTICE_LIMITS.body, '正文'),
  channelIds: ChannelIds,
  confidentiality: z.enum(CONFIDENTIALITIES, { error: '公开范围应为公开或内部' }),
  declaredNotClassified: Declared,
});
export type NoticeCreate = z.infer<typeof NoticeCreate>;

/** Only a draft is edited; every edit repeats the declaration. */
export const NoticeUpdate = z.strictObject({
  version: Version,
  title: requiredText(NOTICE_LIMITS.title, '标题').optional(),
  body: requiredText(NOTICE_LIMITS.body, '正文').optional(),
  channelIds: ChannelIds.optional(),
  confidentiality: z.enum(CONFIDENTIALITIES, { error: '公开范围应为公开或内部' }).optional(),
  declaredNotClassified: Declared,
});
export type NoticeUpdate = z.infer<typeof NoticeUpdate>;

export const NoticeStep = z.strictObject({ version: Version });
export const NoticeReasonStep = z.strictObject({ version: Version, reason: requiredText(500, '原因') });

export const NoticeAttachment = z.object({
  id: z.string(),
  fileName: z.string(),
  fileType: z.enum(['pdf', 'xlsx', 'docx']),
  size: z.number().int(),
});

export const NoticeHistoryStep = z.object({
  at: z.string(),
  action: z.string(),
  actorName: z.string(),
  reason: z.string().nullable(),
});

export const Notice = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  title: z.string(),
  body: z.string(),
  confidentiality: z.enum(CONFIDENTIALITIES),
  channelIds: z.array(z.string()),
  status: z.enum(NOTICE_STATUSES),
  /** Why it was returned to draft or withdrawn. */
  statusReason: z.string().nullable(),
  authorName: z.string(),
  approverName: z.string().nullable(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  attachments: z.array(NoticeAttachment),
  history: z.array(NoticeHistoryStep),
  isRead: z.boolean(),
  abilities: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    approve: z.boolean(),
    return: z.boolean(),
    withdraw: z.boolean(),
  }),
});
export type Notice = z.infer<typeof Notice>;

export const NoticeListItem = Notice.omit({ body: true, history: true });
export type NoticeListItem = z.infer<typeof NoticeListItem>;

export const NoticeDelivery = z.object({
  channelId: z.string(),
  channelName: z.string(),
  kind: z.string(),
  /** `robot`: pushed to a WeCom group robot; `manual`: pasted into a QQ / WeChat group by its administrator. */
  mode: z.enum(['robot', 'manual']),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  postedByName: z.string().nullable(),
  postedAt: z.string().nullable(),
  updatedAt: z.string(),
  /** For manual channels: the ready-to-paste text. */
  pasteText: z.string().nullable(),
});
export type NoticeDelivery = z.infer<typeof NoticeDelivery>;

export const NoticeReader = z.object({
  userId: z.string(),
  displayName: z.string(),
  role: z.string(),
  regionName: z.string(),
  readAt: z.string().nullable(),
});
export const NoticeReads = z.object({
  total: z.number().int(),
  read: z.number().int(),
  readers: z.array(NoticeReader),
});
export type NoticeReads = z.infer<typeof NoticeReads>;
