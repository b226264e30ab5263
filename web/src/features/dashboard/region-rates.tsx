import type { TableColumnsType } from 'antd';
import type { MonthlyCompliance } from '../../api/compliance';
import { formatMonth, formatRate } from './dashboard-format';
import type { ChartOption } from './echart';
import { RegionDrillCard } from './region-drill-card';

type Child = MonthlyCompliance['children'][number];

function rateChart(rows: Child[]): ChartOption {
  return {
    grid: { left: 8, right: 56, top: 8, bottom: 24, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const p = (params as Array<{ dataIndex: number }>)[0];
        const row = rows[p.dataIndex];
        return `${row.name}<br/>登门走访 ${row.visited} / ${row.families} 户（${formatRate(row.rate)}）`;
      },
    },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', hideOverlap: true } },
    yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { width: 130, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        name: '登门走访率',
        data: rows.map((r) => Math.round(r.rate * 1000) / 10),
        barMaxWidth: 18,
        itemStyle: { color: '#1d5fa8' },
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };
}

const COLUMNS: TableColumnsType<Child> = [
  {
    title: '在册家庭',
    dataIndex: 'families',
    key: 'families',
    align: 'right',
    sorter: (a, b) => a.families - b.families,
  },
  { title: '已登门', dataIndex: 'visited', key: 'visited', align: 'right', sorter: (a, b) => a.visited - b.visited },
  {
    title: '待走访',
    key: 'due',
    align: 'right',
    render: (_, r) => r.families - r.visited,
    sorter: (a, b) => a.families - a.visited - (b.families - b.visited),
  },
  {
    title: '走访率',
    dataIndex: 'rate',
    key: 'rate',
    align: 'right',
    render: (rate: number, r) => (r.families ? formatRate(rate) : '—'),
    sorter: (a, b) => a.rate - b.rate,
  },
];

/** 下级登门走访率: a bar per child region with families, the table beside it; both drill down on click. */
export function RegionRates({
  monthly,
  childLevelLabel,
  onDrill,
}: {
  monthly: MonthlyCompliance;
  childLevelLabel: string;
  onDrill: (regionCode: string) => void;
}) {
  return (
    <RegionDrillCard
      testId="region-rates"
      title={`各${childLevelLabel}登门走访率 · ${formatMonth(monthly.month)}`}
      childLevelLabel={childLevelLabel}
      regions={monthly.children}
      chartOption={rateChart}
      chartLabel={`各${childLevelLabel}本月登门走访率条形图，数据见右侧表格`}
      columns={COLUMNS}
      onDrill={onDrill}
    />
  );
}
