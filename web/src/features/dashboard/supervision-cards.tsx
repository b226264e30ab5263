import { useMemo } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Col, Row, Skeleton, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { errorMessage } from '../../api/client';
import { useFestivals } from '../../api/festivals';
import { useSupervisionSummary, type NeedsByDepartment, type SupervisionSummary } from '../../api/supervision';
import {
  DEPARTMENT_LABELS,
  labelOf,
  RISK_LEVEL_LABELS,
  TARGET_LEVEL_LABELS,
  type RiskLevel,
  type TargetLevel,
} from '../visits/visit-labels';
import { formatDay } from '../visits/visit-dates';
import { formatRate } from './dashboard-format';
import { EChart, type ChartOption } from './echart';

const CHART_HEIGHT = 240;

/** A chart with its table below it, for the narrower cards of the summary. */
function SummaryCard({
  title,
  note,
  chart,
  table,
  testId,
  more,
}: {
  title: string;
  /** Where the whole work of this card is done. */
  more?: { to: string; label: string };
  note?: React.ReactNode;
  chart: React.ReactNode;
  table: React.ReactNode;
  testId?: string;
}) {
  return (
    <Card
      title={title}
      extra={more && <Link to={more.to}>{more.label}</Link>}
      style={{ height: '100%' }}
      data-testid={testId}
    >
      {note && <Typography.Paragraph>{note}</Typography.Paragraph>}
      {chart}
      <div style={{ marginTop: 12 }}>{table}</div>
    </Card>
  );
}

function barOption(
  categories: string[],
  series: Array<{ name: string; data: number[]; color: string; stack?: string }>,
): ChartOption {
  return {
    grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    legend: series.length > 1 ? { top: 0 } : undefined,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({
      type: 'bar' as const,
      name: s.name,
      data: s.data,
      stack: s.stack,
      barMaxWidth: 36,
      itemStyle: { color: s.color },
      label: {
        show: true,
        position: s.stack ? ('inside' as const) : ('top' as const),
        formatter: (p: { value: unknown }) => (p.value ? String(p.value) : ''),
      },
    })),
  };
}

function EventsCard({ events }: { events: SupervisionSummary['events'] }) {
  const option = useMemo(
    () =>
      barOption(
        events.byAge.map((b) => b.bucket),
        [{ name: '未处置', data: events.byAge.map((b) => b.count), color: '#cf1322' }],
      ),
    [events],
  );
  return (
    <SummaryCard
      testId="summary-events"
      title="未处置的重大情况"
      note={`共 ${events.open} 件，其中逾期未响应 ${events.overdue} 件，已升级 ${events.escalated} 件`}
      chart={<EChart option={option} height={CHART_HEIGHT} label="未处置重大情况按时长分布的柱状图，数据见下表" />}
      table={
        <Table
          rowKey="bucket"
          size="small"
          pagination={false}
          dataSource={events.byAge}
          columns={[
            { title: '报告至今', dataIndex: 'bucket', key: 'bucket' },
            { title: '件数', dataIndex: 'count', key: 'count', align: 'right' },
          ]}
        />
      }
    />
  );
}

function FestivalCard({ festival, regionCode }: { festival: SupervisionSummary['festival']; regionCode: string }) {
  const dates = useFestivals(festival.year);
  const window = dates.data?.find((f) => f.festival === festival.festival);
  const rows = useMemo(
    () => [
      { key: 'cared', label: '已慰问', count: festival.cared },
      { key: 'declined', label: '家庭婉拒', count: festival.declined },
      { key: 'notYet', label: '尚未慰问', count: Math.max(0, festival.families - festival.cared - festival.declined) },
    ],
    [festival],
  );
  const option = useMemo(
    () =>
      barOption(
        rows.map((r) => r.label),
        [{ name: '家庭数', data: rows.map((r) => r.count), color: '#d48806' }],
      ),
    [rows],
  );
  return (
    <SummaryCard
      testId="summary-festival"
      more={{
        to: `/festival-care?year=${festival.year}&festival=${festival.festival}&region=${regionCode}`,
        label: '逐户查看',
      }}
      title={`${festival.year}年${festival.label}慰问`}
      note={
        <>
          {window && `慰问期 ${formatDay(window.windowFrom)} 至 ${formatDay(window.windowTo)}。`}
          在册家庭 {festival.families} 户，已慰问或婉拒 {festival.cared + festival.declined} 户（
          {formatRate(festival.rate)}）
        </>
      }
      chart={<EChart option={option} height={CHART_HEIGHT} label={`${festival.label}慰问覆盖柱状图，数据见下表`} />}
      table={
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: '情况', dataIndex: 'label', key: 'label' },
            { title: '家庭数', dataIndex: 'count', key: 'count', align: 'right' },
          ]}
        />
      }
    />
  );
}

const RISK_ORDER: RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];
const TARGET_ORDER: TargetLevel[] = ['beijing', 'out_of_province', 'province', 'prefecture', 'county'];
const TARGET_COLORS: Record<TargetLevel, string> = {
  beijing: '#820014',
  out_of_province: '#a8071a',
  province: '#d4380d',
  prefecture: '#fa8c16',
  county: '#8c8c8c',
};

function riskCount(risks: NonNullable<SupervisionSummary['risks']>, risk: RiskLevel, target: TargetLevel): number {
  return risks.find((r) => r.riskLevel === risk && r.targetLevel === target)?.count ?? 0;
}

function RisksCard({ risks }: { risks: NonNullable<SupervisionSummary['risks']> }) {
  const count = (risk: RiskLevel, target: TargetLevel) => riskCount(risks, risk, target);
  const option = useMemo(
    () =>
      barOption(
        // The colour of a risk is its name: the axis says 红色 / 橙色 … in words.
        RISK_ORDER.map((r) => `${RISK_LEVEL_LABELS[r]}风险`),
        TARGET_ORDER.filter((t) => risks.some((r) => r.targetLevel === t)).map((t) => ({
          name: TARGET_LEVEL_LABELS[t],
          data: RISK_ORDER.map((r) => riskCount(risks, r, t)),
          color: TARGET_COLORS[t],
          stack: 'target',
        })),
      ),
    [risks],
  );
  const rows = RISK_ORDER.map((risk) => ({
    risk,
    total: TARGET_ORDER.reduce((sum, t) => sum + count(risk, t), 0),
    ...Object.fromEntries(TARGET_ORDER.map((t) => [t, count(risk, t)])),
  })) as Array<{ risk: RiskLevel; total: number } & Record<TargetLevel, number>>;
  const total = risks.reduce((sum, r) => sum + r.count, 0);
  return (
    <SummaryCard
      testId="summary-risks"
      title="在办的信访苗头"
      note={`共 ${total} 件，按风险等级和可能去往的层级`}
      chart={
        total ? (
          <EChart option={option} height={CHART_HEIGHT} label="信访苗头按风险等级和去向的堆积柱状图，数据见下表" />
        ) : (
          <Typography.Text type="secondary">暂无在办的信访苗头</Typography.Text>
        )
      }
      table={
        <Table
          rowKey="risk"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={rows}
          columns={[
            {
              title: '风险等级',
              dataIndex: 'risk',
              key: 'risk',
              render: (r: RiskLevel) => `${labelOf(RISK_LEVEL_LABELS, r)}`,
            },
            ...TARGET_ORDER.map((t) => ({
              title: TARGET_LEVEL_LABELS[t],
              dataIndex: t,
              key: t,
              align: 'right' as const,
            })),
            { title: '合计', dataIndex: 'total', key: 'total', align: 'right' as const },
          ]}
        />
      }
    />
  );
}

const NEED_COLUMNS: TableColumnsType<NeedsByDepartment> = [
  { title: '部门', dataIndex: 'department', key: 'department', render: (d: string) => labelOf(DEPARTMENT_LABELS, d) },
  { title: '诉求', dataIndex: 'total', key: 'total', align: 'right' },
  { title: '已解决', dataIndex: 'resolved', key: 'resolved', align: 'right' },
  { title: '无法解决', dataIndex: 'unresolvable', key: 'unresolvable', align: 'right' },
  { title: '逾期', dataIndex: 'overdue', key: 'overdue', align: 'right' },
  { title: '解决率', dataIndex: 'resolutionRate', key: 'rate', align: 'right', render: (r: number) => formatRate(r) },
];

function NeedsCard({ needs, regionCode }: { needs: NeedsByDepartment[]; regionCode: string }) {
  const option = useMemo(
    () =>
      barOption(
        needs.map((n) => labelOf(DEPARTMENT_LABELS, n.department)),
        [
          { name: '诉求', data: needs.map((n) => n.total), color: '#1d5fa8' },
          { name: '已解决', data: needs.map((n) => n.resolved), color: '#389e0d' },
          { name: '逾期', data: needs.map((n) => n.overdue), color: '#cf1322' },
        ],
      ),
    [needs],
  );
  return (
    <SummaryCard
      testId="summary-needs"
      more={{ to: `/needs?region=${regionCode}`, label: '诉求办理' }}
      title="诉求办理（按责任部门）"
      chart={
        needs.length ? (
          <EChart option={option} height={CHART_HEIGHT} label="各部门诉求办理柱状图，数据见下表" />
        ) : (
          <Typography.Text type="secondary">暂无诉求</Typography.Text>
        )
      }
      table={
        <Table<NeedsByDepartment>
          rowKey="department"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={needs}
          columns={NEED_COLUMNS}
        />
      }
    />
  );
}

/** 督导概览 (R5, R6, R7, R11) of the chosen region. */
export function SupervisionCards({ regionCode }: { regionCode: string }) {
  const summary = useSupervisionSummary(regionCode);
  if (summary.isError) return <Alert type="error" showIcon title={errorMessage(summary.error)} />;
  if (!summary.data) return <Skeleton active />;
  const { events, festival, risks, needs } = summary.data;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <EventsCard events={events} />
      </Col>
      <Col xs={24} lg={12}>
        <FestivalCard festival={festival} regionCode={regionCode} />
      </Col>
      {risks && (
        <Col xs={24} lg={12}>
          <RisksCard risks={risks} />
        </Col>
      )}
      <Col xs={24} lg={risks ? 12 : 24}>
        <NeedsCard needs={needs} regionCode={regionCode} />
      </Col>
    </Row>
  );
}
