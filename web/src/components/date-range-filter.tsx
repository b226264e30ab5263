import { DatePicker, type ColProps } from 'antd';
import type { Dayjs } from 'dayjs';
import type { FilterField } from './filter-bar';

/**
 * A from–to pair of dates for `FilterBar`, as two of its fields. In a file of its own so that DatePicker (with its
 * calendar, ≈ 32 kB gzip) loads only with the pages that filter by date, not with every list that has a filter
 * row (the family list's 450 kB ceiling in e2e/families.e2e.test.ts caught it riding along).
 */
export function dateRangeFields({
  key,
  col,
  from,
  to,
  onFrom,
  onTo,
  fromLabel = '开始日期',
  toLabel = '结束日期',
}: {
  key: string;
  col?: ColProps;
  from: Dayjs | null | undefined;
  to: Dayjs | null | undefined;
  onFrom: (day: Dayjs | null) => void;
  onTo: (day: Dayjs | null) => void;
  fromLabel?: string;
  toLabel?: string;
}): FilterField[] {
  return [
    {
      key: `${key}-from`,
      col,
      type: 'custom',
      node: (
        <DatePicker
          aria-label={fromLabel}
          placeholder={fromLabel}
          style={{ width: '100%' }}
          value={from}
          disabledDate={(day) => (to ? day.isAfter(to, 'day') : false)}
          onChange={(day: Dayjs | null) => onFrom(day)}
        />
      ),
    },
    {
      key: `${key}-to`,
      col,
      type: 'custom',
      node: (
        <DatePicker
          aria-label={toLabel}
          placeholder={toLabel}
          style={{ width: '100%' }}
          value={to}
          disabledDate={(day) => (from ? day.isBefore(from, 'day') : false)}
          onChange={(day: Dayjs | null) => onTo(day)}
        />
      ),
    },
  ];
}
