/**
 * The other direction of families.views.ts: what a request's fields become in the archive's columns. Pure
 * mappings (the crypto provider seals the personal values), so creation, the patch and the import write the
 * same columns from the same fields.
 */
import { randomUUID } from 'node:crypto';
import { maskIdNumber, maskPersonal, type MaskAudience } from '../../../common/mask.js';
import type { ChildInput, FamilyCreate, FamilyPatch, MemberInput } from '../../../common/schemas/families.js';
import { parseIdNumber } from '../../../common/validators/id-number.js';
import { parsePhone } from '../../../common/validators/phone.js';
import type { CryptoProvider } from '../../platform/crypto/crypto-provider.js';
import { sealIdNumber, sealPhone } from '../../platform/crypto/sealed-fields.js';
import type { FamilyChildTable, FamilyMemberTable, FamilyTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';

/** Stored masks are the history's: the shortest form, whoever reads them later. */
const HISTORY_AUDIENCE: MaskAudience = { canReveal: false };

export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function sealMemberIdNumber(crypto: CryptoProvider, memberId: string, idNumber: string) {
  return sealIdNumber(crypto, `family_members:${memberId}:id_number`, idNumber);
}

export function sealMemberPhone(crypto: CryptoProvider, memberId: string, phone: string | null | undefined) {
  const parsed = phone ? parsePhone(phone) : null;
  return sealPhone(crypto, `family_members:${memberId}:phone`, parsed?.ok ? parsed.value : null);
}

/** A new member's row; the ID number must parse (its sex and birth date are read from it). */
export function memberRow(
  crypto: CryptoProvider,
  familyId: string,
  position: number,
  m: MemberInput,
): FamilyMemberTable {
  const id = randomUUID();
  const parsed = parseIdNumber(m.idNumber);
  if (!parsed.ok) throw AppError.field(`members.${position}.idNumber`, parsed.message, parsed.code);
  return {
    id,
    family_id: familyId,
    position,
    relation: m.relation,
    name: m.name,
    ...sealMemberIdNumber(crypto, id, parsed.value),
    ...sealMemberPhone(crypto, id, m.phone),
    sex: parsed.sex,
    birth_date: parsed.birthDate,
    ethnicity: m.ethnicity ?? null,
    education: m.education ?? null,
    marital_status: m.maritalStatus ?? null,
    health: m.health ?? null,
    self_care: m.selfCare ?? null,
    mental_state: m.mentalState ?? null,
    pension_insurance: m.pensionInsurance ?? null,
    medical_insurance: m.medicalInsurance ?? null,
    is_deceased: m.isDeceased || m.deathDate ? 1 : 0,
    death_date: m.deathDate ?? null,
    extra: json(m.extra),
  };
}

/** The child's columns for the fields given (a patch names some, creation all). */
export function childColumns(
  crypto: CryptoProvider,
  familyId: string,
  c: Partial<ChildInput>,
): Partial<FamilyChildTable> {
  const set: Partial<FamilyChildTable> = {};
  if (c.name !== undefined) set.name = c.name ?? null;
  if (c.relation !== undefined) set.relation = c.relation ?? null;
  if (c.sex !== undefined) set.sex = c.sex;
  if (c.birthDate !== undefined) set.birth_date = c.birthDate;
  if (c.deathDate !== undefined) set.death_date = c.deathDate ?? null;
  if (c.deathCause !== undefined) set.death_cause = c.deathCause ?? null;
  if (c.disabilityCategory !== undefined) set.disability_category = c.disabilityCategory ?? null;
  if (c.disabilityGrade !== undefined) set.disability_grade = c.disabilityGrade ?? null;
  if (c.isRecovered !== undefined) set.is_recovered = c.isRecovered === null ? null : c.isRecovered ? 1 : 0;
  if (c.extra !== undefined) set.extra = json(c.extra);
  if (c.idNumber !== undefined) {
    set.id_number_enc = c.idNumber ? crypto.encrypt(c.idNumber, `family_children:${familyId}:id_number`) : null;
    set.id_number_mask = c.idNumber ? maskIdNumber(c.idNumber) : null;
  }
  if (c.disabilityCertNo !== undefined) {
    set.disability_cert_enc = c.disabilityCertNo
      ? crypto.encrypt(c.disabilityCertNo, `family_children:${familyId}:disability_cert`)
      : null;
    set.disability_cert_mask = c.disabilityCertNo
      ? maskPersonal('disabilityCertNo', c.disabilityCertNo, HISTORY_AUDIENCE)
      : null;
  }
  return set;
}

/** A new archive's family row (eligible_from is computed after, from its members and child). */
export function newFamilyRow(
  id: string,
  input: FamilyCreate,
  serial: number,
  at: { now: string; today: string },
): FamilyTable {
  return {
    id,
    archive_no: `TS${input.regionCode}${String(serial).padStart(4, '0')}`,
    family_type: input.familyType,
    region_code: input.regionCode,
    address: input.address,
    current_address: input.currentAddress ?? null,
    household_status: input.householdStatus ?? null,
    living_situation: input.livingSituation ?? null,
    economic_situation: input.economicSituation ?? null,
    annual_income: input.annualIncome ?? null,
    housing_situation: input.housingSituation ?? null,
    honor_certificate_no: input.honorCertificateNo ?? null,
    is_special_difficulty: input.isSpecialDifficulty ? 1 : 0,
    status: 'active',
    status_reason: null,
    status_date: null,
    status_note: null,
    entered_at: input.enteredAt ?? at.today,
    eligible_from: null,
    extra: json(input.extra),
    created_at: at.now,
    updated_at: at.now,
    version: 1,
  };
}

/** A new archive's child row: every column, the given ones from the input. */
export function newChildRow(crypto: CryptoProvider, familyId: string, child: ChildInput): FamilyChildTable {
  return {
    family_id: familyId,
    name: null,
    relation: null,
    sex: child.sex,
    birth_date: child.birthDate,
    id_number_enc: null,
    id_number_mask: null,
    death_date: null,
    death_cause: null,
    disability_cert_enc: null,
    disability_cert_mask: null,
    disability_category: null,
    disability_grade: null,
    is_recovered: null,
    extra: null,
    ...childColumns(crypto, familyId, child),
  } as FamilyChildTable;
}

/** The archive's own fields a patch may name, and their columns (written as given, null clears). */
export const FAMILY_PATCH_COLUMNS: ReadonlyArray<[keyof FamilyPatch, keyof FamilyTable]> = [
  ['familyType', 'family_type'],
  ['regionCode', 'region_code'],
  ['address', 'address'],
  ['currentAddress', 'current_address'],
  ['householdStatus', 'household_status'],
  ['livingSituation', 'living_situation'],
  ['economicSituation', 'economic_situation'],
  ['annualIncome', 'annual_income'],
  ['housingSituation', 'housing_situation'],
  ['honorCertificateNo', 'honor_certificate_no'],
  ['enteredAt', 'entered_at'],
];

/** A member's plain fields a patch may name, and their columns. */
export const MEMBER_PATCH_COLUMNS: ReadonlyArray<[keyof MemberInput, keyof FamilyMemberTable]> = [
  ['ethnicity', 'ethnicity'],
  ['education', 'education'],
  ['maritalStatus', 'marital_status'],
  ['health', 'health'],
  ['selfCare', 'self_care'],
  ['mentalState', 'mental_state'],
  ['pensionInsurance', 'pension_insurance'],
  ['medicalInsurance', 'medical_insurance'],
  ['deathDate', 'death_date'],
];
