import { maskChanges, maskIdNumber, maskOptional, maskPersonal, type MaskAudience } from '../../../common/mask.js';
import type { FamilyStatus, FamilyType } from '../../../common/schemas/families.js';
import type {
  FamilyAssistanceTable,
  FamilyChildTable,
  FamilyHistoryTable,
  FamilyMemberTable,
} from '../../platform/db/schema.js';
import type { FamilyRow } from './families.repository.js';
import type { AssistanceResult } from './special-assistance.js';

/**
 * What leaves the server about a family: sensitive values only ever masked, as `common/mask.ts` says for
 * the viewer (`audience`: whether their role may reveal). Stored masks are masked again, so a row written
 * under an older, longer mask leaves under the current one.
 */
export function memberView(m: FamilyMemberTable, audience: MaskAudience) {
  return {
    id: m.id,
    relation: m.relation as 'father' | 'mother',
    name: m.name,
    idNumber: maskIdNumber(m.id_number_mask),
    sex: m.sex as 'male' | 'female',
    birthDate: maskPersonal('birthDate', m.birth_date, audience),
    phone: maskOptional('phone', m.phone_mask, audience),
    ethnicity: m.ethnicity,
    education: m.education,
    maritalStatus: m.marital_status,
    health: m.health,
    selfCare: m.self_care,
    mentalState: m.mental_state,
    pensionInsurance: m.pension_insurance,
    medicalInsurance: m.medical_insurance,
    isDeceased: m.is_deceased === 1,
    deathDate: m.death_date,
    extra: parseExtra(m.extra),
  };
}

export function childView(c: FamilyChildTable, audience: MaskAudience) {
  return {
    name: c.name,
    relation: c.relation,
    sex: c.sex as 'male' | 'female',
    birthDate: maskPersonal('birthDate', c.birth_date, audience),
    idNumber: maskOptional('idNumber', c.id_number_mask, audience),
    deathDate: c.death_date,
    deathCause: c.death_cause,
    disabilityCertNo: maskOptional('disabilityCertNo', c.disability_cert_mask, audience),
    disabilityCategory: c.disability_category,
    disabilityGrade: c.disability_grade,
    isRecovered: c.is_recovered === null ? null : c.is_recovered === 1,
    extra: parseExtra(c.extra),
  };
}

export function parseExtra(text: string | null): Record<string, string | number | boolean | null> | null {
  return text ? (JSON.parse(text) as Record<string, string | number | boolean | null>) : null;
}

export function familyCore(f: FamilyRow, audience: MaskAudience) {
  return {
    id: f.id,
    archiveNo: f.archive_no,
    familyType: f.family_type as FamilyType,
    regionCode: f.region_code,
    regionName: f.region_name,
    address: f.address,
    currentAddress: f.current_address,
    householdStatus: f.household_status,
    livingSituation: f.living_situation,
    economicSituation: f.economic_situation,
    annualIncome: f.annual_income,
    housingSituation: f.housing_situation,
    honorCertificateNo: f.honor_certificate_no,
    isSpecialDifficulty: f.is_special_difficulty === 1,
    status: f.status as FamilyStatus,
    statusReason: f.status_reason,
    statusDate: f.status_date,
    statusNote: f.status_note,
    enteredAt: f.entered_at,
    eligibleFrom: maskOptional('eligibleFrom', f.eligible_from, audience),
    extra: parseExtra(f.extra),
    createdAt: f.created_at,
    updatedAt: f.updated_at,
    version: f.version,
  };
}

export function listItemView(
  f: FamilyRow,
  members: FamilyMemberTable[],
  child: FamilyChildTable | undefined,
  audience: MaskAudience,
) {
  return {
    ...familyCore(f, audience),
    members: members.map((m) => ({
      relation: m.relation as 'father' | 'mother',
      name: m.name,
      idNumber: maskIdNumber(m.id_number_mask),
      phone: maskOptional('phone', m.phone_mask, audience),
      isDeceased: m.is_deceased === 1,
    })),
    childName: child?.name ?? null,
  };
}

export function assistanceView(a: FamilyAssistanceTable) {
  return {
    id: a.id,
    item: a.item,
    periodFrom: a.period_from,
    periodTo: a.period_to,
    amount: a.amount_cents / 100,
    source: a.source,
    note: a.note,
    createdAt: a.created_at,
  };
}

/** History is written masked for everyone (`maskChanges`); older entries are masked again as they are read. */
export function historyView(h: FamilyHistoryTable, audience: MaskAudience) {
  return {
    id: h.id,
    occurredAt: h.occurred_at,
    actorName: h.actor_name,
    action: h.action,
    changes: maskChanges(JSON.parse(h.changes) as Record<string, [unknown, unknown]>, audience),
  };
}

export interface FamilyAbilities {
  update: boolean;
  changeStatus: boolean;
  addAssistance: boolean;
  reveal: boolean;
}

export function familyView(
  f: FamilyRow,
  members: FamilyMemberTable[],
  child: FamilyChildTable,
  assistance: FamilyAssistanceTable[],
  specialAssistance: AssistanceResult,
  abilities: FamilyAbilities,
) {
  const audience = { canReveal: abilities.reveal };
  return {
    ...familyCore(f, audience),
    members: members.map((m) => memberView(m, audience)),
    child: childView(child, audience),
    assistance: assistance.map(assistanceView),
    specialAssistance: {
      ...specialAssistance,
      eligibleFrom: maskOptional('eligibleFrom', specialAssistance.eligibleFrom, audience),
    },
    abilities,
  };
}
export type FamilyView = ReturnType<typeof familyView>;

/** Flattens a view into path → value, so history can say which fields changed from what to what. */
export function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}

const NOT_HISTORY = new Set(['version', 'updatedAt', 'createdAt', 'regionName', 'id', 'eligibleFrom']);

export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (NOT_HISTORY.has(key.slice(key.lastIndexOf('.') + 1))) continue;
    const a = before[key] ?? null;
    const b = after[key] ?? null;
    if (!sameJson(a, b)) changes[key] = [a, b];
  }
  return changes;
}

/** A value JSON writes as itself, so two of them differ exactly when they are not `===`. */
function isPlain(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || Number.isFinite(v);
}

/** Whether two values serialise alike; without serialising them in the usual cases (the import's hot path). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isPlain(a) && isPlain(b)) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
