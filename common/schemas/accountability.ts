import { z } from 'zod';
import {
  ACCOUNTABILITY_FINDINGS,
  ACCOUNTABILITY_STATUSES,
  ACCOUNTABILITY_TRIGGERS,
  NEED_CATEGORIES,
  POSTS,
} from '../labels.js';
import { LIMITS } from '../limits.js';
import { requiredText, text, Version } from './fields.js';
import { RegionCode } from './users.js';
export {
  ACCOUNTABILITY_FINDING_LABELS,
  ACCOUNTABILITY_STATUS_LABELS,
  ACCOUNTABILITY_TRIGGER_LABELS,
} from '../labels.js';

/**
 * 问责 (R17): a review opened at once when a family petitions at province level or beyond (or by hand against a
 * unit), with the evidence assembled from the work records at opening, concluded with a finding.
 */

/* Requests */

export const AccountabilityListQuery = z.object({
  regionCode: RegionCode.optional(),
  status: z.enum(ACCOUNTABILITY_STATUSES, { error: '状态应为 open 或 concluded' }).optional(),
  year: z.coerce.number().int().min(2016).max(2099).optional(),
});

/** A case opened by hand against a unit (a county, township or village in the actor's scope). */
export const AccountabilityCaseCreate = z.strictObject({
  regionCode: RegionCode,
  reason: requiredText(LIMITS.longText, '启动理由').min(4, { error: '请写明启动理由' }),
});
export type AccountabilityCaseCreate = z.infer<typeof AccountabilityCaseCreate>;

export const PersonConcerned = z.strictObject({
  /** One of the contacts named in the evidence (or another contact of the unit); null for someone else. */
  contactId: z.string().max(64).nullish(),
  name: requiredText(LIMITS.name, '相关人员姓名'),
  role: text(LIMITS.shortText, '职务或岗位').nullish(),
});
export type PersonConcerned = z.infer<typeof PersonConcerned>;

export const AccountabilityConclude = z.strictObject({
  finding: z.enum(ACCOUNTABILITY_FINDINGS, { error: '结论应为 已履职 或 履职不到位' }),
  measures: requiredText(LIMITS.longText, '处理措施').min(2, { error: '请写明处理措施' }),
  people: z.array(PersonConcerned).max(20, { error: '相关人员最多 20 人' }).default([]),
  version: Version,
});
export type AccountabilityConclude = z.infer<typeof AccountabilityConclude>;

/* Responses */

export const EvidenceContact = z.object({
  contactId: z.string(),
  name: z.string(),
  post: z.enum(POSTS),
  since: z.string(),
  /** Home visits by this contact to the family in the 90 days before the petition. */
  homeVisits: z.number().int(),
});
export const AccountabilityEvidence = z.object({
  /** When the snapshot was taken, and the 90-day window it looks at. */
  assembledAt: z.string(),
  windowFrom: z.string(),
  windowTo: z.string(),
  petition: z
    .object({
      eventId: z.string(),
      level: z.string(),
      form: z.string(),
      size: z.number().int(),
      occurredOn: z.string(),
    })
    .nullable(),
  unit: z.object({ regionCode: z.string(), name: z.string(), families: z.number().int() }).nullable(),
  contacts: z.array(EvidenceContact),
  homeVisits: z.array(z.object({ occurredAt: z.string(), contactId: z.string(), contactName: z.string() })),
  petitionRisks: z.array(
    z.object({
      riskId: z.string(),
      identifiedAt: z.string(),
      targetLevel: z.string(),
      riskLevel: z.string(),
      visitDueAt: z.string(),
      visitedAt: z.string().nullable(),
      /** Whether the mandatory prompt visit was made by its deadline (null while still due). */
      visitOnTime: z.boolean().nullable(),
      status: z.string(),
    }),
  ),
  openNeeds: z.array(
    z.object({
      needId: z.string(),
      category: z.enum(NEED_CATEGORIES),
      department: z.string(),
      createdAt: z.string(),
      deadline: z.string(),
      ageDays: z.number().int(),
      isOverdue: z.boolean(),
    }),
  ),
  majorEvents: z.array(
    z.object({
      eventId: z.string(),
      kind: z.string(),
      occurredAt: z.string(),
      responseDueAt: z.string(),
      respondedAt: z.string().nullable(),
      respondedOnTime: z.boolean().nullable(),
    }),
  ),
  /** One-line findings of the evidence, in Chinese, for the reviewer. */
  summary: z.array(z.string()),
});
export type AccountabilityEvidence = z.infer<typeof AccountabilityEvidence>;

export const AccountabilityCase = z.object({
  id: z.string(),
  /** The county that answers for the case (the family's county, or the unit's). */
  regionCode: z.string(),
  regionName: z.string(),
  /** The unit under review: the family's village for an automatic case, the chosen unit for a manual one. */
  unitRegionCode: z.string(),
  unitName: z.string(),
  familyId: z.string().nullable(),
  archiveNo: z.string().nullable(),
  trigger: z.enum(ACCOUNTABILITY_TRIGGERS),
  reason: z.string(),
  year: z.number().int(),
  status: z.enum(ACCOUNTABILITY_STATUSES),
  openedAt: z.string(),
  openedByName: z.string(),
  evidence: AccountabilityEvidence,
  finding: z.enum(ACCOUNTABILITY_FINDINGS).nullable(),
  measures: z.string().nullable(),
  people: z.array(z.object({ contactId: z.string().nullable(), name: z.string(), role: z.string().nullable() })),
  concludedAt: z.string().nullable(),
  concludedByName: z.string().nullable(),
  version: z.number().int(),
  abilities: z.object({ conclude: z.boolean() }),
});
export type AccountabilityCase = z.infer<typeof AccountabilityCase>;
