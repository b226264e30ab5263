import { z } from 'zod';
import { CHANNEL_KINDS } from '../labels.js';
import { LIMITS } from '../limits.js';
import { IsoDate, PhoneInput } from './families.js';
import { requiredText, text, Version } from './fields.js';
export { CHANNEL_KINDS, CHANNEL_KIND_LABELS, type ChannelKind } from '../labels.js';

const CountyCode = z.string().regex(/^\d{6}0{6}$/, { error: '群渠道属于县（市、区），应为县级区划代码' });

/**
 * A WeCom group robot key is the `key=` part of the robot's webhook address. Pasting the whole address is
 * the classic mistake (WeCom then answers 93000 "invalid webhook url"), so it is refused with the reason.
 */
export const RobotKey = z
  .string()
  .trim()
  .max(200, { error: '机器人 key 过长' })
  .refine((v) => !/:\/\/|key=|qyapi|\/cgi-bin\//i.test(v), {
    error:
      '请只填写机器人 Webhook 地址中 “key=” 后面的那一串，不要粘贴整个地址（整个地址会被企业微信当作无效 key，返回 93000 invalid webhook url）',
    // One explanation for the whole-URL mistake, not a second one about its characters.
    abort: true,
  })
  .refine((v) => /^[A-Za-z0-9-]{8,64}$/.test(v), { error: '机器人 key 应为 8–64 位字母、数字或连字符' });

export const ChannelAdminInput = z.strictObject({
  /** `staff`: a platform account; `family`: a special-family member who co-administers the group. */
  kind: z.enum(['staff', 'family'], { error: '管理员类型应为工作人员或家庭成员' }),
  userId: z.string().max(64).nullish(),
  name: requiredText(LIMITS.name, '管理员姓名'),
  phone: PhoneInput.nullish(),
  /**
   * On an edit, with no new `phone`: the position in the channel's current administrator list whose stored
   * phone this administrator keeps (the browser only ever sees the mask, so it cannot send the number back).
   */
  keepPhoneOf: z.number().int().min(0).max(19).nullish(),
});

export const ChannelCreate = z.strictObject({
  regionCode: CountyCode,
  kind: z.enum(CHANNEL_KINDS, { error: '群类型应为 QQ群、微信群或企业微信群' }),
  name: requiredText(100, '群名称'),
  number: text(50, '群号').nullish(),
  robotKey: RobotKey.nullish(),
  size: z.number().int().min(0).max(100_000).nullish(),
  createdOn: IsoDate.nullish(),
  admins: z.array(ChannelAdminInput).max(20, { error: '管理员最多 20 人' }).optional(),
});
export type ChannelCreate = z.infer<typeof ChannelCreate>;

export const ChannelUpdate = z.strictObject({
  version: Version,
  name: requiredText(100, '群名称').optional(),
  number: text(50, '群号').nullish(),
  /** A new key replaces the stored one; `null` removes it; absent keeps it. */
  robotKey: RobotKey.nullish(),
  size: z.number().int().min(0).max(100_000).nullish(),
  createdOn: IsoDate.nullish(),
  admins: z.array(ChannelAdminInput).max(20, { error: '管理员最多 20 人' }).optional(),
  isActive: z.boolean().optional(),
});
export type ChannelUpdate = z.infer<typeof ChannelUpdate>;

export const ChannelAdmin = z.object({
  kind: z.enum(['staff', 'family']),
  userId: z.string().nullable(),
  name: z.string(),
  phoneMask: z.string().nullable(),
});

export const Channel = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  name: z.string(),
  number: z.string().nullable(),
  size: z.number().int().nullable(),
  createdOn: z.string().nullable(),
  admins: z.array(ChannelAdmin),
  /** The robot key itself never leaves the server after saving: only that one is set and its last 4 characters. */
  hasRobotKey: z.boolean(),
  robotKeyLast4: z.string().nullable(),
  robotStatus: z.enum(['ok', 'failed']).nullable(),
  robotError: z.string().nullable(),
  isActive: z.boolean(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Channel = z.infer<typeof Channel>;

/** A staff account of the county that may be named a group administrator. */
export const ChannelAdminCandidate = z.object({
  userId: z.string(),
  displayName: z.string(),
  role: z.string(),
});
export type ChannelAdminCandidate = z.infer<typeof ChannelAdminCandidate>;

export const ChannelCoverage = z.object({
  counties: z.number().int(),
  withChannel: z.number().int(),
  /** Counties with no active channel: flagged to the city. */
  children: z.array(
    z.object({ regionCode: z.string(), name: z.string(), channels: z.number().int(), hasChannel: z.boolean() }),
  ),
});
export type ChannelCoverage = z.infer<typeof ChannelCoverage>;
