import { maskIdNumber, maskPhone } from '../../../common/mask.js';
import type { AuditFact, AuditFieldChange, AuditValue } from '../../../common/schemas/audit.js';
import type { CryptoProvider } from '../crypto/crypto-provider.js';

/**
 * Turning what a service changed into what an audit row may hold (common/schemas/audit.ts): codes in clear,
 * ID and phone numbers as masks (always through common/mask.ts, so they never show more than a list does),
 * everything else personal as a keyed digest.
 */

/** Blind-index domain of audit digests: one for every field, so a verifier can match a value wherever it sits. */
const DIGEST_KIND = 'audit-digest/v1';

/** Fields whose values are codes, flags, counts or work dates — never a person's name, address, birth or cause. */
const CLEAR_FIELDS = new Set([
  'familyType',
  'regionCode',
  'status',
  'statusReason',
  'statusDate',
  'householdStatus',
  'livingSituation',
  'economicSituation',
  'housingSituation',
  'isSpecialDifficulty',
  'enteredAt',
  'eligibleFrom',
  'relation',
  'sex',
  'ethnicity',
  'education',
  'maritalStatus',
  'health',
  'selfCare',
  'mentalState',
  'pensionInsurance',
  'medicalInsurance',
  'isDeceased',
  'disabilityGrade',
  'disabilityKind',
  'item',
  'amount',
  'role',
  'isDisabled',
  'isActive',
  'post',
  'mode',
  'direction',
  'department',
  'category',
  'deadline',
  'level',
  'kind',
  'archiveNo',
  'version',
  'username',
]);

const ID_FIELD = /idNumber/i;
const PHONE_FIELD = /phone/i;

/** A clear value may only be a short code: no CJK text, nothing shaped like an ID or mobile number. */
const CODE = /^[A-Za-z0-9_.:@+*\-/ ]{0,64}$/;
const ID_LIKE = /(?<!\d)(\d{15}|\d{17}[\dXx])(?!\d)/;
const MOBILE_LIKE = /(?<!\d)1\d{10}(?!\d)/;

export function isSafeCode(value: string): boolean {
  return CODE.test(value) && !ID_LIKE.test(value) && !MOBILE_LIKE.test(value);
}

function digestText(value: unknown): string {
  const text = typeof value === 'string' ? value.normalize('NFC').trim() : JSON.stringify(value);
  return text === '' ? '∅' : text;
}

export function auditDigest(crypto: CryptoProvider, value: unknown): string {
  return crypto.blindIndex(DIGEST_KIND, digestText(value)).slice(0, 32);
}

/**
 * "Was it this value?" for a digest in an audit row made under key version `keyVersion` (the row's
 * `key_version`): rows are never re-written, so one from before a master-key rotation is checked under the
 * retired version's index key (platform/rekey).
 */
export function auditDigestAt(crypto: CryptoProvider, value: unknown, keyVersion: number): string {
  return crypto.blindIndexAt(DIGEST_KIND, digestText(value), keyVersion).slice(0, 32);
}

function leafName(path: string): string {
  const parts = path.split('.');
  return parts[parts.length - 1] ?? path;
}

/** One stored value of a field, by what the field is. */
export function auditValue(crypto: CryptoProvider, path: string, value: unknown): AuditValue {
  if (value === null || value === undefined || value === '') return null;
  const leaf = leafName(path);
  if (ID_FIELD.test(leaf)) return { mask: maskIdNumber(String(value)) };
  if (PHONE_FIELD.test(leaf)) return { mask: maskPhone(String(value)) };
  if (!path.startsWith('extra.') && !path.includes('.extra.') && CLEAR_FIELDS.has(leaf)) {
    if (typeof value === 'number' || typeof value === 'boolean') return { value };
    if (typeof value === 'string' && isSafeCode(value)) return { value };
  }
  return { digest: auditDigest(crypto, value) };
}

/** A diff `{ path: [before, after] }` as field changes. */
export function fieldChanges(
  crypto: CryptoProvider,
  diff: Record<string, readonly [unknown, unknown]>,
): AuditFieldChange[] {
  return Object.entries(diff).map(([path, [before, after]]) => ({
    path: path.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 120),
    before: auditValue(crypto, path, before),
    after: auditValue(crypto, path, after),
  }));
}

/** A fact as stored: numbers, flags and codes in clear, any other text digested. */
export function auditFact(crypto: CryptoProvider, key: string, value: unknown): AuditFact {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (ID_FIELD.test(key)) return { mask: maskIdNumber(String(value)) };
  if (PHONE_FIELD.test(key)) return { mask: maskPhone(String(value)) };
  if (typeof value === 'string') return isSafeCode(value) ? value : { digest: auditDigest(crypto, value) };
  if (
    Array.isArray(value) &&
    value.every(
      (v) => v === null || typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && isSafeCode(v)),
    )
  )
    return value as Array<string | number | boolean | null>;
  return { digest: auditDigest(crypto, value) };
}

/** Facts as stored; a nested object (a pending change) is flattened to `pending.role` keys, two levels deep. */
export function auditFacts(
  crypto: CryptoProvider,
  facts: Record<string, unknown>,
  prefix = '',
  out: Record<string, AuditFact> = {},
): Record<string, AuditFact> {
  for (const [rawKey, value] of Object.entries(facts)) {
    if (value === undefined) continue;
    const key = prefix + rawKey.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && prefix.split('.').length < 3)
      auditFacts(crypto, value as Record<string, unknown>, `${key}.`, out);
    else out[key] = auditFact(crypto, rawKey, value);
  }
  return out;
}
