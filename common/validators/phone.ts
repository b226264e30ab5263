/**
 * Chinese telephone numbers, shared by the browser forms and the server.
 *
 * `value` is the normalised form that is stored (encrypted) and fed to the blind index, so the
 * same number typed two ways finds the same family:
 *   - mobile:   11 digits, `1[3-9]` + 9 digits, without +86/86 and without spaces or hyphens
 *               (`^1[3-9]\d{9}$` also accepts number ranges allocated after this was written);
 *   - landline: `0AA-NNNNNNNN` or `0AAA-NNNNNNN[N]`, optional `-EXT` (1–6 digits).
 *
 * Landline area-code rule, kept simple on purpose: a code starting with 01 or 02 has 3 digits
 * (010 Beijing, 020–029 e.g. 027 Wuhan); every other code has 4 digits (e.g. 0710 襄阳,
 * 0716 荆州). The local number after it must then have 7 or 8 digits. This matches how the
 * national numbering plan is laid out; a number that only fits the other split is refused
 * rather than guessed.
 *
 * The message never contains the input: phone numbers are personal information.
 */

export type PhoneResult =
  { ok: true; value: string; kind: 'mobile' | 'landline' } | { ok: false; code: 'PHONE_FORMAT'; message: string };

export const PHONE_FORMAT_MESSAGE = '电话号码格式不正确：手机号应为 11 位，座机需带区号，如 027-12345678';

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$/;

export function parsePhone(input: string): PhoneResult {
  if (typeof input !== 'string') return fail();
  const text = toHalfWidth(input.trim());

  const mobile = stripCountryCode(text.replace(/[\s-]/g, ''));
  if (MOBILE.test(mobile)) return { ok: true, value: mobile, kind: 'mobile' };

  // Spaces are dropped but hyphens kept for landlines: the hyphen before an extension is what
  // tells "027-12345678-123" apart from a longer number.
  // "(027)12345678" is how many people write an area code.
  const landline = LANDLINE.exec(text.replace(/\s+/g, '').replace(/^\((0\d{2,3})\)-?/, '$1-'));
  if (!landline) return fail();
  const [, areaAndMaybeMore, rest, ext] = landline;
  const digits = areaAndMaybeMore + rest;
  const areaLength = digits.startsWith('01') || digits.startsWith('02') ? 3 : 4;
  const local = digits.slice(areaLength);
  if (local.length < 7 || local.length > 8) return fail();
  const value = `${digits.slice(0, areaLength)}-${local}${ext ? `-${ext}` : ''}`;
  return { ok: true, value, kind: 'landline' };
}

function stripCountryCode(compact: string): string {
  if (compact.startsWith('+86')) return compact.slice(3);
  // A bare "86" prefix only counts when what follows is a full mobile number.
  if (compact.length === 13 && compact.startsWith('86')) return compact.slice(2);
  return compact;
}

function fail(): PhoneResult {
  return { ok: false, code: 'PHONE_FORMAT', message: PHONE_FORMAT_MESSAGE };
}

/** Chinese input methods often produce full-width digits, brackets, hyphens and plus signs. */
function toHalfWidth(s: string): string {
  return s.replace(/[\uFF08\uFF09\uFF10-\uFF19\uFF0B\uFF0D]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}
