import { useMemo } from 'react';
import { Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { FestivalCoverage } from '../../api/festivals';
import { ChartWithTable } from '../dashboard/chart-with-table';
import { formatRate } from '../dashboard/dashboard-format';
import { EChart, type ChartOption } from '../dashboard/echart';

type Child = FestivalCoverage['children'][number];

const BAR_HEIGHT = 28;

export function notYet(figures: { families: number; cared: number; declined: number }): number {
  return Math.max(0, figures.families - figures.cared - figures.declined);
}

// The legend names each part; colour is never the only carrier (and the table repeats every figure).
const SERIES = [
  { key: 'cared', name: '已慰问', color: '#389e0d', value: (c: Child) => c.cared },
  { key: 'declined', name: '家庭婉拒', color: '#8c8c8c', value: (c: Child) => c.declined },
  { key: 'notYet', name: '尚未慰问', color: '#d48806', value: notYet },
] as const;

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
  const withFamilies = useMemo(() => coverage.children.filter((c) => c.families > 0), [coverage]);
  const empty = coverage.children.length - withFamilies.length;
  const height = Math.max(220, withFamilies.length * BAR_HEIGHT + 80);

  const option = useMemo<ChartOption>(() => {
    // ECharts draws the first category at the bottom of a horizontal bar chart; reverse to read top-down.
    const rows = [...withFamilies].reverse();
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
  }, [withFamilies]);

  const byName = new Map(coverage.children.map((c) => [c.name, c.regionCode]));
  const columns: TableColumnsType<Child> = [
    {
      title: childLevelLabel,
      dataIndex: 'name',
      key: 'name',
      render: (name: string, row) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={(event) => {
            // The row drills down too; one history entry per click.
            event.stopPropagation();
            onDrill(row.regionCode);
          }}
        >
          {name}
        </Button>
      ),
    },
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

  return (
    <ChartWithTable
      testId="care-by-region"
      title={`各${childLevelLabel}慰问情况`}
      extra={<Typography.Text type="secondary">点击{childLevelLabel}查看下一级</Typography.Text>}
      chartSpan={12}
      chart={
        withFamilies.length ? (
          <>
            <EChart
              testId="care-by-region-chart"
              option={option}
              height={height}
              label={`各${childLevelLabel}${coverage.label}慰问情况堆积条形图，数据见表格`}
              onClickName={(name) => {
                const code = byName.get(name);
                if (code) onDrill(code);
              }}
            />
            {empty > 0 && (
              <Typography.Text type="secondary">
                另有 {empty} 个{childLevelLabel}没有在册家庭，未画出
              </Typography.Text>
            )}
          </>
        ) : (
          <Typography.Text type="secondary">下级区划暂无在册家庭</Typography.Text>
        )
      }
      table={
        <Table<Child>
          data-testid="care-by-region-table"
          rowKey="regionCode"
          size="small"
          columns={columns}
          dataSource={coverage.children}
          pagination={false}
          scroll={{ x: 'max-content', y: Math.max(height, 320) }}
          onRow={(row) => ({ onClick: () => onDrill(row.regionCode), style: { cursor: 'pointer' } })}
        />
      }
    />
  );
}
