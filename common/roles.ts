/** Roles of DESIGN.md §2. Each account holds exactly one role bound to one region. */
export const ROLES = [
  'contact',
  'village_staff',
  'township_staff',
  'county_staff',
  'county_leader',
  'prefecture_staff',
  'province_staff',
  'sysadmin',
  'security_admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const REGION_LEVELS = ['province', 'prefecture', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const ROLE_LABELS: Record<Role, string> = {
  contact: '联系人',
  village_staff: '村（居）工作人员',
  township_staff: '乡镇（街道）工作人员',
  county_staff: '县级工作人员',
  county_leader: '县级分管领导',
  prefecture_staff: '市州工作人员',
  province_staff: '省级工作人员',
  sysadmin: '系统管理员',
  security_admin: '安全管理员',
  auditor: '安全审计员',
};

export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = {
  province: '省',
  prefecture: '市州',
  county: '县（市、区）',
  township: '乡镇（街道）',
  village: '村（居）',
};

/** The region levels an account of each role may be bound to. */
export const ROLE_REGION_LEVELS: Record<Role, readonly RegionLevel[]> = {
  contact: REGION_LEVELS,
  village_staff: ['village'],
  township_staff: ['township'],
  county_staff: ['county'],
  county_leader: ['county'],
  prefecture_staff: ['prefecture'],
  province_staff: ['province'],
  sysadmin: REGION_LEVELS,
  security_admin: REGION_LEVELS,
  auditor: REGION_LEVELS,
};

/** The 三员 of 等保 2.0: separate people, and none of them sees family data. */
export const SEPARATED_ADMIN_ROLES: readonly Role[] = ['sysadmin', 'security_admin', 'auditor'];

export function isAdminRole(role: Role): boolean {
  return SEPARATED_ADMIN_ROLES.includes(role);
}
