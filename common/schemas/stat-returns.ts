import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { STAT_RETURN_STATUSES, STAT_TEMPLATES, TIMELINESS } from '../labels.js';
import { requiredText, text, Version } from './fields.js';
import { RegionCode } from './users.js';
export {
  STAT_TEMPLATES,
  STAT_TEMPLATE_LABELS,
  STAT_RETURN_STATUSES,
  STAT_RETURN_STATUS_LABELS,
  TIMELINESS,
  TIMELINESS_LABELS,
} from '../labels.js';

/**
 * Statistical returns (R9, DESIGN.md §5.2): one template × period × region, figures computed from live
 * data and frozen at submission, approved level by level. The shapes here are the integration contract.
 */

/** `2025` for an annual return, `2026-Q3` for a quarterly one (which one fits is checked per template). */
export const StatPeriod = z
  .string()
  .regex(/^\d{4}(-Q[1-4])?$/, { error: '报表期应为年份（如 2025）或季度（如 2026-Q3）' });

export const StatTemplateParam = z.enum(STAT_TEMPLATES, { error: '报表模板应为 annual（年报）或 quarterly（季报）' });

export const StatReturnCreate = z.strictObject({
  template: StatTemplateParam,
  period: StatPeriod,
  regionCode: RegionCode,
});
export type StatReturnCreate = z.infer<typeof StatReturnCreate>;

export const StatCheck = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type StatCheck = z.infer<typeof StatCheck>;

/** A figure a person types (no record holds it): non-negative, at most 12 digits. */
export const ManualFigure = z
  .number({ error: '应为数字' })
  .min(0, { error: '不能为负数' })
  .max(999_999_999_999, { error: '数值过大' });

const reasonText = (label: string) => requiredText(LIMITS.longText, label);

/** The contract's `Return`. Extra fields are additive; the contract's own names never change. */
export const StatReturn = z.object({
  id: z.string(),
  template: z.enum(STAT_TEMPLATES),
  period: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  status: z.enum(STAT_RETURN_STATUSES),
  dueAt: z.string(),
  submittedAt: z.string().nullable(),
  timeliness: z.enum(TIMELINESS).nullable(),
  /** Every indicator code (and manual field code) → its figure: live for a draft, frozen once submitted. */
  figures: z.record(z.string(), z.number()),
  checks: z.array(StatCheck),
  version: z.number().int(),
  /** When the figures were computed (the submission instant once frozen). */
  computedAt: z.string(),
  /** Indicator code → the version of the definition that computed the frozen figure. */
  definitionVersions: z.record(z.string(), z.number().int()),
  manual: z.record(z.string(), z.number()),
  remarks: z.string().nullable(),
  preparedBy: z.string().nullable(),
  responsiblePerson: z.string().nullable(),
  explanations: z.record(z.string(), z.string()),
  missingReasons: z.record(z.string(), z.string()),
  /** The reason of the last send-back or reopening, shown to the submitter. */
  returnReason: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /** Who approves: the region of the level above. */
  approverRegionCode: z.string(),
  abilities: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    approve: z.boolean(),
    return: z.boolean(),
    reopen: z.boolean(),
  }),
});
export type StatReturn = z.infer<typeof StatReturn>;

export const StatReturnEvent = z.object({
  /** `imported`: handed in as a verified package from the child's own instance (stat-return-packages/accept). */
  action: z.enum(['created', 'updated', 'submitted', 'imported', 'approved', 'returned', 'reopened']),
  fromStatus: z.enum(STAT_RETURN_STATUSES).nullable(),
  toStatus: z.enum(STAT_RETURN_STATUSES),
  reason: z.string().nullable(),
  actorName: z.string(),
  actorRole: z.string(),
  occurredAt: z.string(),
});
export type StatReturnEvent = z.infer<typeof StatReturnEvent>;

export const StatReturnDetail = StatReturn.extend({ history: z.array(StatReturnEvent) });
export type StatReturnDetail = z.infer<typeof StatReturnDetail>;

export const StatReturnListQuery = z.object({
  regionCode: RegionCode.optional(),
  template: StatTemplateParam.optional(),
  period: StatPeriod.optional(),
});

export const StatReturnUpdate = z.strictObject({
  version: Version,
  manual: z.record(z.string().max(64), ManualFigure).optional(),
  remarks: text(LIMITS.longText, '填报说明').nullish(),
  preparedBy: text(LIMITS.shortText, '填表人').nullish(),
  responsiblePerson: text(LIMITS.shortText, '负责人').nullish(),
});
export type StatReturnUpdate = z.infer<typeof StatReturnUpdate>;

export const StatReturnSubmit = z.strictObject({
  version: Version,
  /** Check code → why the warning is acceptable. */
  explanations: z.record(z.string().max(100), reasonText('说明')).optional(),
  /** Child region code → why its return is not approved. */
  missingReasons: z.record(RegionCode, reasonText('未报原因')).optional(),
});
export type StatReturnSubmit = z.infer<typeof StatReturnSubmit>;

export const StatReturnApprove = z.strictObject({ version: Version });
export const StatReturnSendBack = z.strictObject({ version: Version, reason: reasonText('退回原因') });
export const StatReturnReopen = z.strictObject({ version: Version, reason: reasonText('重新打开原因') });

/** What changed in the live data since the figures were frozen ("提交后新增家庭 2 户"). */
export const StatReturnChanges = z.object({
  computedAt: z.string(),
  changes: z.array(
    z.object({ code: z.string(), name: z.string(), unit: z.string(), frozen: z.number(), live: z.number() }),
  ),
});
export type StatReturnChanges = z.infer<typeof StatReturnChanges>;

export const StatIndicatorInfo = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string(),
  /** A summing indicator's parent figure equals the sum of its children's. */
  sums: z.boolean(),
  manual: z.boolean(),
  version: z.number().int(),
});
export type StatIndicatorInfo = z.infer<typeof StatIndicatorInfo>;

export const StatTemplateInfo = z.object({
  template: z.enum(STAT_TEMPLATES),
  name: z.string(),
  sections: z.array(z.object({ key: z.string(), title: z.string(), indicators: z.array(StatIndicatorInfo) })),
});
export type StatTemplateInfo = z.infer<typeof StatTemplateInfo>;

export const ReportingRatesQuery = z.object({
  template: StatTemplateParam,
  period: StatPeriod,
  regionCode: RegionCode.optional(),
});

/** A child's state in the reporting rates: its return's status, or `none` when it has no return. */
export const ReportingChild = z.object({
  regionCode: z.string(),
  name: z.string(),
  status: z.enum([...STAT_RETURN_STATUSES, 'none']),
  timeliness: z.enum([...TIMELINESS, 'missing']).nullable(),
  returnId: z.string().nullable(),
  submittedAt: z.string().nullable(),
  dueAt: z.string(),
  missingReason: z.string().nullable(),
});
export type ReportingChild = z.infer<typeof ReportingChild>;

export const ReportingRates = z.object({
  template: z.enum(STAT_TEMPLATES),
  period: z.string(),
  regionCode: z.string(),
  name: z.string(),
  expected: z.number().int(),
  submitted: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  missing: z.number().int(),
  children: z.array(ReportingChild),
});
export type ReportingRates = z.infer<typeof ReportingRates>;
