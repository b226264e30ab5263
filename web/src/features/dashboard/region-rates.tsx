import { useMemo } from 'react';
import { Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { MonthlyCompliance } from '../../api/compliance';
import { ChartWithTable } from './chart-with-table';
import { formatMonth, formatRate } from './dashboard-format';
import { EChart, type ChartOption } from './echart';

type Child = MonthlyCompliance['children'][number];

const BAR_HEIGHT = 28;

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
  const withFamilies = monthly.children.filter((c) => c.families > 0);
  const empty = monthly.children.length - withFamilies.length;
  const height = Math.max(220, withFamilies.length * BAR_HEIGHT + 60);

  const option = useMemo<ChartOption>(() => {
    // ECharts draws the first category at the bottom of a horizontal bar chart; reverse to read top-down.
    const rows = [...withFamilies].reverse();
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
  }, [withFamilies]);

  const byName = new Map(monthly.children.map((c) => [c.name, c.regionCode]));
  const columns: TableColumnsType<Child> = [
    {
      title: childLevelLabel,
      dataIndex: 'name',
      key: 'name',
      render: (name: string, row) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onDrill(row.regionCode)}>
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

  return (
    <ChartWithTable
      testId="region-rates"
      title={`各${childLevelLabel}登门走访率 · ${formatMonth(monthly.month)}`}
      extra={<Typography.Text type="secondary">点击{childLevelLabel}查看下一级</Typography.Text>}
      chartSpan={12}
      chart={
        withFamilies.length ? (
          <>
            <EChart
              testId="region-rates-chart"
              option={option}
              height={height}
              label={`各${childLevelLabel}本月登门走访率条形图，数据见右侧表格`}
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
          data-testid="region-rates-table"
          rowKey="regionCode"
          size="small"
          columns={columns}
          dataSource={monthly.children}
          pagination={false}
          scroll={{ x: 'max-content', y: Math.max(height, 320) }}
          onRow={(row) => ({ onClick: () => onDrill(row.regionCode), style: { cursor: 'pointer' } })}
        />
      }
    />
  );
}
