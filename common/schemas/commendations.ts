import { z } from 'zod';
import { COMMENDATION_STATUSES, POSTS } from '../labels.js';
import { LIMITS } from '../limits.js';
import { text, Version } from './fields.js';
import { RegionCode } from './users.js';
export { COMMENDATION_STATUS_LABELS } from '../labels.js';

/**
 * 表彰 (R17): each city's contacts ranked for the year by measured performance, with the evidence; city staff
 * nominate within a quota, the province approves, the city publishes a printable 通报表彰.
 */

const Year = z.coerce
  .number({ error: '年度应为数字' })
  .int({ error: '年度应为整数' })
  .min(2016, { error: '年度不能早于 2016' })
  .max(2099, { error: '年度不正确' });

/* Requests */

export const CommendationQuery = z.object({ regionCode: RegionCode.optional(), year: Year.optional() });

export const NominationCreate = z.strictObject({
  regionCode: RegionCode,
  year: Year,
  contactId: z.string({ error: '请选择联系人' }).min(1, { error: '请选择联系人' }).max(64),
  reason: text(LIMITS.shortText, '推荐理由').nullish(),
});
export type NominationCreate = z.infer<typeof NominationCreate>;

export const ListTransition = z.strictObject({ version: Version });

/* Responses */

/** What the score is made of; every figure traceable to the records (docs/supervision.md). */
export const CandidateEvidence = z.object({
  families: z.number().int(),
  /** Home-visit compliance over the contact's families, month by month as on the dashboards (走访督导). */
  visits: z.object({ familyMonths: z.number().int(), visited: z.number().int(), rate: z.number() }),
  /** Major events of the contact's families this year answered by a home visit in time. */
  responses: z.object({ events: z.number().int(), onTime: z.number().int(), rate: z.number().nullable() }),
  /** This year's sample survey: the contact's families surveyed and those confirming a visit in 3 months. */
  survey: z.object({ asked: z.number().int(), confirmed: z.number().int(), rate: z.number().nullable() }),
  /** Petition events at province level or beyond among the contact's families this year. */
  provincePetitions: z.number().int(),
  trainings: z.number().int(),
});
export type CandidateEvidence = z.infer<typeof CandidateEvidence>;

export const CommendationCandidate = z.object({
  rank: z.number().int(),
  contactId: z.string(),
  name: z.string(),
  post: z.enum(POSTS),
  regionCode: z.string(),
  regionName: z.string(),
  /** 0–100: the weighted mean of the figures available for this contact (docs/supervision.md). */
  score: z.number(),
  evidence: CandidateEvidence,
  /** A 履职不到位 finding this year: cannot be nominated. */
  isExcluded: z.boolean(),
  exclusionReason: z.string().nullable(),
});
export type CommendationCandidate = z.infer<typeof CommendationCandidate>;

export const CommendationNominee = z.object({
  contactId: z.string(),
  name: z.string(),
  post: z.enum(POSTS),
  regionCode: z.string(),
  regionName: z.string(),
  score: z.number(),
  evidence: CandidateEvidence,
  reason: z.string().nullable(),
});

export const CommendationList = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  year: z.number().int(),
  quota: z.number().int(),
  status: z.enum(COMMENDATION_STATUSES),
  nominees: z.array(CommendationNominee),
  submittedAt: z.string().nullable(),
  approvedByName: z.string().nullable(),
  approvedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  version: z.number().int(),
  abilities: z.object({ nominate: z.boolean(), submit: z.boolean(), approve: z.boolean(), publish: z.boolean() }),
});
export type CommendationList = z.infer<typeof CommendationList>;
