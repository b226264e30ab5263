/**
 * 公民身份号码 (GB 11643-1999) validation, shared by the browser forms and the server.
 *
 * Layout: 6 地址码 + 8 出生日期 YYYYMMDD + 3 顺序码 (odd = male, even = female)
 * + 1 校验码 (ISO 7064:1983 MOD 11-2).
 *
 * Messages are Chinese for people, codes are for machines. No message ever contains the
 * input: ID numbers are sensitive personal information and errors end up in logs.
 */

export type IdNumberErrorCode = 'ID_FORMAT' | 'ID_CHECK_DIGIT' | 'ID_BIRTH_DATE' | 'ID_REGION';

export type IdNumberResult =
  | { ok: true; value: string; sex: 'male' | 'female'; birthDate: string /* YYYY-MM-DD */ }
  | { ok: false; code: IdNumberErrorCode; message: string };

export const ID_NUMBER_MESSAGES: Readonly<Record<IdNumberErrorCode | 'ID_LEGACY_15', string>> = {
  ID_FORMAT: '身份证号码格式不正确：应为 18 位，前 17 位是数字，最后一位是数字或 X',
  ID_LEGACY_15: '身份证号码应为 18 位：15 位的旧号码请换成 18 位的新号码后再填写',
  ID_REGION: '身份证号码前两位不是有效的省级行政区划代码，请核对',
  ID_BIRTH_DATE: '身份证号码中的出生日期（第 7–14 位）无效，请核对',
  ID_CHECK_DIGIT: '身份证号码校验位错误，请逐位核对号码',
};

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * Province-level prefixes only. The full county code is deliberately not checked against the
 * current GB/T 2260 list: codes are retired and renamed, and an old card stays valid for life.
 */
const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

const MIN_BIRTH_YEAR = 1900;
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The check character for the first 17 digits. Throws on anything but 17 ASCII digits. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError('idCheckDigit expects exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function parseIdNumber(input: string, today: Date = new Date()): IdNumberResult {
  if (typeof input !== 'string') return fail('ID_FORMAT');
  const value = toHalfWidth(input.trim()).toUpperCase();

  // Legacy first-generation numbers carry no check digit and a 2-digit year; the archive keeps
  // only the 18-digit form, so ask for the new number instead of guessing the century.
  if (/^\d{15}$/.test(value)) return fail('ID_FORMAT', ID_NUMBER_MESSAGES.ID_LEGACY_15);
  if (!/^\d{17}[\dX]$/.test(value)) return fail('ID_FORMAT');

  // Region and date are checked before the check digit: a typo there also breaks the check
  // digit, but naming the broken part helps the cadre find it.
  if (!PROVINCE_PREFIXES.has(value.slice(0, 2))) return fail('ID_REGION');

  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isRealDate(birthDate) || Number(value.slice(6, 10)) < MIN_BIRTH_YEAR) return fail('ID_BIRTH_DATE');
  if (birthDate > chinaDate(today)) return fail('ID_BIRTH_DATE');

  if (idCheckDigit(value.slice(0, 17)) !== value[17]) return fail('ID_CHECK_DIGIT');

  const sex = Number(value[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value, sex, birthDate };
}

/** Builds a valid number, for demo data and tests. Inputs are checked for shape only. */
export function makeIdNumber(opts: { regionCode6: string; birthDate: string; sequence: number }): string {
  const { regionCode6, birthDate, sequence } = opts;
  if (!/^\d{6}$/.test(regionCode6)) throw new RangeError('regionCode6 must be 6 digits');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate) || !isRealDate(birthDate)) {
    throw new RangeError('birthDate must be a real YYYY-MM-DD date');
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError('sequence must be an integer 0..999');
  }
  const first17 = regionCode6 + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
  return first17 + idCheckDigit(first17);
}

function fail(code: IdNumberErrorCode, message: string = ID_NUMBER_MESSAGES[code]): IdNumberResult {
  return { ok: false, code, message };
}

function isRealDate(isoDate: string): boolean {
  const [y, m, d] = isoDate.split('-').map(Number);
  if (m < 1 || m > 12 || d < 1) return false;
  // Computed by hand: Date.UTC maps years 0–99 to 1900–1999.
  const isLeap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const daysInMonth = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= daysInMonth;
}

/** Today's calendar date in China (UTC+8, no DST), whatever zone the server runs in. */
function chinaDate(now: Date): string {
  return new Date(now.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** Chinese input methods often produce full-width digits and Ｘ; accept them as typed. */
function toHalfWidth(s: string): string {
  return s.replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}
