import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { PhoneInput } from './families.js';
import { MonthParam, text, Version } from './fields.js';
import { RegionCode } from './users.js';
export {
  POSTS,
  POST_LABELS,
  POST_REGION_LEVEL,
  HELPER_POSTS,
  CONTACT_MODES,
  CONTACT_MODE_LABELS,
  DIRECTIONS,
  DIRECTION_LABELS,
  PROBLEM_AREAS,
  PROBLEM_AREA_LABELS,
  MENTAL_SCALE,
  type Post,
} from '../labels.js';
import { POSTS } from '../labels.js';

export const ContactCreate = z.strictObject({
  name: text(LIMITS.name, '姓名').min(1, { error: '请填写姓名' }),
  phone: PhoneInput,
  post: z.enum(POSTS, { error: '岗位不正确' }),
  regionCode: RegionCode,
  organization: text(LIMITS.shortText, '单位').nullish(),
  title: text(LIMITS.name, '职务').nullish(),
  userId: z.string().min(1, { error: '关联账户不正确' }).max(64).nullish(),
});
export type ContactCreate = z.infer<typeof ContactCreate>;

export const ContactUpdate = z.strictObject({
  version: Version,
  name: text(LIMITS.name, '姓名').min(1, { error: '请填写姓名' }).optional(),
  phone: PhoneInput.optional(),
  organization: text(LIMITS.shortText, '单位').nullish(),
  title: text(LIMITS.name, '职务').nullish(),
  userId: z.string().min(1, { error: '关联账户不正确' }).max(64).nullish(),
  isActive: z.boolean().optional(),
});
export type ContactUpdate = z.infer<typeof ContactUpdate>;

export const AssignmentSet = z.strictObject({
  townshipContactId: z.string().max(64, { error: '联系人不正确' }),
  villageContactId: z.string().max(64, { error: '联系人不正确' }),
  helperContactIds: z.array(z.string().max(64)).max(10, { error: '帮扶联系人最多 10 人' }).optional(),
  countyLeaderContactId: z.string().max(64).nullish(),
  reason: text(LIMITS.shortText, '变更原因').nullish(),
  /** The archive's version as the client saw it: a concurrent change by someone else then answers 409. */
  version: Version.optional(),
});
export type AssignmentSet = z.infer<typeof AssignmentSet>;

export const Handover = z.strictObject({
  successorContactId: z.string().max(64),
  reason: text(LIMITS.shortText, '交接原因').min(2, { error: '请写明交接原因' }),
});

// The contact-log contract lives in contact-logs.ts; re-exported for the imports that still name this file.
export { ContactLogCreate, ContactLogUpdate } from './contact-logs.js';

export { MonthParam };

/**
 * 批量安排双岗 (issue 11 item 7): one township cadre and/or one village cadre for the chosen families of one
 * village. A post left out keeps each family's current contact; each family carries the version its row
 * showed. All or nothing: one stale or unusable family refuses the whole request, naming it.
 */
export const BulkAssignmentSet = z
  .strictObject({
    regionCode: RegionCode,
    townshipContactId: z.string().max(64, { error: '联系人不正确' }).optional(),
    villageContactId: z.string().max(64, { error: '联系人不正确' }).optional(),
    families: z
      .array(z.strictObject({ familyId: z.string().max(64), version: Version }))
      .min(1, { error: '请至少选择一户' })
      .max(500, { error: '一次最多安排 500 户' }),
    reason: text(LIMITS.shortText, '变更原因').nullish(),
  })
  .refine((v) => v.townshipContactId !== undefined || v.villageContactId !== undefined, {
    error: '请至少选择一名乡镇包村干部或村居干部',
    path: ['townshipContactId'],
  });
export type BulkAssignmentSet = z.infer<typeof BulkAssignmentSet>;

const PostHolder = z.object({ contactId: z.string(), name: z.string() }).nullable();
/** A family of the village with its current 双岗, as the bulk page lists them. */
export const BulkAssignmentRow = z.object({
  familyId: z.string(),
  archiveNo: z.string(),
  /** The parents' names masked as in pushed text (钱某兰). */
  familyName: z.string(),
  status: z.string(),
  version: z.number().int(),
  township: PostHolder,
  village: PostHolder,
});
export type BulkAssignmentRow = z.infer<typeof BulkAssignmentRow>;
export const BulkAssignmentResult = z.object({
  changed: z.number().int(),
  families: z.array(BulkAssignmentRow),
});
export type BulkAssignmentResult = z.infer<typeof BulkAssignmentResult>;

/** 联系卡 for a whole village, several to an A4 sheet (R3). */
export const ContactCardEntry = z.object({
  post: z.enum(POSTS),
  name: z.string(),
  phone: z.string(),
  organization: z.string().nullable(),
  title: z.string().nullable(),
});
export const VillageContactCard = z.object({
  familyId: z.string(),
  archiveNo: z.string(),
  familyName: z.string(),
  regionName: z.string(),
  address: z.string(),
  contacts: z.array(ContactCardEntry),
});
export type VillageContactCard = z.infer<typeof VillageContactCard>;
