import { z } from 'zod';
import {
  DISCREPANCY_CODES,
  DISCREPANCY_STATUSES,
  KNOWS_CONTACTS,
  LAST_HOME_VISITS,
  POSTS,
  SURVEY_ATTEMPT_OUTCOMES,
  SURVEY_CONTACT_MODES,
  SURVEY_FAMILY_STATUSES,
  SURVEY_INDICATORS,
  SURVEY_MODES,
} from '../labels.js';
import { LIMITS } from '../limits.js';
import { ROLES } from '../roles.js';
import { FAMILY_TYPES } from './families.js';
import { requiredText, text, Version, WorkDate } from './fields.js';
import { RegionCode } from './users.js';

/** The seed is any text up to this many characters (a date, a lottery number, words read out in a meeting). */
export const SEED_MAX = 200;
export const RATE_MAX = 0.2;

const Year = z.number({ error: '请填写年度' }).int().min(2016, { error: '年度不能早于 2016' }).max(2099);

/* Requests */

export const SampleSurveyCreate = z.strictObject({
  year: Year,
  frameDate: WorkDate,
  seed: requiredText(SEED_MAX, '随机种子'),
  rate: z
    .number({ error: '抽样比例应为数字' })
    .gt(0, { error: '抽样比例应大于 0' })
    .max(RATE_MAX, { error: '抽样比例不能超过 20%' })
    .default(0.01),
  q: z
    .number({ error: '幂指数 q 应为数字' })
    .min(0, { error: '幂指数 q 应在 0 到 1 之间' })
    .max(1, { error: '幂指数 q 应在 0 到 1 之间' })
    .default(0.5),
  minPerCounty: z
    .number({ error: '每县最少样本数应为整数' })
    .int({ error: '每县最少样本数应为整数' })
    .min(0, { error: '每县最少样本数不能为负' })
    .max(100, { error: '每县最少样本数不能超过 100' })
    .default(1),
  /** The frame's region: the province (default) or one city. */
  regionCode: RegionCode.optional(),
  /** Replace a family that turns out unreachable with the stratum's next reserve (docs/sample-survey.md). */
  replaceUnreachable: z.boolean().default(true),
  /** true: compute the allocation and the sample, store nothing (200). */
  dryRun: z.boolean().default(false),
});
export type SampleSurveyCreate = z.infer<typeof SampleSurveyCreate>;

export const SurveyAnswers = z.strictObject({
  knowsContacts: z.enum(KNOWS_CONTACTS, { error: '请选择是否认识两级联系人' }),
  /** How the contacts reached the family in the last 3 months (none: not at all). */
  contactModes: z
    .array(z.enum(SURVEY_CONTACT_MODES, { error: '联系方式不正确' }))
    .max(SURVEY_CONTACT_MODES.length)
    .optional(),
  lastHomeVisit: z.enum(LAST_HOME_VISITS, { error: '请选择最近一次登门走访的时间' }),
  festivalCare: z.boolean({ error: '请选择上一个节日是否收到慰问' }),
  needsRaised: z.boolean().optional(),
  /** Only when needs were raised: whether they were resolved. */
  needsResolved: z.boolean().optional(),
  satisfaction: z
    .number({ error: '请选择满意度' })
    .int({ error: '满意度应为 1～5 的整数' })
    .min(1, { error: '满意度应为 1～5' })
    .max(5, { error: '满意度应为 1～5' }),
  comment: text(LIMITS.longText, '其他意见').optional(),
});
export type SurveyAnswers = z.infer<typeof SurveyAnswers>;

export const SurveyResponseCreate = z
  .strictObject({
    familyId: z.string({ error: '请指定家庭' }).min(1).max(64),
    mode: z.enum(SURVEY_MODES, { error: '调查方式应为电话（phone）或入户（visit）' }),
    reached: z.boolean({ error: '请选择是否联系上' }),
    /** When not reached: why (default no_answer). */
    outcome: z.enum(['no_answer', 'refused', 'wrong_number'], { error: '未联系上的原因不正确' }).optional(),
    answers: SurveyAnswers.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.reached && !v.answers)
      ctx.addIssue({ code: 'custom', path: ['answers'], message: '已联系上，请填写调查问卷' });
    if (!v.reached && v.answers) ctx.addIssue({ code: 'custom', path: ['answers'], message: '未联系上时不能填写问卷' });
  });
export type SurveyResponseCreate = z.infer<typeof SurveyResponseCreate>;

export const SurveyAssign = z
  .strictObject({
    surveyorId: z.string({ error: '请选择调查员' }).min(1).max(64),
    /** These families, or every not-yet-finished family of a region. */
    familyIds: z.array(z.string().min(1).max(64)).max(5000).optional(),
    regionCode: RegionCode.optional(),
  })
  .refine((v) => (v.familyIds?.length ?? 0) > 0 || v.regionCode, {
    path: ['familyIds'],
    message: '请选择要分派的家庭或区划',
  });
export type SurveyAssign = z.infer<typeof SurveyAssign>;

export const PhoneRevealRequest = z.strictObject({
  reason: requiredText(LIMITS.shortText, '查看原因').default('抽样调查电话访问'),
});

export const DiscrepancyExplain = z.strictObject({
  version: Version,
  explanation: requiredText(LIMITS.longText, '情况说明'),
});
export type DiscrepancyExplain = z.infer<typeof DiscrepancyExplain>;

export const SurveyFamiliesQuery = z.object({
  regionCode: RegionCode.optional(),
  status: z.enum(SURVEY_FAMILY_STATUSES).optional(),
  /** true: only the families assigned to the caller. */
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export type SurveyFamiliesQuery = z.input<typeof SurveyFamiliesQuery>;
export const EstimatesQuery = z.object({ regionCode: RegionCode.optional() });
export const DiscrepancyListQuery = z.object({
  regionCode: RegionCode.optional(),
  status: z.enum(DISCREPANCY_STATUSES).optional(),
  surveyId: z.string().max(64).optional(),
});
export type DiscrepancyListQuery = z.input<typeof DiscrepancyListQuery>;

/* Responses */

export const SurveyStratum = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  familyType: z.enum(FAMILY_TYPES),
  population: z.number().int(),
  sample: z.number().int(),
  quota: z.number(),
});
export type SurveyStratum = z.infer<typeof SurveyStratum>;

export const SampleSurveyDraw = z.object({
  id: z.string().nullable(),
  year: z.number().int(),
  regionCode: z.string(),
  frameDate: z.string(),
  seed: z.string(),
  rate: z.number(),
  q: z.number(),
  minPerCounty: z.number().int(),
  allocationRule: z.string(),
  prng: z.string(),
  prngVersion: z.string(),
  frameSize: z.number().int(),
  sampleSize: z.number().int(),
  frameDigest: z.string(),
  strata: z.array(SurveyStratum),
  /** Only for a dry run: the families that would be drawn. */
  familyIds: z.array(z.string()).optional(),
});
export type SampleSurveyDraw = z.infer<typeof SampleSurveyDraw>;

const StatusCounts = z.object({
  sampled: z.number().int(),
  pending: z.number().int(),
  reached: z.number().int(),
  refused: z.number().int(),
  unreachable: z.number().int(),
  replacements: z.number().int(),
  assigned: z.number().int(),
});

export const SampleSurvey = SampleSurveyDraw.omit({ familyIds: true }).extend({
  id: z.string(),
  status: z.string(),
  replaceUnreachable: z.boolean(),
  createdAt: z.string(),
  version: z.number().int(),
  progress: StatusCounts.extend({ responseRate: z.number().nullable() }),
  /** Progress per city (or per county for a city's survey). */
  children: z.array(
    StatusCounts.extend({ regionCode: z.string(), name: z.string(), responseRate: z.number().nullable() }),
  ),
});
export type SampleSurvey = z.infer<typeof SampleSurvey>;

export const SampleSurveySummary = z.object({
  id: z.string(),
  year: z.number().int(),
  regionCode: z.string(),
  regionName: z.string(),
  frameDate: z.string(),
  frameSize: z.number().int(),
  sampleSize: z.number().int(),
  status: z.string(),
  createdAt: z.string(),
});
export type SampleSurveySummary = z.infer<typeof SampleSurveySummary>;

export const SurveyFamily = z.object({
  familyId: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  countyCode: z.string(),
  familyType: z.enum(FAMILY_TYPES),
  pi: z.number(),
  weight: z.number(),
  status: z.enum(SURVEY_FAMILY_STATUSES),
  attempts: z.number().int(),
  isReserve: z.boolean(),
  replacesFamilyId: z.string().nullable(),
  surveyorId: z.string().nullable(),
  surveyorName: z.string().nullable(),
  /** Masked: the full number only through the assigned surveyor's audited reveal. */
  phoneMask: z.string().nullable(),
});
export type SurveyFamily = z.infer<typeof SurveyFamily>;

export const SurveyAttempt = z.object({
  mode: z.enum(SURVEY_MODES),
  outcome: z.enum(SURVEY_ATTEMPT_OUTCOMES),
  attemptedAt: z.string(),
});

export const Discrepancy = z.object({ code: z.enum(DISCREPANCY_CODES), message: z.string() });

/** What the surveyor's form needs: whom to ask about (the family's contacts by name and post), masked phones. */
export const SurveyFamilyDetail = SurveyFamily.extend({
  surveyId: z.string(),
  parents: z.array(z.object({ relation: z.string(), name: z.string(), phoneMask: z.string().nullable() })),
  contacts: z.array(z.object({ name: z.string(), post: z.enum(POSTS) })),
  attemptsLog: z.array(SurveyAttempt),
  canRecord: z.boolean(),
  canRevealPhone: z.boolean(),
  response: z
    .object({
      mode: z.enum(SURVEY_MODES),
      answers: SurveyAnswers,
      recordedAt: z.string(),
      discrepancies: z.array(Discrepancy),
    })
    .nullable(),
});
export type SurveyFamilyDetail = z.infer<typeof SurveyFamilyDetail>;

export const SurveyResponseResult = z.object({
  surveyId: z.string(),
  familyId: z.string(),
  mode: z.enum(SURVEY_MODES),
  reached: z.boolean(),
  outcome: z.enum(SURVEY_ATTEMPT_OUTCOMES),
  status: z.enum(SURVEY_FAMILY_STATUSES),
  attempts: z.number().int(),
  answers: SurveyAnswers.nullable(),
  discrepancies: z.array(Discrepancy),
  /** The reserve drawn in place of a family that became unreachable. */
  replacement: z.object({ familyId: z.string() }).nullable(),
});
export type SurveyResponseResult = z.infer<typeof SurveyResponseResult>;

export const PhoneReveal = z.object({
  phones: z.array(z.object({ relation: z.string(), name: z.string(), phone: z.string() })),
});
export type PhoneReveal = z.infer<typeof PhoneReveal>;

export const SurveyEstimate = z.object({
  indicator: z.enum(SURVEY_INDICATORS),
  estimate: z.number().nullable(),
  standardError: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  respondents: z.number().int(),
});
export type SurveyEstimate = z.infer<typeof SurveyEstimate>;

export const RegionEstimates = z.object({
  regionCode: z.string(),
  name: z.string(),
  level: z.string(),
  /** Families of the frame in the region, and those in strata with at least one respondent. */
  families: z.number().int(),
  coveredFamilies: z.number().int(),
  sampled: z.number().int(),
  respondents: z.number().int(),
  responseRate: z.number().nullable(),
  indicators: z.array(SurveyEstimate),
});
export type RegionEstimates = z.infer<typeof RegionEstimates>;

export const SurveyEstimates = z.object({
  surveyId: z.string(),
  region: RegionEstimates,
  children: z.array(RegionEstimates),
});
export type SurveyEstimates = z.infer<typeof SurveyEstimates>;

export const SurveyDiscrepancy = z.object({
  id: z.string(),
  surveyId: z.string(),
  surveyYear: z.number().int(),
  familyId: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  code: z.enum(DISCREPANCY_CODES),
  message: z.string(),
  status: z.enum(DISCREPANCY_STATUSES),
  explanation: z.string().nullable(),
  explainedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type SurveyDiscrepancy = z.infer<typeof SurveyDiscrepancy>;

export const SurveyReproduction = z.object({
  surveyId: z.string(),
  frameDigest: z.string(),
  isDigestMatching: z.boolean(),
  isSampleMatching: z.boolean(),
  sampleSize: z.number().int(),
});

/** An account that may be handed families to survey. */
export const Surveyor = z.object({
  id: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string(),
});
export type Surveyor = z.infer<typeof Surveyor>;
/** `POST /sample-surveys/:id/assignments`: how many families went to the surveyor. */
export const SurveyAssignResult = z.object({ assigned: z.number().int() });
export type SurveyAssignResult = z.infer<typeof SurveyAssignResult>;
