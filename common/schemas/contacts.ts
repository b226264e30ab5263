import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { REGION_LEVELS } from '../roles.js';
import { FAMILY_STATUSES, FAMILY_TYPES, PhoneInput } from './families.js';
import { text, Version } from './fields.js';
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
  COVERAGE_GAP_KINDS,
  type CoverageGapKind,
  type Post,
} from '../labels.js';
import { COVERAGE_GAP_KINDS, POSTS } from '../labels.js';

/** A registry entry (联系人库) as it leaves the server. The phone is always masked (138****5678). */
export const Contact = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  post: z.enum(POSTS),
  regionCode: z.string(),
  regionName: z.string(),
  organization: z.string().nullable(),
  title: z.string().nullable(),
  userId: z.string().nullable(),
  isActive: z.boolean(),
  /** Families the contact currently holds a post for. */
  familyCount: z.number().int(),
  version: z.number().int(),
});
export type Contact = z.infer<typeof Contact>;

/** The registry's filters (the page and page size come from PageQuery); `isActive` as text in the query string. */
export const ContactListFilters = z.object({
  regionCode: RegionCode.optional(),
  post: z.enum(POSTS).optional(),
  q: z.string().trim().max(LIMITS.search).optional(),
  isActive: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
/** The filters as the service takes them (`isActive` a boolean). */
export type ContactListFilters = z.infer<typeof ContactListFilters>;

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
export type Handover = z.infer<typeof Handover>;
export const HandoverResult = z.object({ moved: z.number().int() });
export type HandoverResult = z.infer<typeof HandoverResult>;

/** A post a family holds now; `isMine`: the signed-in user is this contact (the visit form preselects it). */
export const CurrentAssignment = z.object({
  id: z.string(),
  contactId: z.string(),
  isMine: z.boolean(),
  post: z.enum(POSTS),
  name: z.string(),
  /** Masked (138****5678). */
  phone: z.string(),
  organization: z.string().nullable(),
  title: z.string().nullable(),
  startedAt: z.string(),
});
export type CurrentAssignment = z.infer<typeof CurrentAssignment>;
/** A post the family held before, with when and why it ended. */
export const PastAssignment = z.object({
  id: z.string(),
  contactId: z.string(),
  post: z.enum(POSTS),
  name: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
});
export type PastAssignment = z.infer<typeof PastAssignment>;
/** A family's posts: `GET`/`PUT /families/:id/assignments`. */
export const Assignments = z.object({
  current: z.array(CurrentAssignment),
  history: z.array(PastAssignment),
});
export type Assignments = z.infer<typeof Assignments>;

/** An optional region of the actor's scope (the actor's own region when left out). */
export const RegionFilter = z.object({ regionCode: RegionCode.optional() });
/** The one village a batch page works on. */
export const VillageQuery = z.object({ regionCode: RegionCode });

/** One region's 双岗 coverage of its active families (R1, R2). */
export const CoverageFigures = z.object({
  families: z.number().int(),
  bothPosts: z.number().int(),
  missingTownshipPost: z.number().int(),
  missingVillagePost: z.number().int(),
  specialDifficulty: z.number().int(),
  specialDifficultyWithoutCountyLeader: z.number().int(),
});
export type CoverageFigures = z.infer<typeof CoverageFigures>;
/** The region's figures and each child region's (none below a village). */
export const Coverage = CoverageFigures.extend({
  regionCode: z.string(),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  children: z.array(CoverageFigures.extend({ regionCode: z.string(), name: z.string() })),
});
export type Coverage = z.infer<typeof Coverage>;

/** The families behind one coverage gap (the page and page size come from PageQuery). */
export const CoverageGapFilters = RegionFilter.extend({
  kind: z.enum(COVERAGE_GAP_KINDS, { error: '缺口类型不正确' }),
});
export type CoverageGapFilters = z.infer<typeof CoverageGapFilters>;
export const CoverageGap = z.object({
  id: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  familyType: z.enum(FAMILY_TYPES),
  isSpecialDifficulty: z.boolean(),
});
export type CoverageGap = z.infer<typeof CoverageGap>;

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
  status: z.enum(FAMILY_STATUSES),
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
  /** In full: the card is left with the family. */
  phone: z.string(),
  organization: z.string().nullable(),
  title: z.string().nullable(),
});
export type ContactCardEntry = z.infer<typeof ContactCardEntry>;
/** 联系卡 of one family (R3): `GET /families/:id/contact-card`. */
export const ContactCard = z.object({
  archiveNo: z.string(),
  /** The parents' names masked (钱某兰), so a card left at the door names the household without exposing it. */
  familyName: z.string(),
  regionName: z.string(),
  address: z.string(),
  contacts: z.array(ContactCardEntry),
});
export type ContactCard = z.infer<typeof ContactCard>;
export const VillageContactCard = z.object({
  familyId: z.string(),
  archiveNo: z.string(),
  familyName: z.string(),
  regionName: z.string(),
  address: z.string(),
  contacts: z.array(ContactCardEntry),
});
export type VillageContactCard = z.infer<typeof VillageContactCard>;
