import { Tag } from 'antd';
import { ASSESSMENT_STATUS_LABELS } from '../../../../common/labels';
import type { AssessmentScheme } from '../../api/assessments';

export const DIRECTION_LABELS = { higher: '越高越好', lower: '越低越好' } as const;
export const LEVEL_LABELS: Record<string, string> = { prefecture: '市州', county: '县（市、区）' };

export function AssessmentStatusTag({ status }: { status: AssessmentScheme['status'] }) {
  return (
    <Tag color={status === 'published' ? 'green' : 'blue'} data-testid="assessment-status">
      {status === 'published' ? '已发布' : '草稿'}
    </Tag>
  );
}

export const statusTitle = (status: AssessmentScheme['status']) => ASSESSMENT_STATUS_LABELS[status];

/** A figure with its unit; '—' when there is nothing to measure. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  return unit === '%' ? `${value}%` : unit ? `${value} ${unit}` : String(value);
}
