import { Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import {
  STAT_RETURN_STATUS_LABELS,
  STAT_TEMPLATE_LABELS,
  TIMELINESS_LABELS,
  type StatReturnStatus,
  type StatTemplate,
  type Timeliness,
} from '../../../../common/labels';

export { STAT_RETURN_STATUS_LABELS, STAT_TEMPLATE_LABELS, TIMELINESS_LABELS };

const STATUS_COLORS: Record<StatReturnStatus | 'none', string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'success',
  returned: 'warning',
  none: 'default',
};

export function StatusTag({ status }: { status: StatReturnStatus | 'none' }) {
  return <Tag color={STATUS_COLORS[status]}>{status === 'none' ? '未填报' : STAT_RETURN_STATUS_LABELS[status]}</Tag>;
}

export function TimelinessTag({ timeliness }: { timeliness: Timeliness | 'missing' | null }) {
  if (!timeliness) return <Typography.Text type="secondary">—</Typography.Text>;
  const color = timeliness === 'on_time' ? 'green' : timeliness === 'late' ? 'orange' : 'red';
  return <Tag color={color}>{TIMELINESS_LABELS[timeliness]}</Tag>;
}

/** `2025` → 2025年度, `2026-Q3` → 2026年第三季度. */
export function periodLabel(period: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!q) return `${period}年度`;
  return `${q[1]}年第${'一二三四'[Number(q[2]) - 1]}季度`;
}

export const templateShort = (t: StatTemplate) => (t === 'annual' ? '年报' : '季报');

export function dueLabel(dueAt: string): string {
  return dayjs(dueAt).format('YYYY年M月D日');
}

/** Days left to the deadline (negative: overdue), counted in China civil days. */
export function Countdown({ dueAt, done }: { dueAt: string; done: boolean }) {
  if (done) return null;
  const days = dayjs(dueAt).startOf('day').diff(dayjs().startOf('day'), 'day');
  if (days < 0) return <Tag color="red">已逾期 {-days} 天</Tag>;
  return <Tag color={days <= 7 ? 'orange' : 'blue'}>剩 {days} 天</Tag>;
}

/** The periods an office reports now: last year's annual return and the last finished quarter. */
export function duePeriods(today = dayjs()): Array<{ template: StatTemplate; period: string }> {
  const year = today.year();
  const month = today.month() + 1;
  const lastQuarter = month <= 3 ? `${year - 1}-Q4` : `${year}-Q${Math.floor((month - 1) / 3)}`;
  return [
    { template: 'annual', period: String(year - 1) },
    { template: 'quarterly', period: lastQuarter },
  ];
}

/** Which templates a region level hands in (server/modules/stat-returns/chain.ts). */
export function templatesOfLevel(level: string, code: string): StatTemplate[] {
  if (level === 'township') return ['annual', 'quarterly'];
  if (level === 'county') return ['annual'];
  if (level === 'prefecture' && code.slice(2, 4) !== '90') return ['annual'];
  return [];
}

export function formatFigure(value: number | undefined, unit: string): string {
  if (value === undefined) return '—';
  return unit === '%' ? `${value}%` : value.toLocaleString('zh-CN');
}

export function levelOfCode(code: string): 'province' | 'prefecture' | 'county' | 'township' | 'village' {
  if (/^\d{2}0{10}$/.test(code)) return 'province';
  if (/^\d{4}0{8}$/.test(code)) return 'prefecture';
  if (/^\d{6}0{6}$/.test(code)) return 'county';
  if (/^\d{9}000$/.test(code)) return 'township';
  return 'village';
}

/** The staff who compile their own region's return (server: SUBMITTER_ROLES). */
export function isSubmitterRole(role: string, code: string): boolean {
  const level = levelOfCode(code);
  return (
    (level === 'township' && role === 'township_staff') ||
    (level === 'county' && (role === 'county_staff' || role === 'county_leader')) ||
    (level === 'prefecture' && role === 'prefecture_staff')
  );
}
