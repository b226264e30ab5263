import { ROLE_LABELS } from '../../../../common/roles';
import type { User } from '../../api/users';

/** "新建账户" or "角色 县级工作人员 → 市州工作人员；停用" — what the pending change asks, in words. */
export function describePendingChange(user: User): string {
  const change = user.pendingChange;
  if (!change) return '';
  if (change.kind === 'create') return `新建账户（${ROLE_LABELS[user.role]} · ${user.regionName}）`;
  const parts: string[] = [];
  if (change.role) parts.push(`角色 ${ROLE_LABELS[user.role]} → ${ROLE_LABELS[change.role]}`);
  if (change.regionCode) parts.push(`区划改为 ${change.regionCode}`);
  if (change.enable) parts.push('重新启用');
  if (change.disable) parts.push('停用');
  if (change.passwordReset) parts.push('重置密码');
  return parts.join('；');
}

export const APPROVER_LABELS = { security_admin: '安全管理员', auditor: '安全审计员' } as const;
