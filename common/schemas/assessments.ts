import { z } from 'zod';
import { ASSESSMENT_STATUSES } from '../labels.js';
import { LIMITS } from '../limits.js';
import { text, Version } from './fields.js';
import { RegionCode } from './users.js';
export { ASSESSMENT_STATUS_LABELS, ASSESSMENT_SURVEY_FIGURE_LABELS } from '../labels.js';

/**
 * 考核 (R16–R17, issue 15 part 5): a province's (or a city's) yearly scheme of indicators, weights and scoring
 * rules, computed per unit from the statistical-return indicators and the sample survey; frozen when published.
 */

const Year = z.coerce
  .number({ error: '年度应为数字' })
  .int({ error: '年度应为整数' })
  .min(2016, { error: '年度不能早于 2016' })
  .max(2099, { error: '年度不正确' });

const Num = (label: string) =>
  z
    .number({ error: `${label}应为数字` })
    .min(-1_000_000, { error: `${label}过小` })
    .max(1_000_000, { error: `${label}过大` });

/** One scored indicator: linear from `floor` (0 points) to `target` (the full weight), capped at both ends. */
export const AssessmentItem = z.strictObject({
  source: z.enum(['indicator', 'survey'], { error: '指标来源应为 indicator 或 survey' }),
  /** A statistical-return indicator code, or one of ASSESSMENT_SURVEY_FIGURES. */
  code: z.string({ error: '请选择指标' }).min(1, { error: '请选择指标' }).max(64),
  /** A count indicator may be taken per active family (percent of `families_active`). */
  perFamily: z.boolean().optional(),
  weight: z.number({ error: '权重应为数字' }).gt(0, { error: '权重应大于 0' }).max(100, { error: '权重不能超过 100' }),
  direction: z.enum(['higher', 'lower'], { error: '方向应为 higher 或 lower' }).default('higher'),
  floor: Num('起评值'),
  target: Num('目标值'),
});
export type AssessmentItem = z.infer<typeof AssessmentItem>;

/** 扣分项: points off the total per petition event at province level or beyond in the unit this year. */
export const AssessmentDeduction = z.strictObject({
  kind: z.literal('province_petition', { error: '扣分项应为 province_petition' }),
  pointsPerEvent: z.number({ error: '每件扣分应为数字' }).gt(0, { error: '每件扣分应大于 0' }).max(100),
  maxPoints: z.number({ error: '扣分上限应为数字' }).gt(0, { error: '扣分上限应大于 0' }).max(100).nullish(),
});
export type AssessmentDeduction = z.infer<typeof AssessmentDeduction>;

export const AssessmentSchemeInput = z.strictObject({
  regionCode: RegionCode.optional(),
  year: Year,
  name: text(LIMITS.shortText, '方案名称'),
  /** The sample survey the survey figures read; required when an item's source is `survey`. */
  surveyId: z.string().max(64).nullish(),
  items: z.array(AssessmentItem, { error: '请添加考核指标' }).min(1, { error: '请至少添加一项考核指标' }).max(30),
  deductions: z.array(AssessmentDeduction).max(5).default([]),
});
export type AssessmentSchemeInput = z.infer<typeof AssessmentSchemeInput>;

/**
 * `PUT` replaces the whole draft scheme (not a PATCH: what is absent takes the scheme's defaults, as on create);
 * named Replace so the PATCH-default check, which walks every `…Update` / `…Patch`, does not apply to it.
 */
export const AssessmentSchemeReplace = AssessmentSchemeInput.omit({ regionCode: true }).extend({ version: Version });
export type AssessmentSchemeReplace = z.infer<typeof AssessmentSchemeReplace>;

export const AssessmentPublish = z.strictObject({ version: Version });

export const AssessmentQuery = z.object({ regionCode: RegionCode.optional(), year: Year.optional() });

/* Responses */

export const AssessmentScheme = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  year: z.number().int(),
  name: z.string(),
  surveyId: z.string().nullable(),
  items: z.array(AssessmentItem),
  deductions: z.array(AssessmentDeduction),
  status: z.enum(ASSESSMENT_STATUSES),
  publishedAt: z.string().nullable(),
  publishedByName: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
  abilities: z.object({ edit: z.boolean(), publish: z.boolean() }),
});
export type AssessmentScheme = z.infer<typeof AssessmentScheme>;

export const AssessmentUnitItem = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string(),
  /** The input figure (null: nothing to measure, e.g. no survey respondent in the unit: 0 points). */
  value: z.number().nullable(),
  score: z.number(),
  weight: z.number(),
});

export const AssessmentUnit = z.object({
  rank: z.number().int(),
  regionCode: z.string(),
  name: z.string(),
  level: z.string(),
  score: z.number(),
  itemsScore: z.number(),
  provincePetitions: z.number().int(),
  deduction: z.number(),
  items: z.array(AssessmentUnitItem),
});
export type AssessmentUnit = z.infer<typeof AssessmentUnit>;

export const AssessmentResult = z.object({
  schemeId: z.string(),
  status: z.enum(ASSESSMENT_STATUSES),
  /** When computed (live) or frozen (published). */
  computedAt: z.string(),
  /** The scheme as scored: a published result carries the scheme it was frozen with. */
  scheme: z.object({
    name: z.string(),
    year: z.number().int(),
    regionCode: z.string(),
    surveyId: z.string().nullable(),
    items: z.array(AssessmentItem),
    deductions: z.array(AssessmentDeduction),
  }),
  units: z.array(AssessmentUnit),
});
export type AssessmentResult = z.infer<typeof AssessmentResult>;

export const AssessmentCatalogueEntry = z.object({
  source: z.enum(['indicator', 'survey']),
  code: z.string(),
  name: z.string(),
  unit: z.string(),
  kind: z.string(),
});
export type AssessmentCatalogueEntry = z.infer<typeof AssessmentCatalogueEntry>;
