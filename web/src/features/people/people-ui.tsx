import { useMemo, type ReactNode } from 'react';
import { Grid, Select, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { ChartWithTable } from '../dashboard/chart-with-table';
import { EChart, type ChartOption } from '../dashboard/echart';
import { share, readRegion, readYear, todayIso } from './people-format';

export { share, readRegion, readYear, todayIso };

export interface RegionRow {
  regionCode: string;
  name: string;
}

export interface Series<R> {
  key: keyof R & string;
  name: string;
  color: string;
}

const BAR_HEIGHT = 30;

/**
 * Figures per child region as grouped horizontal bars with the same figures in a table beside them
 * (never colour alone); `extraColumns` add a share or a status the table shows after the figures.
 */
export function RegionBarsCard<R extends RegionRow>({
  title,
  testId,
  rows,
  series,
  extraColumns = [],
  extra,
  label,
}: {
  title: ReactNode;
  testId: string;
  rows: R[];
  series: Array<Series<R>>;
  extraColumns?: TableColumnsType<R>;
  extra?: ReactNode;
  label: string;
}) {
  const option = useMemo<ChartOption>(() => {
    const shown = [...rows].reverse();
    return {
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: shown.map((r) => r.name) },
      series: series.map((s) => ({
        type: 'bar' as const,
        name: s.name,
        data: shown.map((r) => Number(r[s.key] ?? 0)),
        barMaxWidth: 14,
        itemStyle: { color: s.color },
        label: { show: true, position: 'right' as const },
      })),
    };
  }, [rows, series]);
  const columns: TableColumnsType<R> = [
    { title: '区划', dataIndex: 'name', key: 'name' },
    ...series.map((s) => ({ title: s.name, dataIndex: s.key, key: s.key, align: 'right' as const })),
    ...extraColumns,
  ];
  return (
    <ChartWithTable
      testId={testId}
      title={title}
      extra={extra}
      chartSpan={12}
      chart={
        rows.length ? (
          <EChart
            option={option}
            height={Math.max(160, rows.length * BAR_HEIGHT * series.length * 0.7 + 60)}
            label={label}
          />
        ) : null
      }
      table={
        <Table<R>
          rowKey="regionCode"
          size="small"
          columns={columns}
          dataSource={rows}
          pagination={rows.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '下级暂无数据' }}
        />
      }
    />
  );
}

const THIS_YEAR = new Date().getFullYear();

/** The reporting year; the last five years and the current one. */
export function YearSelect({ value, onChange }: { value: number; onChange: (year: number) => void }) {
  return (
    <Select<number>
      aria-label="年度"
      style={{ width: 110 }}
      value={value}
      onChange={onChange}
      options={Array.from({ length: 6 }, (_, i) => THIS_YEAR - i).map((y) => ({ value: y, label: `${y} 年` }))}
    />
  );
}

/** A drawer from the bottom on a phone (most of the screen), from the right on a desk. */
export function useDrawerPlacement(): { placement: 'bottom' | 'right'; size: string | number } {
  const screens = Grid.useBreakpoint();
  return screens.md ? { placement: 'right', size: 640 } : { placement: 'bottom', size: '88%' };
}
