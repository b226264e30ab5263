import { Alert, Card, Col, Flex, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router';
import type { StatTemplate } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useReportingRates, type ReportingRates } from '../../api/stat-returns';
import { useCurrentUser } from '../../app/auth-context';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { ChartWithTable } from '../dashboard/chart-with-table';
import { EChart } from '../dashboard/echart';
import { duePeriods, levelOfCode, periodLabel, StatusTag, TimelinessTag, dueLabel } from './stat-return-labels';

type Child = ReportingRates['children'][number];

function periodOptions(template: StatTemplate) {
  const year = new Date().getFullYear();
  if (template === 'annual') return [0, 1, 2, 3].map((i) => String(year - i));
  return [0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
    const q = Math.floor(new Date().getMonth() / 3) - i;
    const y = year + Math.floor(q / 4);
    return `${y}-Q${(((q % 4) + 4) % 4) + 1}`;
  });
}

/**
 * 报送情况 (R9): which of the regions reporting to the chosen one have submitted, on time or late, and
 * which are missing — live, with a chart and its table; a row opens the child's own children.
 */
export default function ReportingRatesPage() {
  usePageTitle('报送情况');
  const user = useCurrentUser();
  const { params, setFilters } = useUrlFilters();
  const template: StatTemplate = params.get('template') === 'quarterly' ? 'quarterly' : 'annual';
  const due = duePeriods().find((d) => d.template === template)!;
  const period = params.get('period') ?? due.period;
  const region = params.get('region');
  const regionCode = region && /^\d{12}$/.test(region) ? region : user.regionCode;
  const rates = useReportingRates({ template, period, regionCode });
  const d = rates.data;
  const notYet = d ? d.expected - d.submitted - d.missing : 0;

  const columns: TableColumnsType<Child> = [
    {
      title: '单位',
      key: 'name',
      render: (_, c) =>
        levelOfCode(c.regionCode) === 'township' ? (
          c.name
        ) : (
          <Link to={`/reporting-rates?template=${template}&period=${period}&region=${c.regionCode}`}>{c.name}</Link>
        ),
    },
    { title: '状态', key: 'status', render: (_, c) => <StatusTag status={c.status} /> },
    { title: '及时性', key: 'timeliness', render: (_, c) => <TimelinessTag timeliness={c.timeliness} /> },
    { title: '报出日期', key: 'submitted', render: (_, c) => (c.submittedAt ? dueLabel(c.submittedAt) : '—') },
    { title: '时限', key: 'due', render: (_, c) => dueLabel(c.dueAt) },
    { title: '未报原因', key: 'reason', render: (_, c) => c.missingReason ?? '' },
    {
      title: '',
      key: 'open',
      render: (_, c) => (c.returnId ? <Link to={`/stat-returns/${c.returnId}`}>查看报表</Link> : null),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          报送情况{d ? `：${d.name}` : ''}
        </Typography.Title>
        <Space wrap>
          <Select
            style={{ width: 110 }}
            value={template}
            onChange={(v) => setFilters({ template: v, period: undefined })}
            options={[
              { value: 'annual', label: '年报' },
              { value: 'quarterly', label: '季报' },
            ]}
          />
          <Select
            style={{ width: 160 }}
            value={period}
            onChange={(v) => setFilters({ period: v })}
            options={periodOptions(template).map((p) => ({ value: p, label: periodLabel(p) }))}
          />
          {regionCode !== user.regionCode && (
            <Link to={`/reporting-rates?template=${template}&period=${period}`}>返回本级</Link>
          )}
        </Space>
      </Flex>
      {rates.isError && <Alert type="error" showIcon title={errorMessage(rates.error)} />}
      {d && (
        <Row gutter={[16, 16]}>
          {(
            [
              ['expected', '应报', d.expected],
              ['submitted', '已报', d.submitted],
              ['onTime', '按时', d.onTime],
              ['late', '迟报', d.late],
              ['missing', '未报（已逾期）', d.missing],
            ] as const
          ).map(([key, label, value]) => (
            <Col key={key} xs={12} sm={8} md={4}>
              <Card size="small" data-testid={`rate-${key}`}>
                <Statistic title={label} value={value} />
              </Card>
            </Col>
          ))}
          <Col xs={12} sm={8} md={4}>
            <Card size="small" data-testid="rate-percent">
              <Statistic
                title="报送率"
                value={d.expected ? Math.round((d.submitted / d.expected) * 1000) / 10 : 0}
                suffix="%"
              />
            </Card>
          </Col>
        </Row>
      )}
      <ChartWithTable
        title={`${periodLabel(period)}${template === 'annual' ? '年报' : '季报'}报送情况`}
        testId="reporting-rates"
        chartSpan={8}
        chart={
          d ? (
            <EChart
              height={240}
              label="报送情况图"
              option={{
                tooltip: {},
                grid: { left: 40, right: 16, top: 16, bottom: 30 },
                xAxis: { type: 'category', data: ['按时', '迟报', '未报', '未到期未报'] },
                yAxis: { type: 'value', minInterval: 1 },
                series: [
                  {
                    type: 'bar',
                    data: [
                      { value: d.onTime, itemStyle: { color: '#52c41a' } },
                      { value: d.late, itemStyle: { color: '#fa8c16' } },
                      { value: d.missing, itemStyle: { color: '#f5222d' } },
                      { value: notYet, itemStyle: { color: '#bfbfbf' } },
                    ],
                  },
                ],
              }}
            />
          ) : null
        }
        table={
          <Table
            rowKey="regionCode"
            size="small"
            loading={rates.isPending}
            columns={columns}
            dataSource={d?.children ?? []}
            pagination={false}
            scroll={{ x: 640 }}
            locale={{ emptyText: '没有应报的下级单位' }}
          />
        }
      />
    </Flex>
  );
}
