import type { Role } from '../../../../common/roles';

/**
 * Who may do what on the visit page, mirroring server/platform/policy.ts so that the page offers only
 * what the server will accept (the server still decides).
 */
export const CAN_LOG_VISIT: readonly Role[] = ['contact', 'village_staff', 'township_staff'];
export const CAN_REPORT_EVENT: readonly Role[] = ['contact', 'village_staff', 'township_staff'];
export const CAN_RECORD_FESTIVAL_CARE: readonly Role[] = ['contact', 'village_staff', 'township_staff'];
export const CAN_REPORT_PETITION_RISK: readonly Role[] = [
  'contact',
  'village_staff',
  'township_staff',
  'county_staff',
  'county_leader',
];
export const CAN_CREATE_NEED: readonly Role[] = [
  'contact',
  'village_staff',
  'township_staff',
  'county_staff',
  'county_leader',
];

/** Where a todo about a family opens: the visit form for those who log visits, else the archive. */
export function familyTaskPath(role: Role, familyId: string): string {
  return CAN_LOG_VISIT.includes(role) ? `/visits/${familyId}` : `/families/${familyId}`;
}
