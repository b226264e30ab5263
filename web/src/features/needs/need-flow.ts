import { NEED_NEXT_STATUSES } from '../../../../common/labels';
import type { Role } from '../../../../common/roles';
import type { Need, NeedStatus } from '../../api/needs';
import { DEPARTMENT_LABELS, DEPARTMENTS } from '../../../../common/labels';
export { DEPARTMENT_LABELS, DEPARTMENTS, NEED_CATEGORY_LABELS, NEED_STATUS_LABELS } from '../../../../common/labels';

export const DEPARTMENT_OPTIONS = DEPARTMENTS.map((d) => ({ value: d, label: DEPARTMENT_LABELS[d] }));

export const NEED_STATUS_COLORS: Record<NeedStatus, string> = {
  open: 'orange',
  referred: 'blue',
  in_progress: 'geekblue',
  resolved: 'green',
  unresolvable: 'default',
};

/** What a cadre can do with a need: a step of the flow, or changing its department or deadline. */
export type NeedAction = Exclude<NeedStatus, 'open'> | 'reassign';

/** The button of each action, in the order they show. */
export const ACTION_LABELS: Record<NeedAction, string> = {
  referred: '转办',
  in_progress: '开始办理',
  resolved: '办结',
  unresolvable: '无法解决',
  reassign: '调整部门/期限',
};

/** The actions a need offers in its current status; a closed need offers none. */
export function actionsFor(need: Pick<Need, 'status'>): NeedAction[] {
  const next: NeedAction[] = [...NEED_NEXT_STATUSES[need.status]];
  return next.length ? [...next, 'reassign'] : [];
}

// Copies of server/platform/policy.ts, used only to decide what shows.
/** need.write */
export const NEED_WRITERS: readonly Role[] = [
  'contact',
  'village_staff',
  'township_staff',
  'county_staff',
  'county_leader',
];
/** meeting.write */
export const MEETING_WRITERS: readonly Role[] = ['county_staff', 'county_leader'];
