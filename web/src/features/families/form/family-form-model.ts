import type { FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs, { type Dayjs } from 'dayjs';
import type { ZodType } from 'zod';
import { familyProblems, type FamilyShape, type Problem } from '../../../../../common/schemas/families';
import type {
  ChildInput,
  FamilyDetail,
  FamilyInput,
  FamilyType,
  MemberInput,
  Relation,
  Sex,
} from '../../../api/families';

/**
 * The create/edit form's values, the API payload built from them, and the shared rules (common/) that
 * check them in the browser exactly as the server will.
 */

export const RELATIONS: readonly Relation[] = ['mother', 'father'];

export interface MemberValues {
  name?: string;
  idNumber?: string;
  phone?: string;
  ethnicity?: string | null;
  education?: string | null;
  maritalStatus?: string | null;
  health?: string | null;
  selfCare?: string | null;
  mentalState?: string | null;
  pensionInsurance?: string | null;
  medicalInsurance?: string | null;
  isDeceased?: boolean;
  deathDate?: Dayjs | null;
}

export interface ChildValues {
  name?: string;
  relation?: string | null;
  sex?: Sex;
  birthDate?: Dayjs | null;
  idNumber?: string;
  deathDate?: Dayjs | null;
  deathCause?: string | null;
  disabilityCertNo?: string;
  disabilityCategory?: string | null;
  disabilityGrade?: number | null;
  isRecovered?: boolean | null;
}

export interface FamilyFormValues {
  familyType: FamilyType;
  regionCode?: string;
  address?: string;
  currentAddress?: string;
  householdStatus?: string | null;
  livingSituation?: string | null;
  economicSituation?: string | null;
  annualIncome?: number | null;
  housingSituation?: string | null;
  honorCertificateNo?: string;
  isSpecialDifficulty?: boolean;
  enteredAt?: Dayjs | null;
  hasMother: boolean;
  hasFather: boolean;
  mother: MemberValues;
  father: MemberValues;
  child: ChildValues;
}

const hasKey = (relation: Relation) => (relation === 'mother' ? 'hasMother' : 'hasFather');
const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);
const trimmed = (s: string | undefined) => s?.trim() || undefined;
/** An emptied optional field is sent as null (cleared), not left out (unchanged). */
const orNull = <T>(v: T | undefined | null) => (v === undefined || v === '' ? null : v);

export function relationsIn(values: Pick<FamilyFormValues, 'hasMother' | 'hasFather'>): Relation[] {
  return RELATIONS.filter((r) => values[hasKey(r)]);
}

export function emptyValues(regionCode?: string): FamilyFormValues {
  return {
    familyType: 'bereaved',
    regionCode,
    isSpecialDifficulty: false,
    enteredAt: dayjs(),
    hasMother: true,
    hasFather: true,
    mother: { ethnicity: '01', isDeceased: false },
    father: { ethnicity: '01', isDeceased: false },
    child: {},
  };
}

/** Values for editing: sensitive numbers stay empty (typing one replaces it; empty keeps the stored one). */
export function valuesOf(family: FamilyDetail): FamilyFormValues {
  const member = (relation: Relation): MemberValues => {
    const m = family.members.find((x) => x.relation === relation);
    if (!m) return { ethnicity: '01', isDeceased: false };
    return {
      name: m.name,
      ethnicity: m.ethnicity,
      education: m.education,
      maritalStatus: m.maritalStatus,
      health: m.health,
      selfCare: m.selfCare,
      mentalState: m.mentalState,
      pensionInsurance: m.pensionInsurance,
      medicalInsurance: m.medicalInsurance,
      isDeceased: m.isDeceased,
      deathDate: m.deathDate ? dayjs(m.deathDate) : null,
    };
  };
  const c = family.child;
  return {
    familyType: family.familyType,
    regionCode: family.regionCode,
    address: family.address,
    currentAddress: family.currentAddress ?? undefined,
    householdStatus: family.householdStatus,
    livingSituation: family.livingSituation,
    economicSituation: family.economicSituation,
    annualIncome: family.annualIncome,
    housingSituation: family.housingSituation,
    honorCertificateNo: family.honorCertificateNo ?? undefined,
    isSpecialDifficulty: family.isSpecialDifficulty,
    enteredAt: dayjs(family.enteredAt),
    hasMother: family.members.some((m) => m.relation === 'mother'),
    hasFather: family.members.some((m) => m.relation === 'father'),
    mother: member('mother'),
    father: member('father'),
    child: {
      name: c.name ?? undefined,
      relation: c.relation,
      sex: c.sex,
      birthDate: dayjs(c.birthDate),
      deathDate: c.deathDate ? dayjs(c.deathDate) : null,
      deathCause: c.deathCause,
      disabilityCategory: c.disabilityCategory,
      disabilityGrade: c.disabilityGrade,
      isRecovered: c.isRecovered,
    },
  };
}

function memberPayload(relation: Relation, m: MemberValues, isNew: boolean): MemberInput {
  const deceased = !!m.isDeceased;
  const input: MemberInput = {
    relation,
    name: trimmed(m.name) ?? '',
    ethnicity: orNull(m.ethnicity),
    education: orNull(m.education),
    maritalStatus: orNull(m.maritalStatus),
    health: orNull(m.health),
    selfCare: orNull(m.selfCare),
    mentalState: orNull(m.mentalState),
    pensionInsurance: orNull(m.pensionInsurance),
    medicalInsurance: orNull(m.medicalInsurance),
    isDeceased: deceased,
    deathDate: deceased ? (day(m.deathDate) ?? null) : null,
  };
  const idNumber = trimmed(m.idNumber);
  if (idNumber || isNew) input.idNumber = idNumber ?? '';
  const phone = trimmed(m.phone);
  if (phone) input.phone = phone;
  return input;
}

function childPayload(familyType: FamilyType, c: ChildValues, isEdit: boolean): ChildInput {
  const bereaved = familyType === 'bereaved';
  const input: ChildInput = {
    name: orNull(trimmed(c.name)),
    relation: orNull(c.relation),
    sex: c.sex,
    birthDate: day(c.birthDate),
    deathDate: bereaved ? (day(c.deathDate) ?? null) : null,
    deathCause: bereaved ? orNull(c.deathCause) : null,
    disabilityCategory: bereaved ? null : orNull(c.disabilityCategory),
    disabilityGrade: bereaved ? null : orNull(c.disabilityGrade),
    isRecovered: bereaved ? null : orNull(c.isRecovered),
  };
  const idNumber = trimmed(c.idNumber);
  if (idNumber) input.idNumber = idNumber;
  else if (!isEdit) input.idNumber = null;
  const cert = trimmed(c.disabilityCertNo);
  if (cert && !bereaved) input.disabilityCertNo = cert;
  else if (bereaved && isEdit) input.disabilityCertNo = null;
  return input;
}

/**
 * The request body. `existing` is the archive being edited: then only typed sensitive numbers are sent,
 * and a parent the archive has is sent even if the box was unticked (a parent cannot be removed).
 */
export function toPayload(values: FamilyFormValues, existing?: FamilyDetail): FamilyInput {
  const stored = new Set(existing?.members.map((m) => m.relation));
  const members = relationsIn(values).map((r) => memberPayload(r, values[r], !stored.has(r)));
  const payload: FamilyInput = {
    familyType: values.familyType,
    regionCode: values.regionCode,
    address: trimmed(values.address) ?? '',
    currentAddress: orNull(trimmed(values.currentAddress)),
    householdStatus: orNull(values.householdStatus),
    livingSituation: orNull(values.livingSituation),
    economicSituation: orNull(values.economicSituation),
    annualIncome: orNull(values.annualIncome),
    housingSituation: orNull(values.housingSituation),
    honorCertificateNo: orNull(trimmed(values.honorCertificateNo)),
    isSpecialDifficulty: !!values.isSpecialDifficulty,
    enteredAt: day(values.enteredAt),
    members,
    child: childPayload(values.familyType, values.child ?? {}, !!existing),
  };
  if (!existing) {
    // A new archive: null means nothing here, so leave empty optional fields out.
    for (const key of Object.keys(payload) as Array<keyof FamilyInput>) if (payload[key] === null) delete payload[key];
    for (const m of members)
      for (const key of Object.keys(m) as Array<keyof MemberInput>) if (m[key] === null) delete m[key];
    const child = payload.child!;
    for (const key of Object.keys(child) as Array<keyof ChildInput>) if (child[key] === null) delete child[key];
  }
  return payload;
}

/** Today in China, as the server counts it. */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The shape `familyProblems` checks, from the form as it is now (numbers not typed are unknown: ''). */
export function shapeOf(values: FamilyFormValues, existing?: FamilyDetail): FamilyShape {
  const payload = toPayload(values, existing);
  return {
    familyType: payload.familyType ?? 'bereaved',
    enteredAt: payload.enteredAt,
    members: (payload.members ?? []).map((m) => ({
      relation: m.relation,
      idNumber: m.idNumber ?? '',
      isDeceased: m.isDeceased,
      deathDate: m.deathDate,
    })),
    child: {
      birthDate: payload.child?.birthDate ?? '',
      deathDate: payload.child?.deathDate,
      disabilityGrade: payload.child?.disabilityGrade,
      disabilityCertNo: payload.child?.disabilityCertNo ?? null,
      idNumber: payload.child?.idNumber ?? null,
      sex: payload.child?.sex ?? 'male',
    },
  };
}

type FormName = Array<string | number>;

// Fields derived from the ID number have no input of their own: their errors belong to the ID field.
const MEMBER_FIELD_FOR: Record<string, string> = { sex: 'idNumber', birthDate: 'idNumber', relation: 'name' };

/** `members.0.idNumber` → ['mother', 'idNumber'] for the members in the order they were sent. */
export function formNameOf(path: string, relations: readonly Relation[]): FormName | null {
  const parts = path.split('.');
  if (parts[0] === 'members') {
    if (parts.length < 3) return null;
    const relation = relations[Number(parts[1])];
    if (!relation) return null;
    return [relation, MEMBER_FIELD_FOR[parts[2]] ?? parts[2]];
  }
  if (parts[0] === 'child') return parts.length >= 2 ? ['child', parts[1]] : null;
  if (parts[0] === 'version' || parts[0] === '') return null;
  return [parts[0]];
}

export interface PathMessage {
  path: string;
  message: string;
}

/**
 * Puts each message on its field; returns the ones that belong to no field (for an Alert above the form)
 * and the first field, to scroll to.
 */
export function placeErrors(
  form: FormInstance<FamilyFormValues>,
  messages: readonly PathMessage[],
  relations: readonly Relation[],
): { unplaced: string[]; first: FormName | null } {
  const byField = new Map<string, { name: FormName; errors: string[] }>();
  const unplaced: string[] = [];
  for (const { path, message } of messages) {
    const name = formNameOf(path, relations);
    if (!name) {
      unplaced.push(message);
      continue;
    }
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    if (!entry.errors.includes(message)) entry.errors.push(message);
    byField.set(key, entry);
  }
  const fields = [...byField.values()];
  form.setFields(fields.map(({ name, errors }) => ({ name, errors })) as Parameters<typeof form.setFields>[0]);
  return { unplaced, first: fields[0]?.name ?? null };
}

/** Everything the server would refuse: the shared Zod schema's issues, then the shared cross-field rules. */
export function checkPayload(
  schema: ZodType,
  payload: FamilyInput & { version?: number },
  shape: FamilyShape,
): PathMessage[] {
  const messages: PathMessage[] = [];
  const parsed = schema.safeParse(payload);
  if (!parsed.success)
    for (const issue of parsed.error.issues) messages.push({ path: issue.path.join('.'), message: issue.message });
  for (const p of familyProblems(shape, chinaToday())) messages.push({ path: p.path, message: p.message });
  return messages;
}

/** An antd rule running one shared Zod schema on a single value (ID number, phone, certificate number). */
export function zodRule(schema: ZodType): Rule {
  return {
    validator: async (_, value: unknown) => {
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return;
      const result = schema.safeParse(value);
      if (!result.success) throw new Error(result.error.issues[0]?.message ?? '格式不正确');
    },
  };
}

/**
 * An antd rule that reports the shared cross-field problems (`familyProblems`) belonging to one payload path,
 * e.g. a mother whose ID number says male, or a death date before the birth date.
 */
export function problemRule(
  form: FormInstance<FamilyFormValues>,
  payloadPath: (relations: readonly Relation[]) => string | null,
  existing?: FamilyDetail,
): Rule {
  return {
    validator: async () => {
      const values = form.getFieldsValue(true) as FamilyFormValues;
      const path = payloadPath(relationsIn(values));
      if (!path) return;
      let problems: Problem[];
      try {
        problems = familyProblems(shapeOf(values, existing), chinaToday());
      } catch {
        return;
      }
      const mine = problems.filter((p) => p.path === path);
      if (mine.length > 0) throw new Error(mine[0].message);
    },
  };
}

export const memberPath = (relation: Relation, field: string) => (relations: readonly Relation[]) => {
  const index = relations.indexOf(relation);
  return index < 0 ? null : `members.${index}.${field}`;
};
export const fixedPath = (path: string) => () => path;
