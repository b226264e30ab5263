import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  AimOutlined,
  TrophyOutlined,
  BarChartOutlined,
  CommentOutlined,
  ContactsOutlined,
  DatabaseOutlined,
  DiffOutlined,
  ExceptionOutlined,
  FileTextOutlined,
  FolderOpenOutlined,
  FundOutlined,
  GiftOutlined,
  HeartOutlined,
  HomeOutlined,
  ImportOutlined,
  NotificationOutlined,
  PhoneOutlined,
  ProfileOutlined,
  IdcardOutlined,
  ReadOutlined,
  UserSwitchOutlined,
  SafetyCertificateOutlined,
  SaveOutlined,
  ScheduleOutlined,
  SolutionOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { Role } from '../../../common/roles';
import type { SessionUser } from '../../../common/schemas/users';

/**
 * What each signed-in user can open. An entry names the action of server/platform/policy.ts its page
 * needs; the server sends the user's abilities from that same table, so the menu cannot drift from what
 * the server allows. The layout's menu, the home page's shortcuts and the route guards all read it.
 */
export interface MenuEntry {
  path: string;
  label: string;
  icon: ReactNode;
  /** The policy action the page needs (preferred: the menu then follows the server's policy table). */
  ability?: string;
  /** For a page no single action describes: who sees it; 'all' means every signed-in role. */
  roles?: readonly Role[] | 'all';
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
    ability: 'family.read',
    description: '按姓名、身份证号查找家庭，查看和维护档案，导入导出名单',
  },
  {
    path: '/dashboard',
    label: '走访督导',
    icon: <BarChartOutlined />,
    ability: 'compliance.read',
  },
  {
    // The festival coverage asks for 'compliance.read'.
    path: '/festival-care',
    label: '节日慰问',
    icon: <GiftOutlined />,
    ability: 'compliance.read',
  },
  {
    // 'compliance.read' lists the needs; acting on one is 'need.write' (server/platform/policy.ts).
    path: '/needs',
    label: '诉求办理',
    icon: <SolutionOutlined />,
    ability: 'compliance.read',
  },
  {
    // Meetings are held by a county ('meeting.write') and read from the county up.
    path: '/joint-meetings',
    label: '联席会议',
    icon: <ScheduleOutlined />,
    roles: ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  },
  {
    // Cross-region duplicate archives, for the level over both (issue 10 item 2).
    path: '/duplicate-archives',
    label: '重复建档核查',
    icon: <DiffOutlined />,
    ability: 'duplicate.resolve',
  },
  {
    // Reveals beyond the hourly limit, approved by the township or the county (issue 10 item 16).
    path: '/reveal-requests',
    label: '完整号码查看审批',
    icon: <SafetyCertificateOutlined />,
    ability: 'revealRequest.decide',
  },
  { path: '/supervision-orders', label: '督办通报', icon: <NotificationOutlined />, ability: 'supervisionOrder.read' },
  // R17 问责: petition-grade need-to-know, county level and above.
  { path: '/accountability', label: '问责核查', icon: <AuditOutlined />, ability: 'accountability.read' },
  // R17 表彰: each city ranks and nominates its contacts; the province approves.
  { path: '/commendations', label: '评选表彰', icon: <TrophyOutlined />, ability: 'commendation.read' },
  // R16–R17 考核: the province (and each city) scores its units; a county reads its own published result.
  { path: '/assessments', label: '考核', icon: <AimOutlined />, ability: 'assessment.read' },
  {
    path: '/contacts',
    label: '联系人库',
    icon: <ContactsOutlined />,
    ability: 'contact.read',
  },
  // The people around the families (R12–R15).
  { path: '/liaisons', label: '联络员', icon: <UserSwitchOutlined />, ability: 'liaison.read' },
  { path: '/pairings', label: '结对帮扶', icon: <HeartOutlined />, ability: 'partner.read' },
  { path: '/trainings', label: '培训', icon: <ReadOutlined />, ability: 'training.read' },
  { path: '/county-staffing', label: '县级人员配备', icon: <IdcardOutlined />, ability: 'staffing.read' },
  // R9: a receiving office verifies the encrypted, signed packages a lower level sent (城市、省).
  { path: '/stat-return-packages', label: '报表包导入', icon: <ImportOutlined />, ability: 'statPackage.import' },
  // Statistical returns (R9): the office's returns, and how the regions reporting to it stand.
  { path: '/stat-returns', label: '统计报表', icon: <FileTextOutlined />, ability: 'statReturn.read' },
  {
    path: '/reporting-rates',
    label: '报送情况',
    icon: <FundOutlined />,
    roles: ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  },
  // R9 电子备份: the county's own encrypted copy of its archives and work records.
  { path: '/county-copy', label: '县级电子备份', icon: <SaveOutlined />, ability: 'countyCopy.export' },
  // R10: the county's groups, its approval-gated notices, and the board where the county's people read them.
  { path: '/channels', label: '渠道管理', icon: <CommentOutlined />, ability: 'channel.read' },
  { path: '/notices', label: '通知公告', icon: <NotificationOutlined />, ability: 'notice.read' },
  { path: '/notice-board', label: '公告栏', icon: <ProfileOutlined />, ability: 'notice.board' },
  // R16: the province's yearly sample survey (city staff survey their city), and the county's explanations.
  { path: '/sample-surveys', label: '抽样调查', icon: <PhoneOutlined />, ability: 'sampleSurvey.read' },
  {
    path: '/survey-discrepancies',
    label: '调查差异说明',
    icon: <ExceptionOutlined />,
    ability: 'surveyDiscrepancy.read',
  },
  {
    path: '/users',
    label: '用户管理',
    icon: <TeamOutlined />,
    ability: 'user.manage',
    description: '创建账户，调整角色和所属区划，停用、解锁账户，重置密码（生效须经安全管理员审批）',
  },
  {
    path: '/security',
    label: '安全管理',
    icon: <SafetyCertificateOutlined />,
    ability: 'user.approve',
    description: '审批新建账户和角色、区划变更，查看锁定和登录失败，解锁账户，重置动态验证码',
  },
  {
    path: '/backups',
    label: '备份与恢复',
    icon: <DatabaseOutlined />,
    ability: 'backup.read',
    description: '查看最近一次备份和恢复演练，立即备份或演练；过期时提醒',
  },
  {
    path: '/audit',
    label: '审计日志',
    icon: <AuditOutlined />,
    ability: 'audit.read',
    description: '查询登录、修改等操作记录，校验日志链是否完整',
  },
];

/** Who is asking: the signed-in user's role and the abilities the server sent. */
export type MenuUser = Pick<SessionUser, 'role' | 'abilities'>;

export function canSee(entry: MenuEntry, user: MenuUser): boolean {
  if (entry.ability) return user.abilities.includes(entry.ability);
  return entry.roles === 'all' || (entry.roles ?? []).includes(user.role);
}

export function menuFor(user: MenuUser): MenuEntry[] {
  return MENU.filter((entry) => canSee(entry, user));
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

export function canOpen(path: string, user: MenuUser): boolean {
  const entry = MENU.find((e) => e.path === path);
  return entry !== undefined && canSee(entry, user);
}
