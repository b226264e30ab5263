import { useMemo } from 'react';
import { Alert, Button, Skeleton, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { errorMessage } from '../../api/client';
import { useNeedsByDepartment, type Department, type NeedsByDepartment } from '../../api/needs';
import { ChartWithTable } from '../dashboard/chart-with-table';
import { formatRate } from '../dashboard/dashboard-format';
import { EChart, type ChartOption } from '../dashboard/echart';
import { codeLabel } from '../families/family-labels';
import { DEPARTMENT_LABELS, DEPARTMENTS } from './need-flow';

interface Row extends NeedsByDepartment {
  name: string;
  /** Still being handled and not yet past the deadline. */
  pending: number;
}

// Each part of a department's bar is named in the legend, the tooltip and the table: colour is never alone.
const PARTS = [
  { key: 'resolved', name: '已解决', color: '#389e0d' },
  { key: 'unresolvable', name: '无法解决', color: '#8c8c8c' },
  { key: 'pending', name: '在办', color: '#1d5fa8' },
  { key: 'overdue', name: '已超期', color: '#cf1322' },
] as const;

const BAR_HEIGHT = 32;

/** 按部门: how each responsible department resolves its needs and how many are overdue (R11). */
export function NeedsByDepartmentCard({
  regionCode,
  onPick,
}: {
  regionCode: string | undefined;
  /** Shows the list of one department's needs. */
  onPick: (department: Department) => void;
}) {
  const figures = useNeedsByDepartment(regionCode);
  const rows = useMemo<Row[]>(
    () =>
      [...(figures.data ?? [])]
        .sort(
          (a, b) => DEPARTMENTS.indexOf(a.department as Department) - DEPARTMENTS.indexOf(b.department as Department),
        )
        .map((d) => ({
          ...d,
          name: codeLabel(DEPARTMENT_LABELS, d.department),
          pending: d.total - d.resolved - d.unresolvable - d.overdue,
        })),
    [figures.data],
  );

  const option = useMemo<ChartOption>(() => {
    // ECharts draws the first category at the bottom of a horizontal bar chart; reverse to read top-down.
    const shown = [...rows].reverse();
    return {
      // Room for the legend on two lines, as on a phone.
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: shown.map((r) => r.name) },
      series: PARTS.map((part) => ({
        type: 'bar' as const,
        name: part.name,
        stack: 'needs',
        // '-' draws nothing: a zero would leave a sliver of colour at the end of the bar.
        data: shown.map((r) => r[part.key] || '-'),
        barMaxWidth: 20,
        itemStyle: { color: part.color },
        label: { show: true, formatter: (p: { value: unknown }) => (p.value ? String(p.value) : '') },
      })),
    };
  }, [rows]);

  const byName = new Map(rows.map((r) => [r.name, r.department as Department]));
  const columns: TableColumnsType<Row> = [
    {
      title: '责任部门',
      dataIndex: 'name',
      key: 'name',
      render: (name: string, row) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={() => onPick(row.department as Department)}
          aria-label={`只看${name}的诉求`}
        >
          {name}
        </Button>
      ),
    },
    { title: '诉求', dataIndex: 'total', key: 'total', align: 'right' },
    { title: '已解决', dataIndex: 'resolved', key: 'resolved', align: 'right' },
    { title: '无法解决', dataIndex: 'unresolvable', key: 'unresolvable', align: 'right' },
    { title: '已超期', dataIndex: 'overdue', key: 'overdue', align: 'right' },
    {
      title: '解决率',
      dataIndex: 'resolutionRate',
      key: 'resolutionRate',
      align: 'right',
      render: (rate: number) => formatRate(rate),
    },
  ];

  if (figures.isError) return <Alert type="error" showIcon title={errorMessage(figures.error)} />;
  if (!figures.data) return <Skeleton active />;
  return (
    <ChartWithTable
      testId="needs-by-department"
      title="按部门"
      chartSpan={12}
      chart={
        rows.length ? (
          <EChart
            option={option}
            height={Math.max(180, rows.length * BAR_HEIGHT + 60)}
            label="各责任部门诉求办理情况的堆积条形图，数据见旁边的表格"
            onClickName={(name) => {
              const department = byName.get(name);
              if (department) onPick(department);
            }}
          />
        ) : (
          <Typography.Text type="secondary">暂无诉求</Typography.Text>
        )
      }
      table={
        <Table<Row>
          rowKey="department"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={rows}
          columns={columns}
          summary={() =>
            rows.length > 1 ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                {(['total', 'resolved', 'unresolvable', 'overdue'] as const).map((key, i) => (
                  <Table.Summary.Cell key={key} index={i + 1} align="right">
                    {rows.reduce((sum, r) => sum + r[key], 0)}
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={5} align="right">
                  {formatRate(rows.reduce((s, r) => s + r.resolved, 0) / rows.reduce((s, r) => s + r.total, 0))}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      }
    />
  );
}
