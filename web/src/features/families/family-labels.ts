import dayjs from 'dayjs';
import {
  ASSISTANCE_ITEM,
  CHILD_RELATION,
  DEATH_CAUSE,
  DISABILITY_CATEGORY,
  ECONOMIC_SITUATION,
  EDUCATION,
  ETHNICITY,
  FAMILY_STATUS,
  FAMILY_TYPE,
  FUND_SOURCE,
  HEALTH,
  HOUSEHOLD_STATUS,
  HOUSING_SITUATION,
  INSURANCE,
  LIVING_SITUATION,
  MARITAL_STATUS,
  MENTAL_STATE,
  SELF_CARE,
  STATUS_REASON,
} from '../../../../common/code-lists';
import { RISK_LEVEL_LABELS, TARGET_LEVEL_LABELS } from '../../../../common/labels';
import type { Role } from '../../../../common/roles';
import type { FamilyStatus, FamilyType, PetitionRisk, Relation, Sex } from '../../api/families';
import { CAN_REPORT_EVENT } from '../visits/visit-roles';
export {
  POST_LABELS,
  CONTACT_MODE_LABELS,
  DIRECTION_LABELS,
  EVENT_KIND_LABELS,
  TARGET_LEVEL_LABELS,
  RISK_LEVEL_LABELS,
  NEED_CATEGORY_LABELS,
  DEPARTMENT_LABELS,
  HANDLING_KIND_LABELS,
  PETITION_FORM_LABELS,
} from '../../../../common/labels';

/** Who may do what with archives: a copy of the server's policy, used only to decide which buttons show. */
export const FAMILY_WRITERS: readonly Role[] = ['village_staff', 'township_staff'];
export const FAMILY_EXPORTERS: readonly Role[] = [
  'village_staff',
  'township_staff',
  'county_staff',
  'county_leader',
  'prefecture_staff',
  'province_staff',
];
export const FAMILY_IMPORTERS: readonly Role[] = ['township_staff'];
/** Who records visits and calls (contactLog.write). */
export const CONTACT_LOGGERS: readonly Role[] = ['contact', 'village_staff', 'township_staff'];
/** Who closes a major event (event.write) and handles petition risks (petition.write): the visit page's lists. */
export const EVENT_WRITERS = CAN_REPORT_EVENT;
// Handling is petition.write; village staff only report (petition.report) and never read the register.
export const PETITION_WRITERS: readonly Role[] = ['contact', 'township_staff', 'county_staff', 'county_leader'];
/** Who confirms a parent's death into the archive (event.confirmDeath). */
export const DEATH_CONFIRMERS: readonly Role[] = ['village_staff', 'township_staff'];
/** Roles that look at numbers by region first (county and above). */
export const STATS_READERS: readonly Role[] = ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'];

type Codes = Readonly<Record<string, string>>;

export function codeLabel(codes: Codes, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return codes[code] ?? code;
}

export function codeOptions(codes: Codes): Array<{ value: string; label: string }> {
  return Object.entries(codes).map(([value, label]) => ({ value, label }));
}

export const FAMILY_TYPE_COLORS: Record<FamilyType, string> = { bereaved: 'purple', disabled: 'cyan' };
export const FAMILY_STATUS_COLORS: Record<FamilyStatus, string> = {
  active: 'green',
  paused: 'orange',
  exited: 'default',
};
export const RELATION_LABELS: Record<Relation, string> = { mother: '母亲', father: '父亲' };
export const SEX_LABELS: Record<Sex, string> = { male: '男', female: '女' };

export const familyTypeLabel = (type: FamilyType) => FAMILY_TYPE[type] ?? type;
export const familyStatusLabel = (status: FamilyStatus) => FAMILY_STATUS[status] ?? status;

/**
 * Dates as people read them: 2026年11月28日. A date the server masked for a role that may not reveal
 * (common/mask.ts) keeps its precision: `1965` → 1965年, `2014-05` → 2014年5月.
 */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}$/.test(iso)) return `${iso}年`;
  if (/^\d{4}-\d{2}$/.test(iso)) return dayjs(`${iso}-01`).format('YYYY年M月');
  return dayjs(iso).format('YYYY年M月D日');
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY年M月D日 HH:mm') : '—';
}

/** `2024-05` → 2024年5月. */
export function formatMonth(month: string | null | undefined): string {
  return month ? dayjs(`${month}-01`).format('YYYY年M月') : '—';
}

export function formatYuan(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return `${amount.toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 })} 元`;
}

export function ageOn(birthDate: string, on: string = dayjs().format('YYYY-MM-DD')): number {
  return dayjs(on).diff(dayjs(birthDate), 'year');
}

// --- Change history: the server flattens the archive into paths such as `members.mother.phone`. ---

const FAMILY_FIELDS: Record<string, string> = {
  archiveNo: '档案编号',
  familyType: '家庭类别',
  regionCode: '户籍村（居）',
  address: '详细地址',
  currentAddress: '现居住地址',
  householdStatus: '家庭结构',
  livingSituation: '居住状况',
  economicSituation: '经济状况',
  annualIncome: '家庭年收入',
  housingSituation: '住房状况',
  honorCertificateNo: '光荣证号',
  isSpecialDifficulty: '特殊困难家庭',
  status: '档案状态',
  statusReason: '状态变更原因',
  statusDate: '状态变更日期',
  statusNote: '状态变更说明',
  enteredAt: '建档日期',
  // Assistance records
  item: '扶助项目',
  period: '扶助期间',
  amount: '金额',
};

const MEMBER_FIELDS: Record<string, string> = {
  relation: '关系',
  name: '姓名',
  idNumber: '身份证号',
  sex: '性别',
  birthDate: '出生日期',
  phone: '电话',
  ethnicity: '民族',
  education: '文化程度',
  maritalStatus: '婚姻状况',
  health: '健康状况',
  selfCare: '生活自理能力',
  mentalState: '精神状态',
  pensionInsurance: '养老保险',
  medicalInsurance: '医疗保险',
  isDeceased: '是否已故',
  deathDate: '死亡日期',
};

const CHILD_FIELDS: Record<string, string> = {
  name: '姓名',
  relation: '与父母关系',
  sex: '性别',
  birthDate: '出生日期',
  idNumber: '身份证号',
  deathDate: '死亡日期',
  deathCause: '死亡原因',
  disabilityCertNo: '残疾人证号',
  disabilityCategory: '残疾类别',
  disabilityGrade: '残疾等级',
  isRecovered: '是否康复',
};

const VALUE_CODES: Record<string, Codes> = {
  familyType: FAMILY_TYPE,
  status: FAMILY_STATUS,
  statusReason: STATUS_REASON,
  householdStatus: HOUSEHOLD_STATUS,
  livingSituation: LIVING_SITUATION,
  economicSituation: ECONOMIC_SITUATION,
  housingSituation: HOUSING_SITUATION,
  ethnicity: ETHNICITY,
  education: EDUCATION,
  maritalStatus: MARITAL_STATUS,
  health: HEALTH,
  selfCare: SELF_CARE,
  mentalState: MENTAL_STATE,
  pensionInsurance: INSURANCE,
  medicalInsurance: INSURANCE,
  deathCause: DEATH_CAUSE,
  disabilityCategory: DISABILITY_CATEGORY,
  item: ASSISTANCE_ITEM,
  source: FUND_SOURCE,
  sex: SEX_LABELS,
  relation: { ...RELATION_LABELS, ...CHILD_RELATION },
};

/** `members.mother.phone` → 母亲·电话; `child.deathDate` → 子女·死亡日期; `extra.demo` → 扩展信息·demo. */
export function historyFieldLabel(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'members' && parts.length >= 3) {
    const who = RELATION_LABELS[parts[1] as Relation] ?? parts[1];
    return `${who}·${MEMBER_FIELDS[parts[2]] ?? parts.slice(2).join('.')}`;
  }
  if (parts[0] === 'child' && parts.length >= 2) return `子女·${CHILD_FIELDS[parts[1]] ?? parts.slice(1).join('.')}`;
  if (parts[0] === 'extra') return `扩展信息·${parts.slice(1).join('.')}`;
  return FAMILY_FIELDS[path] ?? path;
}

/** `regionNames` names the region codes the page knows (the archive's own village). */
export function historyValue(path: string, value: unknown, regionNames: Record<string, string> = {}): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (typeof value === 'boolean') return value ? '是' : '否';
  const field = path.split('.').at(-1) ?? path;
  if (field === 'regionCode' && typeof value === 'string' && regionNames[value])
    return `${regionNames[value]}（${value}）`;
  if (field === 'disabilityGrade') return `${String(value)} 级`;
  if (field === 'amount' && typeof value === 'number') return formatYuan(value);
  const codes = VALUE_CODES[field];
  if (codes && typeof value === 'string') return codes[value] ?? value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (field === 'birthDate' && typeof value === 'string' && /^\d{4}$/.test(value)) return formatDate(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}(～\d{4}-\d{2})?$/.test(value))
    return value.split('～').map(formatMonth).join(' 至 ');
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export const HISTORY_ACTION_LABELS: Record<string, string> = {
  create: '建档',
  update: '修改档案',
  status: '状态变更',
  assistance: '登记扶助',
  death: '确认亡故',
  duplicate: '重复建档处理',
};

/** The reasons the server accepts for each target status (families.service EXIT_REASONS, PAUSE_REASONS). */
export const STATUS_REASONS_FOR: Record<FamilyStatus, readonly string[]> = {
  exited: ['reborn_or_adopted', 'both_parents_deceased', 'moved_out', 'recovered', 'other'],
  paused: ['away', 'other'],
  active: ['resumed', 'other'],
};

/** server/modules/events ESCALATION_LABELS: who an overdue event was sent to, by level. */
export const ESCALATION_LABELS: Record<number, string> = { 1: '乡镇（街道）', 2: '县级' };

/** A petition risk in a few words (到省 · 红色风险（2026年11月2日 发现）), where a form or a list refers to it. */
export function petitionRiskTitle(risk: Pick<PetitionRisk, 'targetLevel' | 'riskLevel' | 'identifiedAt'>): string {
  return `${codeLabel(TARGET_LEVEL_LABELS, risk.targetLevel)} · ${codeLabel(RISK_LEVEL_LABELS, risk.riskLevel)}风险（${formatDate(risk.identifiedAt)} 发现）`;
}
