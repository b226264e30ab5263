import { z } from 'zod';
import { requiredText, Version } from './fields.js';
import { LIMITS, REGION_CODE_PATTERN, USERNAME_PATTERN } from '../limits.js';
import { ROLES } from '../roles.js';

export const RegionCode = z.string().regex(REGION_CODE_PATTERN, { error: '区划代码应为 12 位数字' });

/**
 * A change the system administrator asked for that waits for the 三员's third member (issue 10 item 4):
 * the security administrator, or the auditor when the account is (or would become) a security administrator.
 */
export const PendingChange = z.object({
  kind: z.enum(['create', 'update']),
  role: z.enum(ROLES).optional(),
  regionCode: z.string().optional(),
  enable: z.boolean().optional(),
  disable: z.boolean().optional(),
  passwordReset: z.boolean().optional(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  approverRole: z.enum(['security_admin', 'auditor']),
});
export type PendingChange = z.infer<typeof PendingChange>;

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string(),
  regionName: z.string(),
  isDisabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
  /** Waiting for approval; a new account, a role or region change or a re-enable cannot sign in until then. */
  pendingChange: PendingChange.nullable(),
  /** Failed logins counted against the account (all sources, current window) and sources blocked for it. */
  failedAttempts: z.number().int(),
  blockedSources: z.number().int(),
  mfaEnabled: z.boolean(),
  /** The owner has not yet set their own password (a new or reset account). */
  isUnclaimed: z.boolean(),
});
export type UserView = z.infer<typeof UserView>;

/** The answer to a create: the initial password, when the server chose it, is shown this once. */
export const UserCreated = UserView.extend({ initialPassword: z.string().optional() });
export type UserCreated = z.infer<typeof UserCreated>;

/** An approval or a refusal of a pending change; `version`, when sent, must be the current one. */
export const UserDecision = z.strictObject({
  version: Version.optional(),
  reason: z.string().trim().max(200, { error: '理由过长' }).optional(),
});
export type UserDecision = z.infer<typeof UserDecision>;

const Username = z.string().trim().regex(USERNAME_PATTERN, { error: '用户名为 3–32 位字母、数字或 _ . -' });
const DisplayName = requiredText(LIMITS.displayName, '姓名');
const Password = z.string().min(1, { error: '请填写密码' }).max(LIMITS.password, { error: '密码过长' });

export const UserCreate = z.strictObject({
  username: Username,
  displayName: DisplayName,
  /** Without it the server picks a strong one and answers it once (`initialPassword`). */
  password: Password.optional(),
  role: z.enum(ROLES, { error: '角色不正确' }),
  regionCode: RegionCode,
});
export type UserCreate = z.infer<typeof UserCreate>;

export const UserUpdate = z.strictObject({
  version: Version,
  displayName: DisplayName.optional(),
  role: z.enum(ROLES, { error: '角色不正确' }).optional(),
  regionCode: RegionCode.optional(),
  isDisabled: z.boolean().optional(),
  password: Password.optional(),
});
export type UserUpdate = z.infer<typeof UserUpdate>;

/** The account list's filters (the page and page size come from PageQuery). */
export const UserListFilters = z.object({
  q: z.string().trim().max(LIMITS.search).optional(),
  role: z.enum(ROLES).optional(),
  regionCode: RegionCode.optional(),
});
export type UserListFilters = z.infer<typeof UserListFilters>;

export const LoginBody = z.strictObject({
  username: requiredText(LIMITS.username, '用户名'),
  password: z.string().min(1, { error: '请填写密码' }).max(LIMITS.password),
});
export type LoginBody = z.input<typeof LoginBody>;

export const PasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(LIMITS.password),
  newPassword: Password,
});
export type PasswordChange = z.input<typeof PasswordChange>;

export const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string(),
  regionName: z.string(),
  mustChangePassword: z.boolean(),
  mfaEnabled: z.boolean(),
  /** The role needs a second factor and none is enrolled: only enrolment (and the password) is open. */
  mfaEnrolmentDue: z.boolean(),
  /** The actions of server/platform/policy.ts this role may take: menus and buttons follow them. */
  abilities: z.array(z.string()),
});
export type SessionUser = z.infer<typeof SessionUser>;
/** A signed-in session as the web receives it: the user and the token its writes carry (DESIGN §5). */
export const Session = z.object({ user: SessionUser, csrfToken: z.string() });
export type Session = z.infer<typeof Session>;

export const MfaCode = z
  .string()
  .trim()
  .min(6, { error: '请输入 6 位动态验证码或恢复码' })
  .max(32, { error: '验证码过长' })
  .regex(/^[A-Za-z0-9 -]+$/, { error: '验证码只含数字（恢复码含字母和 -）' });

/** The answer to a right password when the account has a second factor: no session yet, a challenge. */
export const MfaChallenge = z.object({ mfaRequired: z.literal(true), challenge: z.string() });
export type MfaChallenge = z.infer<typeof MfaChallenge>;

export const MfaVerifyBody = z.strictObject({
  challenge: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/),
  code: MfaCode,
});
export type MfaVerifyBody = z.input<typeof MfaVerifyBody>;
export const MfaConfirmBody = z.strictObject({ code: MfaCode });
export const MfaEnrolment = z.object({ secret: z.string(), uri: z.string() });
export type MfaEnrolment = z.infer<typeof MfaEnrolment>;
export const MfaRecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export type MfaRecoveryCodes = z.infer<typeof MfaRecoveryCodes>;

/** A pending change that keeps the account from signing in: a new account, a new role or region, a re-enable. */
export function blocksSignIn(change: PendingChange | null): boolean {
  if (!change) return false;
  return (
    change.kind === 'create' || change.role !== undefined || change.regionCode !== undefined || change.enable === true
  );
}

export function parsePendingChange(stored: string | null | undefined): PendingChange | null {
  return stored ? (JSON.parse(stored) as PendingChange) : null;
}
