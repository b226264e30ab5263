import type { TableColumnsType } from 'antd';
import type { FestivalCoverage } from '../../api/festivals';
import { formatRate } from '../dashboard/dashboard-format';
import type { ChartOption } from '../dashboard/echart';
import { RegionDrillCard } from '../dashboard/region-drill-card';

type Child = FestivalCoverage['children'][number];

export function notYet(figures: { families: number; cared: number; declined: number }): number {
  return Math.max(0, figures.families - figures.cared - figures.declined);
}

// The legend names each part; colour is never the only carrier (and the table repeats every figure).
const SERIES = [
  { key: 'cared', name: '已慰问', color: '#389e0d', value: (c: Child) => c.cared },
  { key: 'declined', name: '家庭婉拒', color: '#8c8c8c', value: (c: Child) => c.declined },
  { key: 'notYet', name: '尚未慰问', color: '#d48806', value: notYet },
] as const;

function careChart(rows: Child[]): ChartOption {
  return {
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { width: 110, overflow: 'truncate' } },
    series: SERIES.map((s) => ({
      type: 'bar' as const,
      name: s.name,
      stack: 'families',
      data: rows.map((r) => s.value(r)),
      barMaxWidth: 18,
      itemStyle: { color: s.color },
    })),
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
  { title: '已慰问', dataIndex: 'cared', key: 'cared', align: 'right', sorter: (a, b) => a.cared - b.cared },
  {
    title: '婉拒',
    dataIndex: 'declined',
    key: 'declined',
    align: 'right',
    sorter: (a, b) => a.declined - b.declined,
  },
  {
    title: '尚未慰问',
    key: 'notYet',
    align: 'right',
    render: (_, r) => notYet(r),
    sorter: (a, b) => notYet(a) - notYet(b),
  },
  {
    title: '完成率',
    dataIndex: 'rate',
    key: 'rate',
    align: 'right',
    render: (rate: number, r) => (r.families ? formatRate(rate) : '—'),
    sorter: (a, b) => a.rate - b.rate,
  },
];

/** 各下级慰问情况: a stacked bar of families per child region with the table beside it; both drill down on click. */
export function CareByRegion({
  coverage,
  childLevelLabel,
  onDrill,
}: {
  coverage: FestivalCoverage;
  childLevelLabel: string;
  onDrill: (regionCode: string) => void;
}) {
  return (
    <RegionDrillCard
      testId="care-by-region"
      title={`各${childLevelLabel}慰问情况`}
      childLevelLabel={childLevelLabel}
      regions={coverage.children}
      chartOption={careChart}
      chartLabel={`各${childLevelLabel}${coverage.label}慰问情况堆积条形图，数据见表格`}
      chartTop={20}
      columns={COLUMNS}
      onDrill={onDrill}
    />
  );
}
