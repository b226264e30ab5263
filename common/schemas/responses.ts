import { z } from 'zod';
import { FESTIVALS } from '../festivals.js';
import { LIMITS } from '../limits.js';
import { requiredText, text, Version, WorkDate, WorkInstant } from './fields.js';
export {
  EVENT_KINDS,
  EVENT_KIND_LABELS,
  AFFECTED,
  CARE_MANNERS,
  CARE_MANNER_LABELS,
  TARGET_LEVELS,
  TARGET_LEVEL_LABELS,
  RISK_LEVELS,
  RISK_LEVEL_LABELS,
  HANDLING_KINDS,
  NEED_CATEGORIES,
  NEED_CATEGORY_LABELS,
  DEPARTMENTS,
  DEPARTMENT_LABELS,
  NEED_STATUSES,
} from '../labels.js';
import {
  EVENT_KINDS,
  AFFECTED,
  CARE_MANNERS,
  TARGET_LEVELS,
  RISK_LEVELS,
  HANDLING_KINDS,
  PETITION_FORMS,
  PETITION_SCOPES,
  NEED_CATEGORIES,
  DEPARTMENTS,
  NEED_STATUSES,
} from '../labels.js';

const instant = WorkInstant;

export const EventCreate = z.strictObject({
  kind: z.enum(EVENT_KINDS, { error: '重大情况类别应为意外、重病、受灾或亡故' }),
  affectedRelation: z.enum(AFFECTED, { error: '涉及人员不正确' }).default('family'),
  affected: text(LIMITS.shortText, '涉及人员').nullish(),
  occurredAt: instant,
  description: text(LIMITS.longText, '情况说明').nullish(),
});
export type EventCreate = z.infer<typeof EventCreate>;

export const EventClose = z.strictObject({
  version: Version,
  followUp: requiredText(LIMITS.longText, '后续帮扶情况'),
});

export const FestivalCareCreate = z.strictObject({
  year: z.number().int().min(2016).max(2099),
  festival: z.enum(FESTIVALS, { error: '节日应为春节、端午或中秋' }),
  manner: z.enum(CARE_MANNERS, { error: '慰问方式不正确' }),
  amount: z.number().int().min(0).max(1_000_000).nullish(),
  goods: text(LIMITS.shortText, '慰问品').nullish(),
  caredOn: WorkDate,
  contactId: z.string().max(64).nullish(),
  outsideWindowReason: text(LIMITS.shortText, '窗口期外原因').nullish(),
  note: text(LIMITS.shortText, '备注').nullish(),
});
export type FestivalCareCreate = z.infer<typeof FestivalCareCreate>;

/** One festival's care of a family (`GET /families/{id}/festival-care`): what the visit form shows as done. */
export const FamilyFestivalCare = z.object({
  year: z.number().int(),
  festival: z.enum(FESTIVALS),
  manner: z.enum(CARE_MANNERS),
  caredOn: z.string(),
  isOutsideWindow: z.boolean(),
});
export type FamilyFestivalCare = z.infer<typeof FamilyFestivalCare>;

export const PetitionRiskCreate = z.strictObject({
  targetLevel: z.enum(TARGET_LEVELS, { error: '信访倾向层级不正确' }),
  scope: z.enum(PETITION_SCOPES, { error: '应为个访或群访' }),
  riskLevel: z.enum(RISK_LEVELS, { error: '风险等级应为蓝、黄、橙、红' }),
  signals: requiredText(LIMITS.longText, '发现的苗头'),
  identifiedAt: instant.optional(),
  reviewDate: WorkDate.nullish(),
});
export type PetitionRiskCreate = z.infer<typeof PetitionRiskCreate>;

export const PetitionHandlingCreate = z.strictObject({
  kind: z.enum(HANDLING_KINDS, { error: '处置类型应为了解情况、帮助解决、疏导劝解或其他' }),
  note: requiredText(LIMITS.longText, '处置情况'),
  reviewDate: WorkDate.nullish(),
  resolve: z.boolean().optional(),
});
export const PetitionEventCreate = z.strictObject({
  level: z.enum(TARGET_LEVELS, { error: '信访层级不正确' }),
  form: z.enum(PETITION_FORMS, { error: '信访形式不正确' }),
  size: z.number().int().min(1).max(10_000),
  occurredOn: WorkDate,
  outcome: text(LIMITS.longText, '结果').nullish(),
  riskId: z.string().max(64).nullish(),
});

export const NeedCreate = z.strictObject({
  familyId: z.string().max(64),
  contactLogId: z.string().max(64).nullish(),
  category: z.enum(NEED_CATEGORIES, { error: '诉求类别不正确' }),
  department: z.enum(DEPARTMENTS, { error: '责任部门应为卫健、民政、财政、人社、住建或其他' }),
  description: requiredText(LIMITS.longText, '诉求内容'),
  deadline: WorkDate,
});
export type NeedCreate = z.infer<typeof NeedCreate>;
export const NeedUpdate = z.strictObject({
  version: Version,
  status: z.enum(NEED_STATUSES, { error: '状态不正确' }).optional(),
  statusReason: text(LIMITS.shortText, '原因').nullish(),
  resolution: text(LIMITS.longText, '办理结果').nullish(),
  confirmedWithFamily: z.boolean().optional(),
  department: z.enum(DEPARTMENTS, { error: '责任部门不正确' }).optional(),
  deadline: WorkDate.optional(),
});
export type NeedUpdate = z.infer<typeof NeedUpdate>;
export const JointMeetingCreate = z.strictObject({
  countyCode: z.string().regex(/^\d{6}0{6}$/, { error: '应为县级区划代码' }),
  heldOn: WorkDate,
  departments: z.array(z.enum(DEPARTMENTS)).min(2, { error: '联席会议至少两个部门参加' }).max(DEPARTMENTS.length),
  minutes: text(LIMITS.longText, '会议纪要').nullish(),
  items: z
    .array(z.strictObject({ needId: z.string().max(64), decision: requiredText(LIMITS.longText, '决定事项') }))
    .max(200),
});
export type JointMeetingCreate = z.infer<typeof JointMeetingCreate>;
