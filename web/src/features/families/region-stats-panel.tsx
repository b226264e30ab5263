import { useState } from 'react';
import { Alert, Button, Collapse, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { errorMessage } from '../../api/client';
import { useFamilyStats, type FamilyCounts, type FamilyStats } from '../../api/families';

type Row = FamilyCounts & { regionCode: string; name: string; isSummary?: boolean };

/** A bar for the eye, with the number beside it: the number carries the meaning. */
function TotalBar({ value, max }: { value: number; max: number }) {
  const width = max > 0 ? Math.max(2, Math.round((value / max) * 80)) : 0;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      <span
        aria-hidden
        style={{ display: 'inline-block', width, height: 10, background: '#1d5fa8', borderRadius: 2, opacity: 0.75 }}
      />
      <span>{value}</span>
    </span>
  );
}

/** The numbers alone: a row with a `children` field would turn the table into a tree. */
function countsOf({ children: _children, ...counts }: FamilyStats): FamilyCounts {
  return counts;
}

/**
 * 各地数量: the region shown in the list and a row per child region, from GET /families/stats.
 * Choosing a child region narrows the list (and this panel) to it.
 */
export function RegionStatsPanel({
  regionCode,
  onChooseRegion,
}: {
  regionCode: string;
  onChooseRegion: (code: string) => void;
}) {
  const stats = useFamilyStats(regionCode);
  // Open on a wide screen; on a phone the list comes first.
  const [open, setOpen] = useState(() => window.matchMedia('(min-width: 768px)').matches);
  const data = stats.data;
  const max = Math.max(0, ...(data?.children.map((c) => c.total) ?? []));
  const rows: Row[] = data
    ? [{ ...countsOf(data), name: `${data.name}合计`, isSummary: true, regionCode: data.regionCode }, ...data.children]
    : [];

  const columns: TableColumnsType<Row> = [
    {
      title: '区划',
      key: 'name',
      fixed: 'left',
      render: (_, row) =>
        row.isSummary ? (
          <Typography.Text strong>{row.name}</Typography.Text>
        ) : (
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => onChooseRegion(row.regionCode)}
            aria-label={`只看${row.name}`}
          >
            {row.name}
          </Button>
        ),
    },
    {
      title: '档案数',
      dataIndex: 'total',
      key: 'total',
      render: (value: number, row) => (row.isSummary ? <strong>{value}</strong> : <TotalBar value={value} max={max} />),
    },
    { title: '失独', dataIndex: 'bereaved', key: 'bereaved' },
    { title: '伤残', dataIndex: 'disabled', key: 'disabled' },
    { title: '在册', dataIndex: 'active', key: 'active' },
    { title: '暂停', dataIndex: 'paused', key: 'paused' },
    { title: '退出', dataIndex: 'exited', key: 'exited' },
    { title: '特殊困难', dataIndex: 'specialDifficulty', key: 'specialDifficulty' },
    { title: '符合特扶', dataIndex: 'eligible', key: 'eligible' },
  ];

  const title = data ? `各地档案数量（${data.name}）` : '各地档案数量';
  return (
    <Collapse
      size="small"
      activeKey={open ? ['stats'] : []}
      onChange={(keys) => setOpen(keys.length > 0)}
      style={{ marginBottom: 16, background: '#fff' }}
      items={[
        {
          key: 'stats',
          label: data ? `${title}：共 ${data.total} 户，${data.children.length} 个下级区划` : title,
          styles: { body: { padding: 0 } },
          children: stats.isError ? (
            <Alert type="error" showIcon title={errorMessage(stats.error)} style={{ margin: 12 }} />
          ) : (
            <Table<Row>
              rowKey={(row) => (row.isSummary ? 'summary' : row.regionCode)}
              size="small"
              columns={columns}
              dataSource={rows}
              loading={stats.isFetching}
              pagination={false}
              scroll={{ x: 'max-content', y: 280 }}
            />
          ),
        },
      ]}
    />
  );
}
