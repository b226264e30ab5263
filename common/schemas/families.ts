import { z } from 'zod';
import {
  ASSISTANCE_ITEM,
  CHILD_RELATION,
  codeKeys,
  DEATH_CAUSE,
  DISABILITY_CATEGORY,
  ECONOMIC_SITUATION,
  EDUCATION,
  ETHNICITY,
  FAMILY_STATUS,
  FUND_SOURCE,
  HEALTH,
  HOUSEHOLD_STATUS,
  HOUSING_SITUATION,
  INSURANCE,
  LIVING_SITUATION,
  MARITAL_STATUS,
  MENTAL_STATE,
  SELF_CARE,
  STATUS_REASON,
} from '../code-lists.js';
import { LIMITS } from '../limits.js';
import { REGION_LEVELS } from '../roles.js';
import { parseIdNumber } from '../validators/id-number.js';
import { parsePhone } from '../validators/phone.js';
import { monthString, PersonDate, requiredText, safeString, text, Version, WorkDate } from './fields.js';
import { RevealField, RevealReason } from './reveals.js';
import { RegionCode } from './users.js';

export const FAMILY_TYPES = ['bereaved', 'disabled'] as const;
export type FamilyType = (typeof FAMILY_TYPES)[number];
export const FAMILY_STATUSES = ['active', 'paused', 'exited'] as const;
export type FamilyStatus = (typeof FAMILY_STATUSES)[number];
export const MEMBER_RELATIONS = ['father', 'mother'] as const;
export const SEXES = ['male', 'female'] as const;

const oneOf = (codes: Readonly<Record<string, string>>, label: string) =>
  z.enum(codeKeys(codes), { error: `${label}不在可选范围内` });

/** A civil date about a person (birth, death, archive entry): real, 1900–2099 (`fields.ts` bounds). */
export const IsoDate = PersonDate;

export const IdNumberInput = z
  .string()
  .max(40, { error: '身份证号码格式不正确' })
  .transform((s, ctx) => {
    const r = parseIdNumber(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message, params: { code: r.code } });
      return z.NEVER;
    }
    return r.value;
  });

export const PhoneInput = z
  .string()
  .max(40, { error: '电话号码格式不正确' })
  .transform((s, ctx) => {
    const r = parsePhone(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message, params: { code: r.code } });
      return z.NEVER;
    }
    return r.value;
  });

/** The 20-digit 残疾人证号: the 18-character ID number, then category and grade digits. */
export const DisabilityCertInput = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{17}[\dX]\d{2}$/, { error: '残疾人证号应为 20 位：18 位身份证号 + 残疾类别 + 残疾等级' });

/** Free-form fields the archive standard may add later, without a migration. Bounded like everything else. */
export const Extra = z
  .record(
    safeString('扩展字段名').max(40),
    z.union([safeString('扩展字段').max(LIMITS.shortText), z.number(), z.boolean(), z.null()]),
  )
  .refine((r) => Object.keys(r).length <= 30, { error: '扩展字段最多 30 项' })
  .optional();

const memberFields = {
  name: requiredText(LIMITS.name, '姓名'),
  idNumber: IdNumberInput,
  sex: z.enum(SEXES, { error: '性别不正确' }).optional(),
  birthDate: IsoDate.optional(),
  phone: PhoneInput.nullish(),
  ethnicity: oneOf(ETHNICITY, '民族').nullish(),
  education: oneOf(EDUCATION, '文化程度').nullish(),
  maritalStatus: oneOf(MARITAL_STATUS, '婚姻状况').nullish(),
  health: oneOf(HEALTH, '健康状况').nullish(),
  selfCare: oneOf(SELF_CARE, '生活自理能力').nullish(),
  mentalState: oneOf(MENTAL_STATE, '精神状态').nullish(),
  pensionInsurance: oneOf(INSURANCE, '养老保险').nullish(),
  medicalInsurance: oneOf(INSURANCE, '医疗保险').nullish(),
  isDeceased: z.boolean().optional(),
  deathDate: IsoDate.nullish(),
  extra: Extra,
};

export const MemberInput = z.strictObject({
  relation: z.enum(MEMBER_RELATIONS, { error: '与子女关系应为父亲或母亲' }),
  ...memberFields,
});
export type MemberInput = z.infer<typeof MemberInput>;

/** In a PATCH a member is found by relation; what is absent stays as stored. */
export const MemberPatch = z.strictObject({
  relation: z.enum(MEMBER_RELATIONS, { error: '与子女关系应为父亲或母亲' }),
  ...Object.fromEntries(Object.entries(memberFields).map(([k, v]) => [k, (v as z.ZodType).optional()])),
}) as unknown as z.ZodType<
  Partial<MemberInput> & { relation: MemberInput['relation'] },
  Partial<z.input<typeof MemberInput>> & { relation: MemberInput['relation'] }
>;

const childFields = {
  name: text(LIMITS.name, '子女姓名').nullish(),
  relation: oneOf(CHILD_RELATION, '与父母关系').nullish(),
  sex: z.enum(SEXES, { error: '性别不正确' }),
  birthDate: IsoDate,
  idNumber: IdNumberInput.nullish(),
  deathDate: IsoDate.nullish(),
  deathCause: oneOf(DEATH_CAUSE, '死亡原因').nullish(),
  disabilityCertNo: DisabilityCertInput.nullish(),
  disabilityCategory: oneOf(DISABILITY_CATEGORY, '残疾类别').nullish(),
  disabilityGrade: z
    .number({ error: '残疾等级应为 1–4 级' })
    .int()
    .min(1, { error: '残疾等级应为 1–4 级' })
    .max(4, { error: '残疾等级应为 1–4 级' })
    .nullish(),
  isRecovered: z.boolean().nullish(),
  extra: Extra,
};
export const ChildInput = z.strictObject(childFields);
export type ChildInput = z.infer<typeof ChildInput>;
export const ChildPatch = ChildInput.partial();

const familyFields = {
  familyType: z.enum(FAMILY_TYPES, { error: '家庭类别应为失独家庭或伤残家庭' }),
  regionCode: RegionCode,
  address: requiredText(LIMITS.address, '详细地址'),
  currentAddress: text(LIMITS.address, '现居住地址').nullish(),
  householdStatus: oneOf(HOUSEHOLD_STATUS, '家庭结构').nullish(),
  livingSituation: oneOf(LIVING_SITUATION, '居住状况').nullish(),
  economicSituation: oneOf(ECONOMIC_SITUATION, '经济状况').nullish(),
  annualIncome: z.number().int().min(0).max(100_000_000, { error: '家庭年收入数值不正确' }).nullish(),
  housingSituation: oneOf(HOUSING_SITUATION, '住房状况').nullish(),
  honorCertificateNo: text(40, '光荣证号').nullish(),
  isSpecialDifficulty: z.boolean().optional(),
  enteredAt: IsoDate.optional(),
  extra: Extra,
};

export const FamilyCreate = z.strictObject({
  ...familyFields,
  members: z.array(MemberInput).min(1, { error: '至少填写一位父母' }).max(2, { error: '父母最多两人' }),
  child: ChildInput,
});
export type FamilyCreate = z.infer<typeof FamilyCreate>;

export const FamilyPatch = z.strictObject({
  version: Version,
  ...Object.fromEntries(Object.entries(familyFields).map(([k, v]) => [k, (v as z.ZodType).optional()])),
  members: z.array(MemberPatch).max(2, { error: '父母最多两人' }).optional(),
  child: ChildPatch.optional(),
}) as unknown as z.ZodType<
  { version: number } & Partial<Omit<FamilyCreate, 'members' | 'child'>> & {
      members?: Array<z.infer<typeof MemberPatch>>;
      child?: Partial<ChildInput>;
    },
  { version: number } & Partial<Omit<z.input<typeof FamilyCreate>, 'members' | 'child'>> & {
      members?: Array<z.input<typeof MemberPatch>>;
      child?: z.input<typeof ChildPatch>;
    }
>;
export type FamilyPatch = z.infer<typeof FamilyPatch>;

export const StatusChange = z.strictObject({
  version: Version,
  status: z.enum(FAMILY_STATUSES, { error: '状态不正确' }),
  reason: oneOf(STATUS_REASON, '变更原因'),
  effectiveDate: WorkDate,
  note: text(LIMITS.shortText, '说明').nullish(),
});
export type StatusChange = z.infer<typeof StatusChange>;

const ASSISTANCE_FIRST_YEAR = 2007;

export const AssistanceInput = z.strictObject({
  item: oneOf(ASSISTANCE_ITEM, '扶助项目'),
  // Special assistance began nationally in 2007; older periods are typing errors.
  periodFrom: monthString('起始年月', ASSISTANCE_FIRST_YEAR),
  periodTo: monthString('截止年月', ASSISTANCE_FIRST_YEAR).nullish(),
  amount: z.number({ error: '金额应为数字' }).min(0, { error: '金额不能为负' }).max(10_000_000, { error: '金额过大' }),
  source: oneOf(FUND_SOURCE, '资金来源').nullish(),
  note: text(LIMITS.shortText, '说明').nullish(),
});
export type AssistanceInput = z.infer<typeof AssistanceInput>;

export const RevealRequest = z.strictObject({ field: RevealField, reason: RevealReason });

export const FamilyStatusCodes = FAMILY_STATUS;

/** Cross-field rules shared by the web form and the server (which passes its own clock's today). */
export interface FamilyShape {
  familyType: FamilyType;
  enteredAt?: string | null;
  members: Array<Pick<MemberInput, 'relation' | 'idNumber' | 'sex' | 'birthDate' | 'isDeceased' | 'deathDate'>>;
  child: Pick<ChildInput, 'birthDate' | 'deathDate' | 'disabilityGrade' | 'disabilityCertNo' | 'idNumber' | 'sex'>;
}

export interface Problem {
  path: string;
  message: string;
  code: string;
}

export function familyProblems(f: FamilyShape, today: string): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string, code: string) => problems.push({ path, message, code });
  const relations = f.members.map((m) => m.relation);
  if (new Set(relations).size !== relations.length) add('members', '父亲、母亲各只能填写一位', 'MEMBER_DUPLICATE');
  f.members.forEach((m, i) => {
    const id = parseIdNumber(m.idNumber);
    if (id.ok) {
      if (m.sex && m.sex !== id.sex) add(`members.${i}.sex`, '性别与身份证号码不一致', 'SEX_MISMATCH');
      if (m.birthDate && m.birthDate !== id.birthDate)
        add(`members.${i}.birthDate`, '出生日期与身份证号码不一致', 'BIRTH_DATE_MISMATCH');
      const expectedSex = m.relation === 'father' ? 'male' : 'female';
      if (id.sex !== expectedSex)
        add(
          `members.${i}.idNumber`,
          `身份证号码显示为${id.sex === 'male' ? '男' : '女'}性，与“${m.relation === 'father' ? '父亲' : '母亲'}”不符`,
          'SEX_MISMATCH',
        );
      if (m.deathDate && m.deathDate < id.birthDate)
        add(`members.${i}.deathDate`, '死亡日期早于出生日期', 'DATE_ORDER');
    }
    if (m.deathDate && m.deathDate > today) add(`members.${i}.deathDate`, '死亡日期不能晚于今天', 'DATE_FUTURE');
    if (m.deathDate && m.isDeceased === false)
      add(`members.${i}.isDeceased`, '填写了死亡日期，请同时标记为已故', 'DECEASED_FLAG');
  });
  const c = f.child;
  if (c.birthDate > today) add('child.birthDate', '出生日期不能晚于今天', 'DATE_FUTURE');
  if (c.idNumber) {
    const id = parseIdNumber(c.idNumber);
    if (id.ok && id.birthDate !== c.birthDate)
      add('child.birthDate', '出生日期与子女身份证号码不一致', 'BIRTH_DATE_MISMATCH');
    if (id.ok && id.sex !== c.sex) add('child.sex', '性别与子女身份证号码不一致', 'SEX_MISMATCH');
  }
  if (f.familyType === 'bereaved') {
    if (!c.deathDate) add('child.deathDate', '失独家庭须填写子女死亡日期', 'REQUIRED');
    if (c.disabilityGrade) add('child.disabilityGrade', '失独家庭不填写残疾等级', 'NOT_APPLICABLE');
  } else {
    if (!c.disabilityGrade) add('child.disabilityGrade', '伤残家庭须填写子女残疾等级（1–4 级）', 'REQUIRED');
    if (c.deathDate)
      add('child.deathDate', '伤残家庭的子女不应有死亡日期；如子女已故，请将家庭类别改为失独家庭', 'NOT_APPLICABLE');
    if (c.disabilityCertNo && c.disabilityGrade && Number(c.disabilityCertNo.slice(19)) !== c.disabilityGrade)
      add('child.disabilityGrade', '残疾等级与残疾人证号末位不一致', 'GRADE_MISMATCH');
  }
  if (c.deathDate && c.deathDate < c.birthDate) add('child.deathDate', '子女死亡日期早于出生日期', 'DATE_ORDER');
  if (c.deathDate && c.deathDate > today) add('child.deathDate', '死亡日期不能晚于今天', 'DATE_FUTURE');
  if (f.enteredAt && f.enteredAt > today) add('enteredAt', '建档日期不能晚于今天', 'DATE_FUTURE');
  return problems;
}

/** How the family search read `q` (issue 11 item 9): shown with an empty result so people know what was tried. */
export const SEARCH_KINDS = ['id_number', 'id_number_tail', 'phone', 'archive_no', 'name'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const FamilySearchInfo = z.object({
  kind: z.enum(SEARCH_KINDS),
  /** Where: the region searched (the account's own when none was chosen). */
  regionCode: z.string(),
  regionName: z.string(),
  /** In Chinese, for people: 在“某镇”范围内按姓名包含“某琴”查找. Never repeats a full ID number or phone. */
  description: z.string(),
});
export type FamilySearchInfo = z.infer<typeof FamilySearchInfo>;

/** Response shapes: the serializer drops anything not named here, so nothing leaks by accident. */
const ExtraView = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable();
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
  extra: ExtraView,
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
  extra: ExtraView,
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
  extra: ExtraView,
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
  /** Flattened path (`members.mother.phone`) → [before, after]; sensitive values masked. */
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
  level: z.enum(REGION_LEVELS),
  ...counts,
  children: z.array(z.object({ regionCode: z.string(), name: z.string(), ...counts })),
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const FamilyListFilters = z.object({
  regionCode: RegionCode.optional(),
  q: z.string().trim().max(LIMITS.search, { error: '搜索内容过长' }).optional(),
  familyType: z.enum(FAMILY_TYPES).optional(),
  status: z.enum(FAMILY_STATUSES).optional(),
  isSpecialDifficulty: flag.optional(),
  isEligible: flag.optional(),
});

export type FamilyListItem = z.infer<typeof FamilyListItem>;
export type MemberView = z.infer<typeof MemberView>;
export type ChildView = z.infer<typeof ChildView>;
export type SpecialAssistanceView = z.infer<typeof SpecialAssistanceView>;
export type AssistanceView = z.infer<typeof AssistanceView>;
export type FamilyDetail = z.infer<typeof FamilyDetail>;
export type HistoryEntry = z.infer<typeof HistoryEntry>;
export type FamilyStats = z.infer<typeof FamilyStats>;
/** The list filters as a client sends them (booleans as 'true' | 'false'). */
export type FamilyListQuery = z.input<typeof FamilyListFilters>;
