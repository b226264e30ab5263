import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  ContactsOutlined,
  FolderOpenOutlined,
  GiftOutlined,
  HomeOutlined,
  ScheduleOutlined,
  SolutionOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { Role } from '../../../common/roles';

/**
 * The one list of what each role can open. The layout's menu, the home page's shortcuts and the
 * route guards all read it; the server still decides what each request may do.
 */
export interface MenuEntry {
  path: string;
  label: string;
  icon: ReactNode;
  /** Who sees the entry; 'all' means every signed-in role. */
  roles: readonly Role[] | 'all';
  /** One line for the home page shortcut of an administrative page. */
  description?: string;
}

export const MENU: readonly MenuEntry[] = [
  { path: '/', label: '工作台', icon: <HomeOutlined />, roles: 'all' },
  { path: '/regions', label: '区划', icon: <ApartmentOutlined />, roles: 'all' },
  {
    path: '/families',
    label: '特殊家庭档案',
    icon: <FolderOpenOutlined />,
    roles: [
      'contact',
      'village_staff',
      'township_staff',
      'county_staff',
      'county_leader',
      'prefecture_staff',
      'province_staff',
    ],
    description: '按姓名、身份证号查找家庭，查看和维护档案，导入导出名单',
  },
  {
    path: '/dashboard',
    label: '走访督导',
    icon: <BarChartOutlined />,
    roles: ['village_staff', 'township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  },
  {
    // The roles of 'compliance.read' (server/platform/policy.ts), which the festival coverage asks for.
    path: '/festival-care',
    label: '节日慰问',
    icon: <GiftOutlined />,
    roles: ['village_staff', 'township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  },
  {
    // 'compliance.read' lists the needs; acting on one is 'need.write' (server/platform/policy.ts).
    path: '/needs',
    label: '诉求办理',
    icon: <SolutionOutlined />,
    roles: ['village_staff', 'township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  },
  {
    // Meetings are held by a county ('meeting.write') and read from the county up.
    path: '/joint-meetings',
    label: '联席会议',
    icon: <ScheduleOutlined />,
    roles: ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  },
  {
    path: '/contacts',
    label: '联系人库',
    icon: <ContactsOutlined />,
    roles: ['village_staff', 'township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  },
  {
    path: '/users',
    label: '用户管理',
    icon: <TeamOutlined />,
    roles: ['sysadmin'],
    description: '创建账户，调整角色和所属区划，停用、解锁账户，重置密码',
  },
  {
    path: '/audit',
    label: '审计日志',
    icon: <AuditOutlined />,
    roles: ['auditor'],
    description: '查询登录、修改等操作记录，校验日志链是否完整',
  },
];

export function canSee(entry: MenuEntry, role: Role): boolean {
  return entry.roles === 'all' || entry.roles.includes(role);
}

export function menuFor(role: Role): MenuEntry[] {
  return MENU.filter((entry) => canSee(entry, role));
}

/** The entry a pathname belongs to: the longest matching prefix, so /regions/4208… highlights 区划. */
export function menuEntryFor(pathname: string): MenuEntry | undefined {
  let best: MenuEntry | undefined;
  for (const entry of MENU) {
    const matches =
      entry.path === '/' ? pathname === '/' : pathname === entry.path || pathname.startsWith(`${entry.path}/`);
    if (matches && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best;
}

export function canOpen(path: string, role: Role): boolean {
  const entry = MENU.find((e) => e.path === path);
  return entry !== undefined && canSee(entry, role);
}
