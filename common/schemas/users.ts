import { z } from 'zod';
import { requiredText, Version } from './fields.js';
import { LIMITS, REGION_CODE_PATTERN, USERNAME_PATTERN } from '../limits.js';
import { ROLES } from '../roles.js';

export const RegionCode = z.string().regex(REGION_CODE_PATTERN, { error: '区划代码应为 12 位数字' });

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
});
export type UserView = z.infer<typeof UserView>;

const Username = z.string().trim().regex(USERNAME_PATTERN, { error: '用户名为 3–32 位字母、数字或 _ . -' });
const DisplayName = requiredText(LIMITS.displayName, '姓名');
const Password = z.string().min(1, { error: '请填写密码' }).max(LIMITS.password, { error: '密码过长' });

export const UserCreate = z.strictObject({
  username: Username,
  displayName: DisplayName,
  password: Password,
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

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1, { error: '请填写用户名' }).max(LIMITS.username),
  password: z.string().min(1, { error: '请填写密码' }).max(LIMITS.password),
});

export const PasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(LIMITS.password),
  newPassword: Password,
});

export const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string(),
  regionName: z.string(),
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.infer<typeof SessionUser>;
