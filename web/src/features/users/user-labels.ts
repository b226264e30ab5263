import dayjs from 'dayjs';
import { REGION_LEVEL_LABELS, ROLE_LABELS, ROLE_REGION_LEVELS, ROLES, type Role } from '../../../../common/roles';

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

export function isRole(value: string | null): value is Role {
  return value !== null && (ROLES as readonly string[]).includes(value);
}

/** "县级工作人员只能绑定到县（市、区）" — said when the chosen region does not fit the role. */
export function regionLevelHint(role: Role): string {
  const levels = ROLE_REGION_LEVELS[role];
  if (levels.length >= 5) return `${ROLE_LABELS[role]}可以绑定到任一级区划`;
  return `${ROLE_LABELS[role]}只能绑定到${levels.map((level) => REGION_LEVEL_LABELS[level]).join('、')}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—';
}
