import type { RegionLevel, Role } from '../../../../common/roles';
import { POST_LABELS, type Post } from '../visits/visit-labels';
export { POST_REGION_LEVEL, HELPER_POSTS } from '../../../../common/labels';

export { POST_LABELS, POST_SHORT_LABELS, type Post } from '../visits/visit-labels';

export const POST_OPTIONS = (Object.keys(POST_LABELS) as Post[]).map((value) => ({ value, label: POST_LABELS[value] }));

/** server/platform/policy.ts: contact.write and assignment.write. */
export const CAN_WRITE_CONTACTS: readonly Role[] = ['township_staff', 'county_staff', 'county_leader'];

export function isPost(value: string | null): value is Post {
  return value !== null && value in POST_LABELS;
}

/** The township and county a village code belongs to (12-digit statistical codes). */
export function townshipOf(code: string): string {
  return `${code.slice(0, 9)}000`;
}

export function countyOf(code: string): string {
  return `${code.slice(0, 6)}000000`;
}

/** The level of a 12-digit statistical code, as server/platform/scope.ts reads it. */
export function regionLevelOf(code: string): RegionLevel {
  if (/^\d{2}0{10}$/.test(code)) return 'province';
  if (/^\d{4}0{8}$/.test(code)) return 'prefecture';
  if (/^\d{6}0{6}$/.test(code)) return 'county';
  if (/^\d{9}000$/.test(code)) return 'township';
  return 'village';
}
