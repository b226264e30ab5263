import { useMemo } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Skeleton, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { COVERAGE_GAP_KINDS, COVERAGE_GAP_KIND_LABELS } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useCoverage, useCoverageGaps, type Coverage, type CoverageGap, type GapKind } from '../../api/contacts';
import { FAMILY_TYPE_LABELS, labelOf } from '../visits/visit-labels';
import { ChartWithTable } from './chart-with-table';
import { EChart, type ChartOption } from './echart';

type Child = Coverage['children'][number];

export function isGapKind(value: string | null): value is GapKind {
  return value !== null && (COVERAGE_GAP_KINDS as readonly string[]).includes(value);
}

const GAP_PAGE_SIZE = 10;

const SERIES = [
  { key: 'missingTownshipPost', name: '缺乡镇岗', color: '#d4380d' },
  { key: 'missingVillagePost', name: '缺村级岗', color: '#fa8c16' },
  { key: 'specialDifficultyWithoutCountyLeader', name: '特困缺县级领导', color: '#722ed1' },
] as const;

const GAP_COLUMNS: TableColumnsType<CoverageGap> = [
  {
    title: '档案号',
    dataIndex: 'archiveNo',
    key: 'archiveNo',
    render: (archiveNo: string, g) => <Link to={`/families/${g.id}`}>{archiveNo}</Link>,
  },
  { title: '所在村（居）', dataIndex: 'regionName', key: 'regionName' },
  {
    title: '类型',
    key: 'type',
    render: (_, g) => (
      <>
        {labelOf(FAMILY_TYPE_LABELS, g.familyType)}
        {g.isSpecialDifficulty && (
          <Tag color="volcano" style={{ marginInlineStart: 8 }}>
            特殊困难
          </Tag>
        )}
      </>
    ),
  },
  { title: '', key: 'fix', render: (_, g) => <Link to={`/families/${g.id}/contacts`}>安排联系人</Link> },
];

function GapList({
  kind,
  regionCode,
  page,
  onPage,
}: {
  kind: GapKind;
  regionCode: string;
  page: number;
  onPage: (page: number) => void;
}) {
  const gaps = useCoverageGaps({ kind, regionCode, page, pageSize: GAP_PAGE_SIZE });
  return (
    <>
      {gaps.isError && <Alert type="error" showIcon title={errorMessage(gaps.error)} />}
      <Table<CoverageGap>
        rowKey="id"
        size="small"
        columns={GAP_COLUMNS}
        dataSource={gaps.data?.data}
        loading={gaps.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有这类缺口' }}
        pagination={{
          current: page,
          pageSize: GAP_PAGE_SIZE,
          total: gaps.data?.page.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => `共 ${total} 户`,
        }}
        onChange={(pagination) => onPage(pagination.current ?? 1)}
      />
    </>
  );
}

/** 双岗覆盖 (R1, R2): families lacking a township or village post, special-difficulty families without a county leader. */
export function CoverageCard({
  regionCode,
  childLevelLabel,
  gapKind,
  gapPage,
  onGap,
  onDrill,
}: {
  regionCode: string;
  childLevelLabel: string | undefined;
  gapKind: GapKind;
  gapPage: number;
  onGap: (kind: GapKind, page: number) => void;
  onDrill: (regionCode: string) => void;
}) {
  const coverage = useCoverage(regionCode);
  // Only regions with a gap are drawn; the table beside lists them all.
  const rows = useMemo(
    () =>
      coverage.data?.children.filter(
        (c) => c.missingTownshipPost + c.missingVillagePost + c.specialDifficultyWithoutCountyLeader > 0,
      ) ?? [],
    [coverage.data],
  );
  const height = Math.max(200, rows.length * 30 + 80);

  const option = useMemo<ChartOption>(() => {
    const reversed = [...rows].reverse();
    return {
      grid: { left: 8, right: 32, top: 32, bottom: 16, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: reversed.map((r) => r.name), axisLabel: { width: 130, overflow: 'truncate' } },
      series: SERIES.map((s) => ({
        type: 'bar' as const,
        name: s.name,
        data: reversed.map((r) => r[s.key]),
        itemStyle: { color: s.color },
        barMaxWidth: 10,
        label: {
          show: true,
          position: 'right' as const,
          formatter: (p: { value: unknown }) => (p.value ? String(p.value) : ''),
        },
      })),
    };
  }, [rows]);

  const total = coverage.data;
  if (coverage.isError) {
    return (
      <Card title="双岗覆盖">
        <Alert type="error" showIcon title={errorMessage(coverage.error)} />
      </Card>
    );
  }
  if (!total) {
    return (
      <Card title="双岗覆盖">
        <Skeleton active />
      </Card>
    );
  }
  const columns: TableColumnsType<Child> = [
    { title: childLevelLabel ?? '区划', dataIndex: 'name', key: 'name' },
    { title: '在册家庭', dataIndex: 'families', key: 'families', align: 'right' },
    { title: '双岗齐全', dataIndex: 'bothPosts', key: 'bothPosts', align: 'right' },
    { title: '缺乡镇岗', dataIndex: 'missingTownshipPost', key: 'mt', align: 'right' },
    { title: '缺村级岗', dataIndex: 'missingVillagePost', key: 'mv', align: 'right' },
    { title: '特殊困难家庭', dataIndex: 'specialDifficulty', key: 'sd', align: 'right' },
    { title: '缺县级领导', dataIndex: 'specialDifficultyWithoutCountyLeader', key: 'sdl', align: 'right' },
  ];
  const summary = (
    <Typography.Paragraph>
      在册家庭 {total.families} 户，双岗齐全 {total.bothPosts} 户；缺乡镇岗 {total.missingTownshipPost} 户，缺村级岗{' '}
      {total.missingVillagePost} 户；特殊困难家庭 {total.specialDifficulty} 户，其中缺县级领导联系{' '}
      {total.specialDifficultyWithoutCountyLeader} 户。
    </Typography.Paragraph>
  );

  return (
    <>
      {childLevelLabel && total.children.length > 0 ? (
        <ChartWithTable
          testId="coverage"
          title="双岗覆盖"
          chartSpan={10}
          chart={
            <>
              {summary}
              {rows.length === 0 ? (
                <Typography.Text type="success">各{childLevelLabel}双岗齐全</Typography.Text>
              ) : (
                <EChart
                  option={option}
                  height={height}
                  label={`各${childLevelLabel}双岗缺口条形图，数据见旁边表格`}
                  onClickName={(name) => {
                    const row = rows.find((r) => r.name === name);
                    if (row) onDrill(row.regionCode);
                  }}
                />
              )}
            </>
          }
          table={
            <Table<Child>
              rowKey="regionCode"
              size="small"
              columns={columns}
              dataSource={total.children}
              pagination={false}
              scroll={{ x: 'max-content', y: Math.max(height, 320) }}
              onRow={(row) => ({ onClick: () => onDrill(row.regionCode), style: { cursor: 'pointer' } })}
            />
          }
        />
      ) : (
        <Card title="双岗覆盖" data-testid="coverage">
          {summary}
        </Card>
      )}
      <Card title="缺口家庭" style={{ marginTop: 16 }} data-testid="coverage-gaps">
        <Tabs
          activeKey={gapKind}
          onChange={(key) => onGap(key as GapKind, 1)}
          items={COVERAGE_GAP_KINDS.map((kind) => ({
            key: kind,
            label: `${COVERAGE_GAP_KIND_LABELS[kind]}（${
              kind === 'missing_township'
                ? total.missingTownshipPost
                : kind === 'missing_village'
                  ? total.missingVillagePost
                  : total.specialDifficultyWithoutCountyLeader
            }）`,
            children:
              kind === gapKind ? (
                <GapList kind={kind} regionCode={regionCode} page={gapPage} onPage={(p) => onGap(kind, p)} />
              ) : null,
          }))}
        />
      </Card>
    </>
  );
}
