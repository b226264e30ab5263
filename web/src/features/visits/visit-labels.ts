/**
 * Labels of contact logs, events, festival care, petition risks and needs for the browser.
 *
 * The same tables live in common/schemas/contacts.ts, common/schemas/responses.ts and
 * common/festivals.ts, but those modules build Zod schemas (and import lunar-javascript) at load
 * time: importing one label from them adds 30–130 kB gzip to a page, which the phone visit form
 * cannot afford (DESIGN.md §7). The types come from there, so a new code fails the type-check here;
 * e2e/visits.e2e.test.ts checks that the texts are still the same.
 */
import type {
  CONTACT_MODES,
  DIRECTIONS,
  MENTAL_SCALE,
  POSTS,
  PROBLEM_AREAS,
} from '../../../../common/schemas/contacts';
import type {
  AFFECTED,
  CARE_MANNERS,
  DEPARTMENTS,
  EVENT_KINDS,
  NEED_CATEGORIES,
  RISK_LEVELS,
  TARGET_LEVELS,
} from '../../../../common/schemas/responses';
import type { FESTIVALS } from '../../../../common/festivals';

export type Post = (typeof POSTS)[number];
export type ContactMode = (typeof CONTACT_MODES)[number];
export type Direction = (typeof DIRECTIONS)[number];
export type MentalState = (typeof MENTAL_SCALE)[number];
export type SelfCare = 'full' | 'partial' | 'none';
export type ProblemArea = (typeof PROBLEM_AREAS)[number];
export type EventKind = (typeof EVENT_KINDS)[number];
export type Affected = (typeof AFFECTED)[number];
export type CareManner = (typeof CARE_MANNERS)[number];
export type TargetLevel = (typeof TARGET_LEVELS)[number];
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type NeedCategory = (typeof NEED_CATEGORIES)[number];
export type Department = (typeof DEPARTMENTS)[number];
export type Festival = (typeof FESTIVALS)[number];

export const POST_LABELS: Record<Post, string> = {
  township_cadre: '乡镇（街道）包村干部',
  village_cadre: '村（居）委会干部',
  association_member: '计生协会员',
  family_doctor: '家庭医生',
  volunteer: '志愿者',
  county_leader: '县级卫健部门领导',
};

/** Short post names for tight places (tags, phone rows). */
export const POST_SHORT_LABELS: Record<Post, string> = {
  township_cadre: '乡镇岗',
  village_cadre: '村级岗',
  association_member: '计生协会员',
  family_doctor: '家庭医生',
  volunteer: '志愿者',
  county_leader: '县级领导',
};

export const CONTACT_MODE_LABELS: Record<ContactMode, string> = {
  home_visit: '登门走访',
  phone: '电话联系',
  online: '网络沟通',
  other: '其他',
};

export const DIRECTION_LABELS: Record<Direction, string> = {
  outreach: '联系人主动联系',
  family_initiated: '家庭主动联系',
};

export const PROBLEM_AREA_LABELS: Record<ProblemArea, string> = {
  economic: '经济困难',
  medical: '医疗',
  elderly_care: '养老',
  housing: '住房',
  mental: '精神慰藉',
  legal: '法律',
  other: '其他',
};

/** common/code-lists.ts SELF_CARE and MENTAL_STATE (plain data, but kept beside the others). */
export const SELF_CARE_LABELS: Record<SelfCare, string> = { full: '自理', partial: '半自理', none: '不能自理' };
export const MENTAL_STATE_LABELS: Record<MentalState, string> = {
  stable: '稳定',
  fair: '一般',
  attention: '需关注',
  crisis: '危机',
};

export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  accident: '意外',
  serious_illness: '重病',
  disaster: '受灾',
  death: '亡故',
};

export const AFFECTED_LABELS: Record<Affected, string> = {
  father: '父亲',
  mother: '母亲',
  child: '子女',
  family: '全家',
};

export const CARE_MANNER_LABELS: Record<CareManner, string> = {
  home_visit: '登门慰问',
  phone: '电话慰问',
  goods: '送慰问品',
  money: '送慰问金',
  group_activity: '集体活动',
  declined: '家庭婉拒',
};

export const TARGET_LEVEL_LABELS: Record<TargetLevel, string> = {
  county: '到县',
  prefecture: '到市',
  province: '到省',
  out_of_province: '省外',
  beijing: '进京',
};

export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = {
  blue: '蓝色',
  yellow: '黄色',
  orange: '橙色',
  red: '红色',
};

/** antd Tag colours; the label text always goes with the colour. */
export const RISK_LEVEL_COLORS: Record<RiskLevel, string> = {
  blue: 'blue',
  yellow: 'gold',
  orange: 'orange',
  red: 'red',
};

export const NEED_CATEGORY_LABELS: Record<NeedCategory, string> = {
  economic: '经济',
  medical: '医疗',
  elderly_care: '养老',
  housing: '住房',
  mental: '精神慰藉',
  legal: '法律',
  other: '其他',
};

export const DEPARTMENT_LABELS: Record<Department, string> = {
  health: '卫健',
  civil_affairs: '民政',
  finance: '财政',
  hrss: '人社',
  housing: '住建',
  other: '其他',
};

export const FESTIVAL_LABELS: Record<Festival, string> = {
  spring_festival: '春节',
  dragon_boat: '端午节',
  mid_autumn: '中秋节',
};

export const FAMILY_TYPE_LABELS: Record<'bereaved' | 'disabled', string> = {
  bereaved: '失独家庭',
  disabled: '伤残家庭',
};

/** `Record` → antd `options`, in the table's order. */
export function optionsOf<K extends string>(labels: Record<K, string>): Array<{ value: K; label: string }> {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

export function labelOf<K extends string>(labels: Record<K, string>, value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return (labels as Record<string, string>)[value] ?? value;
}
