import { Alert, Button, Card, Flex, Select, Space, Table, Typography, message } from 'antd';
import type { TableColumnsType } from 'antd';
import { BarChartOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import type { StatTemplate } from '../../../../common/labels';
import { errorMessage, isApiError } from '../../api/client';
import { useCreateStatReturn, useStatReturns, type StatReturn } from '../../api/stat-returns';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import {
  Countdown,
  dueLabel,
  duePeriods,
  isSubmitterRole,
  levelOfCode,
  periodLabel,
  StatusTag,
  templatesOfLevel,
  templateShort,
  TimelinessTag,
} from './stat-return-labels';

const isDone = (r: StatReturn) => r.status === 'submitted' || r.status === 'approved';

/**
 * 统计报表 (R9): the returns the office hands in now (last year's annual return, the last quarter's), each
 * with its deadline and days left, and every return of the office and of the regions reporting to it.
 */
export default function StatReturnsPage() {
  usePageTitle('统计报表');
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { params, setFilters } = useUrlFilters();
  const template = (['annual', 'quarterly'] as const).find((t) => t === params.get('template'));
  const period = params.get('period') ?? undefined;
  const returns = useStatReturns({ regionCode: user.regionCode, template, period });
  const create = useCreateStatReturn();
  const level = levelOfCode(user.regionCode);
  const mine = templatesOfLevel(level, user.regionCode);
  const canCompile = isSubmitterRole(user.role, user.regionCode);
  const all = returns.data ?? [];
  const own = all.filter((r) => r.regionCode === user.regionCode);

  const start = async (t: StatTemplate, p: string) => {
    try {
      const created = await create.mutateAsync({ template: t, period: p, regionCode: user.regionCode });
      navigate(`/stat-returns/${created.id}`);
    } catch (err) {
      // Someone else started it meanwhile: open theirs.
      const existing = isApiError(err, 'ALREADY_EXISTS') ? /([0-9a-f-]{36})/.exec(err.message)?.[1] : undefined;
      if (existing) navigate(`/stat-returns/${existing}`);
      else void message.error(errorMessage(err));
    }
  };

  const columns: TableColumnsType<StatReturn> = [
    { title: '填报单位', dataIndex: 'regionName', key: 'region' },
    { title: '报表', key: 'template', render: (_, r) => templateShort(r.template) },
    { title: '报表期', key: 'period', render: (_, r) => periodLabel(r.period) },
    { title: '状态', key: 'status', render: (_, r) => <StatusTag status={r.status} /> },
    {
      title: '报送时限',
      key: 'due',
      render: (_, r) => (
        <Space size={4} wrap>
          {dueLabel(r.dueAt)}
          <Countdown dueAt={r.dueAt} done={isDone(r)} />
        </Space>
      ),
    },
    { title: '及时性', key: 'timeliness', render: (_, r) => <TimelinessTag timeliness={r.timeliness} /> },
    {
      title: '操作',
      key: 'open',
      render: (_, r) => (
        <LinkButton size="small" to={`/stat-returns/${r.id}`}>
          查看
        </LinkButton>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          统计报表
        </Typography.Title>
        {level !== 'township' && level !== 'village' && (
          <LinkButton icon={<BarChartOutlined />} to="/reporting-rates">
            下级报送情况
          </LinkButton>
        )}
      </Flex>
      {returns.isError && <Alert type="error" showIcon title={errorMessage(returns.error)} />}
      {/* Until the returns have come, a due period would read 未填报 and offer 开始填报 for a return that may exist. */}
      {mine.length > 0 && returns.isPending && <Card title={`${user.regionName}本期应报`} loading />}
      {mine.length > 0 && returns.data && (
        <Card title={`${user.regionName}本期应报`} data-testid="due-returns">
          <Flex vertical gap={12}>
            {duePeriods()
              .filter((d) => mine.includes(d.template))
              .map((d) => {
                const r = own.find((x) => x.template === d.template && x.period === d.period);
                return (
                  <Flex key={d.template} justify="space-between" align="center" wrap gap={8}>
                    <Space wrap>
                      <Typography.Text strong>
                        {periodLabel(d.period)}
                        {templateShort(d.template)}
                      </Typography.Text>
                      {r ? <StatusTag status={r.status} /> : <StatusTag status="none" />}
                      {r && (
                        <>
                          <Typography.Text type="secondary">时限 {dueLabel(r.dueAt)}</Typography.Text>
                          <Countdown dueAt={r.dueAt} done={isDone(r)} />
                        </>
                      )}
                    </Space>
                    {r ? (
                      <LinkButton type="primary" to={`/stat-returns/${r.id}`}>
                        打开
                      </LinkButton>
                    ) : canCompile ? (
                      <Button
                        type="primary"
                        icon={<PlusOutlined />}
                        loading={create.isPending}
                        onClick={() => void start(d.template, d.period)}
                      >
                        开始填报
                      </Button>
                    ) : null}
                  </Flex>
                );
              })}
          </Flex>
        </Card>
      )}
      <Card
        title="报表列表"
        extra={
          <Space wrap>
            <Select
              allowClear
              placeholder="全部报表"
              style={{ width: 120 }}
              value={template}
              onChange={(v) => setFilters({ template: v })}
              options={[
                { value: 'annual', label: '年报' },
                { value: 'quarterly', label: '季报' },
              ]}
            />
            <Select
              allowClear
              placeholder="全部报表期"
              style={{ width: 150 }}
              value={period}
              onChange={(v) => setFilters({ period: v })}
              options={[...new Set(all.map((r) => r.period))].map((p) => ({ value: p, label: periodLabel(p) }))}
            />
          </Space>
        }
      >
        <Table
          rowKey="id"
          size="middle"
          loading={returns.isPending}
          columns={columns}
          dataSource={all}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: '暂无报表' }}
        />
      </Card>
    </Flex>
  );
}
