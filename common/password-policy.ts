/**
 * The one password policy, used by the server (which decides) and the web form (which checks as a person
 * types). 等保 2.0 complexity plus what guessing tools exploit: a blocklist of common passwords, Unicode
 * compatibility forms folded (NFKC) before any check, invisible padding refused. Reuse of the last passwords is
 * checked on the server only (it needs the stored hashes).
 */
import COMMON_PASSWORDS from './data/common-passwords.json';

export interface PasswordPolicy {
  minLength: number;
  minClasses: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 8, minClasses: 3 };
export const PASSWORD_MAX_LENGTH = 128;
/** How many passwords (the current one included) a new password may not repeat. */
export const DEFAULT_PASSWORD_HISTORY = 5;

export interface PasswordProblem {
  message: string;
  code: string;
}

const BLOCKLIST: ReadonlySet<string> = new Set(COMMON_PASSWORDS as string[]);

// Characters that show as nothing (or as blank) yet count toward length and classes: zero-width spaces and
// joiners, word joiners, the BOM, soft hyphens, Hangul fillers, variation selectors, tag characters, bidi
// controls, and every control character.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- finding these characters is the point
  /[\u0000-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]|\uDB40[\uDC00-\uDDEF]/;
// Emoji and pictographs: padding that satisfies "a symbol" and the length without adding a guess's worth of
// strength (and that many phones and the login form's keyboard cannot type alike).
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/**
 * The form every check sees: NFKC folds full-width ＡＢＣ１２３ to ABC123 and ligatures to letters. The hash is of
 * the password as typed, so login compares what the person types.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

function classCount(p: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(p)).length;
}

/** Leet-speak and case folded: P@ssw0rd → password. */
function folded(p: string): string {
  return p
    .toLowerCase()
    .replace(/[@4]/g, 'a')
    .replace(/0/g, 'o')
    .replace(/[1!|]/g, 'i')
    .replace(/3/g, 'e')
    .replace(/[$5]/g, 's')
    .replace(/7/g, 't');
}

/** Is it on the blocklist, as typed, with the usual decorations removed, or in leet speak? */
export function isCommonPassword(password: string): boolean {
  const lower = normalizePassword(password).toLowerCase();
  if (BLOCKLIST.has(lower)) return true;
  // A common word with digits and symbols around it ("!Password2024#") is that word to a guessing tool.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (core.length >= 4 && core !== lower && BLOCKLIST.has(core)) return true;
  const leet = folded(lower);
  return leet !== lower && BLOCKLIST.has(leet);
}

/**
 * The first reason `password` may not be used, or null. Order matters for the message a person sees:
 * what they can see (length, classes) before what they cannot (invisible characters, the blocklist).
 */
export function passwordProblem(
  password: string,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
  username?: string,
): PasswordProblem | null {
  if (INVISIBLE.test(password))
    return { message: '密码不能包含不可见字符（如零宽字符、控制字符）', code: 'PASSWORD_INVISIBLE' };
  if (PICTOGRAPH.test(password)) return { message: '密码不能包含表情符号', code: 'PASSWORD_INVISIBLE' };
  const p = normalizePassword(password);
  const length = [...p].length;
  if (length < policy.minLength) return { message: `密码至少 ${policy.minLength} 位`, code: 'PASSWORD_TOO_SHORT' };
  if (length > PASSWORD_MAX_LENGTH) return { message: `密码最多 ${PASSWORD_MAX_LENGTH} 位`, code: 'PASSWORD_TOO_LONG' };
  if (classCount(p) < policy.minClasses)
    return {
      message: `密码须包含大写字母、小写字母、数字、符号中的至少 ${policy.minClasses} 类`,
      code: 'PASSWORD_TOO_SIMPLE',
    };
  if (username && p.toLowerCase().includes(normalizePassword(username).toLowerCase()))
    return { message: '密码不能包含用户名', code: 'PASSWORD_CONTAINS_USERNAME' };
  if (isCommonPassword(p)) return { message: '该密码过于常见，容易被猜中，请换一个', code: 'PASSWORD_COMMON' };
  return null;
}

/** The hint shown under the field, for the policy in force. */
export function passwordHint(policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): string {
  return `至少 ${policy.minLength} 位，包含大写字母、小写字母、数字、符号中的至少${policy.minClasses === 3 ? '三' : ` ${policy.minClasses} `}类；不能是常见密码、不能包含用户名，不能与最近 ${DEFAULT_PASSWORD_HISTORY} 次的密码相同`;
}
