/**
 * Masks for personal values in every view, list, history, export and audit row (DESIGN.md §6,
 * issue 10 item 1). The full value is only shown through the audited reveal. `maskPersonal` is the one
 * rule; `maskIdNumber`, `maskPhone` and `maskChanges` are its named uses, so every module (the audit log
 * included) masks the same way.
 *
 * Why the ID number shows so little. A 公民身份号码 is 6 area digits (the family's county is a good
 * guess), 8 birth-date digits, 3 sequence digits (the 17th odd for a man, even for a woman) and a
 * check character computed from the other 17. The old mask (`420***********122X`) beside a full birth
 * date left about 90 candidates, and the county code picked the one. The rule now:
 *   - ID number: the first 3 characters only (`420***************`). Given the area and the sex, each
 *     birth day leaves 500 sequence codes, and the check character adds nothing the attacker lacked.
 *   - birth date: in full only to a role that may reveal (`family.reveal`); to any other role the
 *     year only (`1965`): 365 days × 500 ≈ 182,500 candidates.
 *   - 特别扶助 start date (the mother's 49th birthday, so it *is* her birth date): in full to a role
 *     that may reveal, else the month (`2014-05`): at least 28 days × 500 = 14,000 candidates.
 *   - disability certificate number (the ID number + category + grade): the ID part as above, the last
 *     two digits (shown in clear elsewhere anyway) kept.
 * A role that may reveal sees the full birth date: it could reveal the number anyway, and each reveal
 * is audited; the 3-character mask keeps even its guess at 500 candidates.
 *   - mobile: first 3 and last 4 visible (`138****0000`).
 *   - landline: the area code (it is public: it names a city) and the last 4 digits of an
 *     8-digit local number or the last 3 of a 7-digit one, so at most half of the local number
 *     shows (`027-****5678`, `0710-****567`); an extension is fully hidden (`-***`).
 *   - anything that does not parse: everything hidden except the last 2 characters (or all of
 *     it when 4 characters or fewer), so a malformed legacy value never leaks in full.
 * Every mask is idempotent and accepts an already-masked value (an older, longer mask stored in a row
 * or a history entry is narrowed to the current rule). Nullish values mask to '' so list code does not
 * need a branch.
 */
import { parsePhone } from './validators/phone.js';

/** The kinds of personal value that are masked, named as the views and history entries name them. */
export const MASKED_FIELDS = ['idNumber', 'disabilityCertNo', 'phone', 'birthDate', 'eligibleFrom'] as const;
export type MaskedField = (typeof MASKED_FIELDS)[number];

/** What the viewer may see: `canReveal` is the `family.reveal` permission of their role. */
export interface MaskAudience {
  canReveal: boolean;
}

/** The one masking rule: `value` of kind `field` as `audience` may see it without a reveal. */
export function maskPersonal(field: MaskedField, value: string | null | undefined, audience: MaskAudience): string {
  if (value == null) return '';
  switch (field) {
    case 'idNumber':
      return maskId(value);
    case 'disabilityCertNo': {
      const v = value.trim().toUpperCase();
      return v.length > 18 ? `${maskId(v.slice(0, 18))}${v.slice(18)}` : maskId(v);
    }
    case 'phone':
      return maskPhoneNumber(value);
    case 'birthDate':
      return audience.canReveal ? value : value.slice(0, 4);
    case 'eligibleFrom':
      return audience.canReveal ? value : value.slice(0, 7);
  }
}

/** The masked ID number: the same for every audience (a reveal is the only way to more). */
export function maskIdNumber(idNumber: string | null | undefined): string {
  return maskPersonal('idNumber', idNumber, { canReveal: false });
}

export function maskPhone(phone: string | null | undefined): string {
  return maskPersonal('phone', phone, { canReveal: false });
}

/** Like `maskPersonal`, but null stays null (optional columns). */
export function maskOptional(
  field: MaskedField,
  value: string | null | undefined,
  audience: MaskAudience,
): string | null {
  return value == null ? null : maskPersonal(field, value, audience);
}

const isMaskedField = (key: string): key is MaskedField => (MASKED_FIELDS as readonly string[]).includes(key);

/**
 * A change set (`{ 'members.mother.birthDate': [before, after], … }`, as history and audit rows hold it)
 * with every personal value masked: a key whose last segment names a masked field has both sides masked.
 */
export function maskChanges<T>(changes: Record<string, T>, audience: MaskAudience): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(changes)) {
    const field = key.slice(key.lastIndexOf('.') + 1);
    if (!isMaskedField(field)) out[key] = value;
    else if (Array.isArray(value))
      out[key] = value.map((v) => (typeof v === 'string' ? maskPersonal(field, v, audience) : v)) as T;
    else out[key] = (typeof value === 'string' ? maskPersonal(field, value, audience) : value) as T;
  }
  return out;
}

function maskId(idNumber: string): string {
  const v = idNumber.trim().toUpperCase();
  if (v.length < 8) return '*'.repeat(v.length);
  return v.slice(0, 3) + '*'.repeat(v.length - 3);
}

function maskPhoneNumber(phone: string): string {
  const parsed = parsePhone(phone);
  if (!parsed.ok) return maskUnknown(phone.trim());
  const v = parsed.value;
  if (parsed.kind === 'mobile') return `${v.slice(0, 3)}****${v.slice(7)}`;

  const [area, local, ext] = v.split('-');
  const visible = local.length === 8 ? 4 : 3;
  const masked = `${area}-${'*'.repeat(local.length - visible)}${local.slice(-visible)}`;
  return ext ? `${masked}-${'*'.repeat(ext.length)}` : masked;
}

function maskUnknown(v: string): string {
  if (/^\d{3}\*{4}\d{4}$|^0\d{2,3}-\*{3,4}\d{3,4}(-\*+)?$/.test(v)) return v; // already masked: idempotent
  const chars = Array.from(v); // by code point, so a masked value never splits a character
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - 2) + chars.slice(-2).join('');
}

/** A person's name as pushed text may carry it: the surname and the last character (张秀英 → 张某英, 李明 → 李某). */
export function maskName(name: string | null | undefined): string {
  if (name == null) return '';
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '某';
  if (chars.length === 2) return `${chars[0]}某`;
  return chars[0] + '某'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/**
 * Text that leaves the platform (an SMS, a WeCom message) never carries an ID or phone number: anything
 * shaped like one is masked here, whatever the caller forgot.
 */
export function scrubPushText(text: string): string {
  return text
    .replace(/(?<!\d)\d{17}[\dXx](?!\d)/g, (m) => maskIdNumber(m))
    .replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => maskPhone(m));
}
