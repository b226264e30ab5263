import { hash, verify } from '@node-rs/argon2';
import type { ErrorDetail } from '../errors.js';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
// Algorithm is an ambient const enum upstream; 2 is its Argon2id member.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Verifying against a throwaway hash makes an unknown username cost the same time as a wrong password. */
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('guanhuai-dummy-password-Aa1!');
  await verifyPassword(await dummyHash, password);
}

export interface PasswordPolicy {
  minLength: number;
  minClasses: number;
}

/** 等保 2.0 complexity: length and character classes (lower, upper, digit, symbol), configurable. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy, username?: string): ErrorDetail | null {
  if (password.length < policy.minLength)
    return { path: 'password', message: `密码至少 ${policy.minLength} 位`, code: 'PASSWORD_TOO_SHORT' };
  if (password.length > PASSWORD_MAX_LENGTH)
    return { path: 'password', message: `密码最多 ${PASSWORD_MAX_LENGTH} 位`, code: 'PASSWORD_TOO_LONG' };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
  if (classes < policy.minClasses)
    return {
      path: 'password',
      message: `密码须包含大写字母、小写字母、数字、符号中的至少 ${policy.minClasses} 类`,
      code: 'PASSWORD_TOO_SIMPLE',
    };
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return { path: 'password', message: '密码不能包含用户名', code: 'PASSWORD_CONTAINS_USERNAME' };
  return null;
}

/** An admin-set password must be changed at first login; this value of password_changed_at marks it. */
export const PASSWORD_MUST_CHANGE = '1970-01-01T00:00:00.000Z';

export function isPasswordChangeDue(changedAt: string, now: Date, maxAgeDays: number): boolean {
  if (changedAt === PASSWORD_MUST_CHANGE) return true;
  return maxAgeDays > 0 && now.getTime() - Date.parse(changedAt) > maxAgeDays * 86_400_000;
}
