import type { StatTemplate } from '../../../common/labels.js';
import type { RegionLevel, Role } from '../../../common/roles.js';
import { levelOfCode } from '../../platform/scope.js';

/**
 * Who reports to whom (R9, DESIGN.md §2): township → county → city → province. A province-direct
 * county-level unit (a county under a `xx90` group such as 湖北 4290: 仙桃, 潜江, 天门, 神农架) reports
 * straight to the province, and its group has no return of its own.
 */
export function isProvinceDirectGroup(code: string): boolean {
  return levelOfCode(code) === 'prefecture' && code.slice(2, 4) === '90';
}

export function isProvinceDirectUnit(code: string): boolean {
  return levelOfCode(code) === 'county' && code.slice(2, 4) === '90';
}

/** The region whose staff approve a return of `code`; null for the province (nobody above it here). */
export function approverRegionOf(code: string): string | null {
  const level = levelOfCode(code);
  const province = `${code.slice(0, 2)}0000000000`;
  if (level === 'township') return `${code.slice(0, 6)}000000`;
  if (level === 'county') return isProvinceDirectUnit(code) ? province : `${code.slice(0, 4)}00000000`;
  if (level === 'prefecture') return isProvinceDirectGroup(code) ? null : province;
  return null;
}

/** Which templates a region level hands in: townships both, counties and cities the annual return. */
export function templatesOf(code: string): StatTemplate[] {
  const level = levelOfCode(code);
  if (level === 'township') return ['annual', 'quarterly'];
  if (level === 'county') return ['annual'];
  if (level === 'prefecture' && !isProvinceDirectGroup(code)) return ['annual'];
  return [];
}

/** Roles that compile and submit a return of a region at this level (staff of that region). */
export const SUBMITTER_ROLES: Partial<Record<RegionLevel, Role[]>> = {
  township: ['township_staff'],
  // The county leader does everything county staff do (DESIGN.md §2).
  county: ['county_staff', 'county_leader'],
  prefecture: ['prefecture_staff'],
};

/** The role of the level above that approves or returns a return of a region at this level. */
export function approverRoleOf(code: string): Role | null {
  const approver = approverRegionOf(code);
  if (!approver) return null;
  const level = levelOfCode(approver);
  return level === 'county' ? 'county_leader' : level === 'prefecture' ? 'prefecture_staff' : 'province_staff';
}
