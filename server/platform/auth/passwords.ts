import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH, passwordProblem, type PasswordPolicy } from '../../../common/password-policy.js';
import type { ErrorDetail } from '../errors.js';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
// Algorithm is an ambient const enum upstream; 2 is its Argon2id member.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { PASSWORD_MAX_LENGTH };
export type { PasswordPolicy };

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

/** The policy of `common/password-policy.ts` (shared with the web form), as a field error. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy, username?: string): ErrorDetail | null {
  const problem = passwordProblem(password, policy, username);
  return problem ? { path: 'password', ...problem } : null;
}

/** An admin-set password must be changed at first login; this value of password_changed_at marks it. */
export const PASSWORD_MUST_CHANGE = '1970-01-01T00:00:00.000Z';

export function isPasswordChangeDue(changedAt: string, now: Date, maxAgeDays: number): boolean {
  if (changedAt === PASSWORD_MUST_CHANGE) return true;
  return maxAgeDays > 0 && now.getTime() - Date.parse(changedAt) > maxAgeDays * 86_400_000;
}
