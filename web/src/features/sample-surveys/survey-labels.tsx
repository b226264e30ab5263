import { Tag } from 'antd';
import {
  SURVEY_FAMILY_STATUS_LABELS,
  SURVEY_INDICATOR_LABELS,
  type SurveyFamilyStatus,
  type SurveyIndicator,
} from '../../../../common/labels';

export const FAMILY_TYPE_LABELS: Record<string, string> = { bereaved: '失独家庭', disabled: '伤残家庭' };

const STATUS_COLORS: Record<SurveyFamilyStatus, string> = {
  pending: 'blue',
  reached: 'green',
  refused: 'orange',
  unreachable: 'red',
};

export function SurveyStatusTag({ status }: { status: SurveyFamilyStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{SURVEY_FAMILY_STATUS_LABELS[status]}</Tag>;
}

export const percent = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;

/** An indicator's value as people read it: a share in %, satisfaction on its 1–5 scale. */
export function formatIndicator(indicator: SurveyIndicator, x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  return indicator === 'satisfaction' ? x.toFixed(2) : percent(x);
}

export const indicatorLabel = (i: SurveyIndicator) => SURVEY_INDICATOR_LABELS[i];
