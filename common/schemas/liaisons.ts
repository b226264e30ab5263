import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { LIAISON_COVERAGE_STATUSES, LIAISON_STATUSES, SUBSIDY_KINDS, SUBSIDY_MAX_YUAN_PER_MONTH } from '../labels.js';
import { PhoneInput } from './families.js';
import { requiredText, text, Version, WorkDate } from './fields.js';
import { RegionCode } from './users.js';
export {
  LIAISON_STATUSES,
  LIAISON_STATUS_LABELS,
  LIAISON_COVERAGE_STATUSES,
  LIAISON_COVERAGE_LABELS,
  LIAISON_CHECK,
  SUBSIDY_KINDS,
  SUBSIDY_KIND_LABELS,
  SUBSIDY_MAX_YUAN_PER_MONTH,
} from '../labels.js';

const Id = z.string().min(1).max(64);

/* Requests */

export const LiaisonCreate = z.strictObject({
  regionCode: RegionCode,
  name: requiredText(LIMITS.name, '姓名'),
  phone: PhoneInput.nullish(),
  /** The archive of the family the liaison belongs to; the phone then comes from it. */
  familyId: Id.nullish(),
  startedOn: WorkDate.optional(),
});
export type LiaisonCreate = z.infer<typeof LiaisonCreate>;

export const LiaisonUpdate = z.strictObject({
  version: Version,
  name: requiredText(LIMITS.name, '姓名').optional(),
  phone: PhoneInput.nullish(),
  /** Ending a liaison's term: the date and why. */
  endedOn: WorkDate.optional(),
  endReason: text(LIMITS.shortText, '卸任原因').optional(),
});
export type LiaisonUpdate = z.infer<typeof LiaisonUpdate>;

export const LiaisonProgrammeSet = z.strictObject({
  isRunning: z.boolean({ error: '请选择是否开展联络员工作' }),
  version: Version.optional(),
});
export type LiaisonProgrammeSet = z.infer<typeof LiaisonProgrammeSet>;

export const LiaisonReportCreate = z.strictObject({
  reportedOn: WorkDate,
  content: requiredText(LIMITS.longText, '反映内容'),
  familyId: Id.nullish(),
});
export type LiaisonReportCreate = z.infer<typeof LiaisonReportCreate>;

/** A month (2026-11) or a quarter (2026-Q4). */
export const SubsidyPeriod = z
  .string()
  .regex(/^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$/, { error: '补助期间应为 YYYY-MM（月）或 YYYY-Qn（季度）' });

export const SubsidyCreate = z.strictObject({
  period: SubsidyPeriod,
  kind: z.enum(SUBSIDY_KINDS, { error: '补助类别应为通讯费、交通费或其他' }),
  amount: z
    .number({ error: '请填写金额（元）' })
    .positive({ error: '金额应大于 0' })
    .max(SUBSIDY_MAX_YUAN_PER_MONTH * 3, { error: `金额不能超过每月 ${SUBSIDY_MAX_YUAN_PER_MONTH} 元` })
    .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, { error: '金额最多精确到分' }),
  payerRegionCode: RegionCode,
  paidOn: WorkDate,
  note: text(LIMITS.shortText, '备注').nullish(),
});
export type SubsidyCreate = z.infer<typeof SubsidyCreate>;

export const LiaisonListQuery = z.object({
  regionCode: RegionCode.optional(),
  status: z.enum(LIAISON_STATUSES, { error: '状态不正确' }).optional(),
  q: z.string().trim().max(LIMITS.search).optional(),
});
export const SubsidyTotalsQuery = z.object({
  regionCode: RegionCode.optional(),
  year: z.coerce.number().int().min(2016).max(2099).optional(),
});

/* Responses */

export const Liaison = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  name: z.string(),
  /** Masked: from the family archive when the liaison is a member of one. */
  phone: z.string().nullable(),
  familyId: z.string().nullable(),
  archiveNo: z.string().nullable(),
  status: z.enum(LIAISON_STATUSES),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  endReason: z.string().nullable(),
  reportCount: z.number().int(),
  subsidyTotal: z.number(),
  version: z.number().int(),
});
export type Liaison = z.infer<typeof Liaison>;

const coverageRow = {
  regionCode: z.string(),
  name: z.string(),
  level: z.string(),
  /** Active liaisons in the region. */
  liaisons: z.number().int(),
  /** For a township: its own 2–3 check; above: ok only when every township of a running county is. */
  status: z.enum(LIAISON_COVERAGE_STATUSES),
  /** Whether the county (or any county below) runs the liaison programme; only running ones are checked. */
  isRunning: z.boolean(),
  townships: z.number().int(),
  townshipsShort: z.number().int(),
  townshipsOver: z.number().int(),
};
export const LiaisonCoverage = z.object({
  ...coverageRow,
  /** The county's programme switch and its version when the region is a county. */
  programmeVersion: z.number().int().nullable(),
  children: z.array(z.object(coverageRow)),
});
export type LiaisonCoverage = z.infer<typeof LiaisonCoverage>;

export const LiaisonReport = z.object({
  id: z.string(),
  liaisonId: z.string(),
  reportedOn: z.string(),
  content: z.string(),
  familyId: z.string().nullable(),
  archiveNo: z.string().nullable(),
  createdAt: z.string(),
});
export type LiaisonReport = z.infer<typeof LiaisonReport>;

export const Subsidy = z.object({
  id: z.string(),
  liaisonId: z.string(),
  liaisonName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  period: z.string(),
  kind: z.enum(SUBSIDY_KINDS),
  amount: z.number(),
  payerRegionCode: z.string(),
  payerLevel: z.enum(['county', 'township']),
  paidOn: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type Subsidy = z.infer<typeof Subsidy>;

const money = { total: z.number(), phone: z.number(), transport: z.number(), other: z.number() };
export const SubsidyTotals = z.object({
  regionCode: z.string(),
  year: z.number().int(),
  ...money,
  byTownship: z.array(z.object({ regionCode: z.string(), name: z.string(), ...money })),
  byPayerLevel: z.array(z.object({ payerLevel: z.enum(['county', 'township']), total: z.number() })),
  byYear: z.array(z.object({ year: z.number().int(), total: z.number() })),
});
export type SubsidyTotals = z.infer<typeof SubsidyTotals>;
