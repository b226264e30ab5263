import { Alert, Button, Card, Flex, InputNumber, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../api/client';
import { useAssessmentSchemes, type AssessmentScheme } from '../../api/assessments';
import { useCurrentUser } from '../../app/auth-context';
import { ResponsiveTable } from '../../components/responsive-table';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { formatDateTime } from '../families/family-labels';
import { AssessmentStatusTag } from './assessment-labels';

/** 考核 (R16–R17): the year's schemes of the user's level and below, and the published ones from above. */
export default function AssessmentsPage() {
  usePageTitle('考核');
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { params, setFilters } = useUrlFilters();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get('year')) || thisYear;
  const list = useAssessmentSchemes(year);
  const mayManage =
    user.abilities.includes('assessment.manage') &&
    (user.role === 'province_staff' || user.role === 'prefecture_staff');
  const columns: TableColumnsType<AssessmentScheme> = [
    {
      title: '考核方案',
      key: 'name',
      render: (_, s) => <Link to={`/assessments/${s.id}`}>{s.name}</Link>,
    },
    { title: '制定单位', dataIndex: 'regionName', key: 'region' },
    { title: '年度', dataIndex: 'year', key: 'year', render: (y: number) => `${y} 年` },
    { title: '状态', key: 'status', render: (_, s) => <AssessmentStatusTag status={s.status} /> },
    { title: '指标数', key: 'items', align: 'right', render: (_, s) => s.items.length },
    {
      title: '发布',
      key: 'published',
      render: (_, s) => (s.publishedAt ? `${formatDateTime(s.publishedAt)} ${s.publishedByName ?? ''}` : '—'),
    },
  ];
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        考核
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        省对市州和县（市、区）、市州对所辖县（市、区）进行年度目标责任考核：指标取自统计报表和抽样调查的同一口径，草稿实时计算，发布后结果冻结。
      </Typography.Paragraph>
      <Flex gap={8} wrap align="center">
        <InputNumber
          aria-label="年度"
          min={2016}
          max={thisYear}
          value={year}
          onChange={(v) => setFilters({ year: v && v !== thisYear ? String(v) : undefined })}
          addonAfter="年"
        />
        {mayManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/assessments/new?year=${year}`)}>
            新建考核方案
          </Button>
        )}
      </Flex>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Card size="small" title={`${year} 年考核方案`}>
        <ResponsiveTable<AssessmentScheme>
          data-testid="assessment-list"
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isPending}
          pagination={false}
          locale={{ emptyText: '本年度还没有考核方案' }}
        />
      </Card>
    </Flex>
  );
}
