import type { Role } from '../../../../../common/roles';
import type { FamilyDetail, FamilyStatus } from '../../../api/families';

export const CONFLICT_MESSAGE = '数据已被他人修改，请刷新后重试';

export const ACTION_LABEL: Record<FamilyStatus, string> = { exited: '退出', paused: '暂停', active: '恢复在册' };

/** The statuses a family can be moved to from its current one; an exited archive only township staff restore. */
export function targetsFor(current: FamilyStatus, role: Role): FamilyStatus[] {
  if (current === 'exited') return role === 'township_staff' ? ['active'] : [];
  return (['paused', 'exited', 'active'] as const).filter((s) => s !== current);
}

export function canChangeStatusAtAll(family: FamilyDetail, role: Role): boolean {
  return family.abilities.changeStatus && targetsFor(family.status, role).length > 0;
}
