import { useMemo } from 'react';
import { Alert, Skeleton, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import type { TableColumnsType } from 'antd';
import { errorMessage } from '../../api/client';
import { useComplianceTrend, type TrendPoint } from '../../api/compliance';
import { ChartWithTable } from './chart-with-table';
import { formatMonth, formatRate } from './dashboard-format';
import { EChart, type ChartOption } from './echart';

/** The month under way: its rate is still growing, so it is marked, not drawn as a drop. */
const isCurrent = (month: string) => month === dayjs().format('YYYY-MM');

const COLUMNS: TableColumnsType<TrendPoint> = [
  {
    title: '月份',
    dataIndex: 'month',
    key: 'month',
    render: (m: string) => (
      <>
        {formatMonth(m)}
        {isCurrent(m) && (
          <Tag color="processing" style={{ marginInlineStart: 6 }}>
            进行中
          </Tag>
        )}
      </>
    ),
  },
  { title: '在册家庭', dataIndex: 'families', key: 'families', align: 'right' },
  { title: '已登门', dataIndex: 'visited', key: 'visited', align: 'right' },
  { title: '走访率', dataIndex: 'rate', key: 'rate', align: 'right', render: (r: number) => formatRate(r) },
];

/** 近 12 个月登门走访率, ending with the chosen month. */
export function TrendCard({ regionCode, month }: { regionCode: string; month: string }) {
  const trend = useComplianceTrend({ regionCode, month });
  const option = useMemo<ChartOption | null>(
    () =>
      trend.data
        ? {
            grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
            tooltip: {
              trigger: 'axis',
              formatter: (params: unknown) => {
                const p = (params as Array<{ dataIndex: number }>)[0];
                const row = trend.data[p.dataIndex];
                return `${formatMonth(row.month)}<br/>登门走访 ${row.visited} / ${row.families} 户（${formatRate(row.rate)}）`;
              },
            },
            xAxis: {
              type: 'category',
              data: trend.data.map((p) => `${Number(p.month.slice(5))}月${isCurrent(p.month) ? '\n进行中' : ''}`),
            },
            yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
            // Finished months as a solid line; the month under way as a dashed step from the last finished
            // one, hollow and labelled 进行中, so a month half done does not read as a fall.
            series: [
              {
                type: 'line',
                name: '登门走访率',
                data: trend.data.map((p) => (isCurrent(p.month) ? '-' : Math.round(p.rate * 1000) / 10)),
                symbolSize: 7,
                itemStyle: { color: '#1d5fa8' },
                label: { show: true, formatter: '{c}%', fontSize: 11 },
              },
              {
                type: 'line',
                name: '本月（进行中）',
                data: trend.data.map((p, i) => {
                  const next = trend.data[i + 1];
                  const shown = isCurrent(p.month) || (next && isCurrent(next.month));
                  return shown ? Math.round(p.rate * 1000) / 10 : '-';
                }),
                symbol: 'emptyCircle',
                symbolSize: 7,
                lineStyle: { type: 'dashed' },
                itemStyle: { color: '#1d5fa8' },
                label: {
                  show: true,
                  fontSize: 11,
                  formatter: (p: unknown) => {
                    const { dataIndex, value } = p as { dataIndex: number; value: number };
                    return isCurrent(trend.data[dataIndex].month) ? `${value}%（进行中）` : '';
                  },
                },
              },
            ],
          }
        : null,
    [trend.data],
  );

  return (
    <ChartWithTable
      testId="trend"
      title="近 12 个月登门走访率"
      chart={
        trend.isError ? (
          <Alert type="error" showIcon title={errorMessage(trend.error)} />
        ) : option ? (
          <EChart option={option} height={300} label="近 12 个月登门走访率折线图，数据见旁边表格" />
        ) : (
          <Skeleton active />
        )
      }
      table={
        <Table<TrendPoint>
          rowKey="month"
          size="small"
          columns={COLUMNS}
          dataSource={trend.data}
          loading={trend.isFetching && !trend.data}
          pagination={false}
          scroll={{ x: 'max-content', y: 300 }}
        />
      }
    />
  );
}
