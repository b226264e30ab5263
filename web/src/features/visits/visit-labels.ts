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
export {
  POST_LABELS,
  CONTACT_MODE_LABELS,
  DIRECTION_LABELS,
  PROBLEM_AREA_LABELS,
  EVENT_KIND_LABELS,
  CARE_MANNER_LABELS,
  TARGET_LEVEL_LABELS,
  RISK_LEVEL_LABELS,
  NEED_CATEGORY_LABELS,
  DEPARTMENT_LABELS,
  FESTIVAL_LABELS,
} from '../../../../common/labels';

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

/** Short post names for tight places (tags, phone rows). */
export const POST_SHORT_LABELS: Record<Post, string> = {
  township_cadre: '乡镇岗',
  village_cadre: '村级岗',
  association_member: '计生协会员',
  family_doctor: '家庭医生',
  volunteer: '志愿者',
  county_leader: '县级领导',
};

/** common/code-lists.ts SELF_CARE and MENTAL_STATE (plain data, but kept beside the others). */
export const SELF_CARE_LABELS: Record<SelfCare, string> = { full: '自理', partial: '半自理', none: '不能自理' };
export const MENTAL_STATE_LABELS: Record<MentalState, string> = {
  stable: '稳定',
  fair: '一般',
  attention: '需关注',
  crisis: '危机',
};

export const AFFECTED_LABELS: Record<Affected, string> = {
  father: '父亲',
  mother: '母亲',
  child: '子女',
  family: '全家',
};

/** antd Tag colours; the label text always goes with the colour. */
export const RISK_LEVEL_COLORS: Record<RiskLevel, string> = {
  blue: 'blue',
  yellow: 'gold',
  orange: 'orange',
  red: 'red',
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
