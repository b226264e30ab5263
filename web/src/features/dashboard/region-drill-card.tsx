import { useMemo } from 'react';
import { Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ChartWithTable } from './chart-with-table';
import { EChart, type ChartOption } from './echart';

const BAR_HEIGHT = 28;

interface ChildRegion {
  regionCode: string;
  name: string;
  families: number;
}

/**
 * A figure per child region: a horizontal bar per child with families and the table beside it, both of
 * which drill down to the child on click. The dashboard's visit rates and the festival-care coverage use it.
 */
export function RegionDrillCard<Child extends ChildRegion>({
  testId,
  title,
  childLevelLabel,
  regions,
  chartOption,
  chartLabel,
  chartTop = 0,
  columns,
  onDrill,
}: {
  testId: string;
  title: string;
  childLevelLabel: string;
  regions: readonly Child[];
  /** The chart of the children with families, given top-down (ECharts draws the first at the bottom). */
  chartOption: (bottomUp: Child[]) => ChartOption;
  /** What the chart shows, for screen readers. */
  chartLabel: string;
  /** Room above the bars (a legend). */
  chartTop?: number;
  /** The columns after the region's name. */
  columns: TableColumnsType<Child>;
  onDrill: (regionCode: string) => void;
}) {
  const withFamilies = useMemo(() => regions.filter((c) => c.families > 0), [regions]);
  const empty = regions.length - withFamilies.length;
  const height = Math.max(220, withFamilies.length * BAR_HEIGHT + 60 + chartTop);
  const option = useMemo(() => chartOption([...withFamilies].reverse()), [chartOption, withFamilies]);
  const byName = new Map(regions.map((c) => [c.name, c.regionCode]));
  const nameColumn: TableColumnsType<Child>[number] = {
    title: childLevelLabel,
    dataIndex: 'name',
    key: 'name',
    render: (name: string, row: Child) => (
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
  };

  return (
    <ChartWithTable
      testId={testId}
      title={title}
      extra={<Typography.Text type="secondary">点击{childLevelLabel}查看下一级</Typography.Text>}
      chartSpan={12}
      chart={
        withFamilies.length ? (
          <>
            <EChart
              testId={`${testId}-chart`}
              option={option}
              height={height}
              label={chartLabel}
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
          data-testid={`${testId}-table`}
          rowKey="regionCode"
          size="small"
          columns={[nameColumn, ...columns]}
          dataSource={[...regions]}
          pagination={false}
          scroll={{ x: 'max-content', y: Math.max(height, 320) }}
          onRow={(row) => ({ onClick: () => onDrill(row.regionCode), style: { cursor: 'pointer' } })}
        />
      }
    />
  );
}
