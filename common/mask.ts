/**
 * Masks for ID and phone numbers in lists, exports and logs (DESIGN.md §6). The full value is
 * only shown through the audited reveal.
 *
 * There is no binding national masking rule (security-checklist §8.3); the patterns below are
 * the ones Chinese government and bank systems commonly show, so cadres recognise them:
 *   - ID number: first 3 and last 4 visible (`420***********122X`): the province/city hint and
 *     the tail are enough to tell family members apart on a list; the county, the birth date and
 *     the sequence number stay hidden.
 *   - mobile: first 3 and last 4 visible (`138****0000`).
 *   - landline: the area code (it is public: it names a city) and the last 4 digits of an
 *     8-digit local number or the last 3 of a 7-digit one, so at most half of the local number
 *     shows (`027-****5678`, `0710-****567`); an extension is fully hidden (`-***`).
 *   - anything that does not parse: everything hidden except the last 2 characters (or all of
 *     it when 4 characters or fewer), so a malformed legacy value never leaks in full.
 * Nullish values mask to '' so list code does not need a branch.
 */
import { parsePhone } from './validators/phone.js';

export function maskIdNumber(idNumber: string | null | undefined): string {
  if (idNumber == null) return '';
  const v = idNumber.trim().toUpperCase();
  if (v.length < 8) return '*'.repeat(v.length);
  return v.slice(0, 3) + '*'.repeat(v.length - 7) + v.slice(-4);
}

export function maskPhone(phone: string | null | undefined): string {
  if (phone == null) return '';
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
  const chars = Array.from(v); // by code point, so a masked value never splits a character
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - 2) + chars.slice(-2).join('');
}
