import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { MEDICAL_SERVICE_KINDS, PRIORITY_ARRANGEMENTS } from '../labels.js';
import { PersonDate, requiredText, text } from './fields.js';
import { RegionCode } from './users.js';
export {
  MEDICAL_SERVICE_KINDS,
  MEDICAL_SERVICE_KIND_LABELS,
  PRIORITY_ARRANGEMENTS,
  PRIORITY_ARRANGEMENT_LABELS,
} from '../labels.js';

/* Requests */

/** 签约家庭医生 (institution, doctor, date, until) or 就医绿色通道 / 优先便利 (card or arrangement, institution, date). */
export const MedicalServiceCreate = z.strictObject({
  kind: z.enum(MEDICAL_SERVICE_KINDS, { error: '类别应为家庭医生签约或就医绿色通道' }),
  institution: requiredText(LIMITS.shortText, '医疗机构'),
  doctor: text(LIMITS.name, '签约医生').nullish(),
  arrangement: z.enum(PRIORITY_ARRANGEMENTS, { error: '优先便利方式应为优待卡或绿色通道安排' }).nullish(),
  startedOn: PersonDate,
  /** The end of the signing's term (family-doctor contracts run a year and are renewed). */
  expiresOn: PersonDate.nullish(),
  note: text(LIMITS.shortText, '备注').nullish(),
});
export type MedicalServiceCreate = z.infer<typeof MedicalServiceCreate>;

export const MedicalServiceEnd = z.strictObject({
  endedOn: PersonDate,
  reason: requiredText(LIMITS.shortText, '终止原因'),
});
export type MedicalServiceEnd = z.infer<typeof MedicalServiceEnd>;

export const MedicalCoverageQuery = z.object({ regionCode: RegionCode.optional() });

/* Responses */

export const MedicalService = z.object({
  id: z.string(),
  kind: z.enum(MEDICAL_SERVICE_KINDS),
  arrangement: z.enum(PRIORITY_ARRANGEMENTS).nullable(),
  institution: z.string(),
  doctor: z.string().nullable(),
  startedOn: z.string(),
  expiresOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  endReason: z.string().nullable(),
  note: z.string().nullable(),
  /** In force today: started, not ended, not expired. */
  isCurrent: z.boolean(),
  createdAt: z.string(),
});
export type MedicalService = z.infer<typeof MedicalService>;

export const FamilyMedicalServices = z.object({
  familyDoctor: MedicalService.nullable(),
  priorityAccess: MedicalService.nullable(),
  history: z.array(MedicalService),
  abilities: z.object({ write: z.boolean() }),
});
export type FamilyMedicalServices = z.infer<typeof FamilyMedicalServices>;

const coverageRow = {
  regionCode: z.string(),
  name: z.string(),
  /** Active families; those with both 双岗 posts (联系人制度), a family doctor, priority medical access. */
  families: z.number().int(),
  bothPosts: z.number().int(),
  familyDoctor: z.number().int(),
  priorityAccess: z.number().int(),
};
/** 三个全覆盖: the three coverages side by side. */
export const MedicalCoverage = z.object({ ...coverageRow, children: z.array(z.object(coverageRow)) });
export type MedicalCoverage = z.infer<typeof MedicalCoverage>;
