import { z } from 'zod';
import { LIMITS } from '../../../common/limits.js';
import { FAMILY_STATUSES, FAMILY_TYPES, MEMBER_RELATIONS, SEXES } from '../../../common/schemas/families.js';

/** Response shapes: the serializer drops anything not named here, so nothing leaks by accident. */
const Extra = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable();
const relation = z.enum(MEMBER_RELATIONS);

const FamilyCore = {
  id: z.string(),
  archiveNo: z.string(),
  familyType: z.enum(FAMILY_TYPES),
  regionCode: z.string(),
  regionName: z.string(),
  address: z.string(),
  currentAddress: z.string().nullable(),
  householdStatus: z.string().nullable(),
  livingSituation: z.string().nullable(),
  economicSituation: z.string().nullable(),
  annualIncome: z.number().nullable(),
  housingSituation: z.string().nullable(),
  honorCertificateNo: z.string().nullable(),
  isSpecialDifficulty: z.boolean(),
  status: z.enum(FAMILY_STATUSES),
  statusReason: z.string().nullable(),
  statusDate: z.string().nullable(),
  statusNote: z.string().nullable(),
  enteredAt: z.string(),
  eligibleFrom: z.string().nullable(),
  extra: Extra,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
};

export const FamilyListItem = z.object({
  ...FamilyCore,
  members: z.array(
    z.object({
      relation,
      name: z.string(),
      idNumber: z.string(),
      phone: z.string().nullable(),
      isDeceased: z.boolean(),
    }),
  ),
  childName: z.string().nullable(),
});

export const MemberView = z.object({
  id: z.string(),
  relation,
  name: z.string(),
  idNumber: z.string(),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  phone: z.string().nullable(),
  ethnicity: z.string().nullable(),
  education: z.string().nullable(),
  maritalStatus: z.string().nullable(),
  health: z.string().nullable(),
  selfCare: z.string().nullable(),
  mentalState: z.string().nullable(),
  pensionInsurance: z.string().nullable(),
  medicalInsurance: z.string().nullable(),
  isDeceased: z.boolean(),
  deathDate: z.string().nullable(),
  extra: Extra,
});

export const ChildView = z.object({
  name: z.string().nullable(),
  relation: z.string().nullable(),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  idNumber: z.string().nullable(),
  deathDate: z.string().nullable(),
  deathCause: z.string().nullable(),
  disabilityCertNo: z.string().nullable(),
  disabilityCategory: z.string().nullable(),
  disabilityGrade: z.number().int().nullable(),
  isRecovered: z.boolean().nullable(),
  extra: Extra,
});

export const SpecialAssistanceView = z.object({
  isEligible: z.boolean(),
  reason: z.string().nullable(),
  eligibleFrom: z.string().nullable(),
  persons: z.array(
    z.object({
      relation,
      name: z.string(),
      isEligible: z.boolean(),
      reason: z.string().nullable(),
      monthlyAmount: z.number(),
    }),
  ),
  monthlyTotal: z.number(),
  rates: z.array(z.object({ label: z.string(), amount: z.number() })),
});

export const AssistanceView = z.object({
  id: z.string(),
  item: z.string(),
  periodFrom: z.string(),
  periodTo: z.string().nullable(),
  amount: z.number(),
  source: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

export const FamilyDetail = z.object({
  ...FamilyCore,
  members: z.array(MemberView),
  child: ChildView,
  assistance: z.array(AssistanceView),
  specialAssistance: SpecialAssistanceView,
  abilities: z.object({
    update: z.boolean(),
    changeStatus: z.boolean(),
    addAssistance: z.boolean(),
    reveal: z.boolean(),
  }),
});

export const HistoryEntry = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
});

const counts = {
  total: z.number().int(),
  bereaved: z.number().int(),
  disabled: z.number().int(),
  active: z.number().int(),
  paused: z.number().int(),
  exited: z.number().int(),
  specialDifficulty: z.number().int(),
  eligible: z.number().int(),
};
export const FamilyStats = z.object({
  regionCode: z.string(),
  name: z.string(),
  level: z.string(),
  ...counts,
  children: z.array(z.object({ regionCode: z.string(), name: z.string(), ...counts })),
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const FamilyListFilters = z.object({
  regionCode: z
    .string()
    .regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' })
    .optional(),
  q: z.string().trim().max(LIMITS.search, { error: '搜索内容过长' }).optional(),
  familyType: z.enum(FAMILY_TYPES).optional(),
  status: z.enum(FAMILY_STATUSES).optional(),
  isSpecialDifficulty: flag.optional(),
  isEligible: flag.optional(),
});
