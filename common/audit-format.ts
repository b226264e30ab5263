/**
 * How a person reads an audit row's `changes` (the auditor's detail view and the xlsx export): Chinese field
 * names, masks as they are, digests as "（已摘要）" — never a value the row does not hold.
 */
import type { AuditChanges, AuditFact, AuditValue } from './schemas/audit.js';

const RELATIONS: Record<string, string> = { father: '父亲', mother: '母亲', child: '子女', '0': '成员1', '1': '成员2' };

export const AUDIT_FIELD_LABELS: Record<string, string> = {
  familyType: '家庭类别',
  regionCode: '区划',
  address: '户籍地址',
  currentAddress: '现住址',
  status: '档案状态',
  statusReason: '状态原因',
  statusDate: '生效日期',
  statusNote: '状态说明',
  householdStatus: '家庭结构',
  livingSituation: '居住状况',
  economicSituation: '经济状况',
  annualIncome: '年收入',
  housingSituation: '住房状况',
  honorCertificateNo: '光荣证号',
  isSpecialDifficulty: '特殊困难',
  enteredAt: '建档日期',
  eligibleFrom: '扶助起始',
  archiveNo: '档案编号',
  name: '姓名',
  displayName: '姓名',
  idNumber: '身份证号码',
  phone: '联系电话',
  birthDate: '出生日期',
  sex: '性别',
  ethnicity: '民族',
  education: '文化程度',
  maritalStatus: '婚姻状况',
  health: '健康状况',
  selfCare: '自理能力',
  mentalState: '精神状态',
  pensionInsurance: '养老保险',
  medicalInsurance: '医疗保险',
  isDeceased: '是否亡故',
  deathDate: '亡故日期',
  deathCause: '亡故原因',
  disabilityGrade: '残疾等级',
  disabilityCertNo: '残疾证号',
  item: '扶助项目',
  period: '扶助期间',
  amount: '金额',
  role: '角色',
  isDisabled: '停用',
  password: '密码',
  organization: '单位',
  title: '职务',
  userId: '关联账户',
  isActive: '在岗',
  reason: '原因',
  field: '查看项',
  rowCount: '行数',
  hasQuery: '含搜索词',
  count: '次数',
  windowStart: '时段起',
  method: '方法',
  route: '接口',
  kind: '类型',
  mode: '方式',
  fileName: '文件名',
  total: '总行数',
  accepted: '通过',
  rejected: '未通过',
  skipped: '跳过',
  archiveNos: '档案编号',
  contacts: '联系人数',
  families: '家庭数',
  successorContactId: '接任联系人',
  added: '新增岗位',
  removed: '结束岗位',
  logId: '联系记录',
  contactId: '联系人',
  occurredAt: '发生时间',
  isOnBehalf: '代录',
  fields: '修改项',
  eventId: '重大情况',
  affectedRelation: '涉及成员',
  level: '级别',
  festival: '节日',
  year: '年度',
  manner: '慰问方式',
  needId: '诉求',
  category: '类别',
  department: '部门',
  deadline: '办理期限',
  meetingId: '会议',
  heldOn: '召开日期',
  needs: '诉求数',
  what: '查看内容',
  riskId: '信访苗头',
  targetLevel: '信访去向',
  riskLevel: '风险等级',
  scope: '范围',
  to: '推送至',
  resolve: '化解',
  month: '月份',
  username: '用户名',
  via: '方式',
  action: '操作',
  from: '起',
  pending: '待审批',
  pendingApprovalBy: '审批人角色',
  approverRole: '审批人角色',
  requestedBy: '申请人',
  requestedAt: '申请时间',
  enable: '启用',
  disable: '停用',
  passwordReset: '重置密码',
  secondFactor: '第二因素',
  blocked: '已封禁',
};

/** `members.mother.phone` → `母亲·联系电话`. */
export function auditFieldLabel(path: string): string {
  return path
    .split('.')
    .map((part) => RELATIONS[part] ?? (part === 'members' ? '' : (AUDIT_FIELD_LABELS[part] ?? part)))
    .filter(Boolean)
    .join('·');
}

export function auditValueText(v: AuditValue | AuditFact | undefined): string {
  if (v === undefined || v === null) return '（空）';
  if (Array.isArray(v)) return v.map((x) => auditValueText(x as AuditFact)).join('、');
  if (typeof v === 'object') {
    if ('mask' in v) return v.mask;
    if ('digest' in v) return '（已摘要）';
    if ('value' in v) return auditValueText(v.value as AuditFact);
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

/** One line per field or fact, for a cell or a list. */
export function describeAuditChanges(changes: AuditChanges | null): string[] {
  if (!changes) return [];
  if (changes.v === 0) return [`修改项：${changes.keys.map(auditFieldLabel).join('、')}（早期记录，仅显示项目）`];
  const lines: string[] = [];
  for (const f of changes.fields ?? [])
    lines.push(`${auditFieldLabel(f.path)}：${auditValueText(f.before)} → ${auditValueText(f.after)}`);
  for (const [key, value] of Object.entries(changes.facts ?? {}))
    lines.push(`${auditFieldLabel(key)}：${auditValueText(value)}`);
  return lines;
}
