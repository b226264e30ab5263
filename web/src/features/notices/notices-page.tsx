import { Alert, Card, Flex, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useChannelCoverage } from '../../api/channels';
import { useNotices, type NoticeFilterStatus, type NoticeListItem } from '../../api/notices';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { PAGE_SIZE_OPTIONS, readPage, useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { levelOfCode } from '../stat-returns/stat-return-labels';
import { CONFIDENTIALITY_LABELS, formatTime, NoticeStatusTag, STATUS_TABS } from './notice-labels';

const FILTER_STATUSES: readonly string[] = ['draft', 'submitted', 'published', 'returned', 'withdrawn'];

/**
 * 通知公告 (R10): the county's notices by status — drafts, those waiting for the county leader, published,
 * returned with a reason, withdrawn — for the county's staff and leader; read-only from the city and the
 * province, by county.
 */
export default function NoticesPage() {
  usePageTitle('通知公告');
  const user = useCurrentUser();
  const isCounty = levelOfCode(user.regionCode) === 'county';
  const canWrite = isCounty && user.abilities.includes('notice.write');
  const isLeader = user.abilities.includes('notice.approve');
  const { params, setFilters, setPage } = useUrlFilters();
  const raw = params.get('status') ?? '';
  const status = FILTER_STATUSES.includes(raw) ? (raw as NoticeFilterStatus) : undefined;
  const q = params.get('q') ?? undefined;
  const county = isCounty ? undefined : (params.get('county') ?? undefined);
  const { page, pageSize } = readPage(params);
  const notices = useNotices({ regionCode: county, status, q, page, pageSize });
  const coverage = useChannelCoverage(user.regionCode, !isCounty);

  const columns: TableColumnsType<NoticeListItem> = [
    {
      title: '标题',
      key: 'title',
      render: (_, n) => (
        <Space size={4} wrap>
          <LinkButton type="link" size="small" to={`/notices/${n.id}`} style={{ padding: 0, whiteSpace: 'normal' }}>
            {n.title}
          </LinkButton>
          {n.attachments.length > 0 && (
            <Tag icon={<PaperClipOutlined />} bordered={false}>
              {n.attachments.length}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: '状态', key: 'status', width: 100, render: (_, n) => <NoticeStatusTag notice={n} /> },
    {
      title: '公开范围',
      key: 'conf',
      width: 90,
      render: (_, n) => CONFIDENTIALITY_LABELS[n.confidentiality],
    },
    ...(isCounty ? [] : [{ title: '县（市、区）', dataIndex: 'regionName', key: 'region', width: 120 }]),
    { title: '起草人', dataIndex: 'authorName', key: 'author', width: 120 },
    {
      title: '时间',
      key: 'time',
      width: 170,
      render: (_, n) =>
        n.publishedAt
          ? `发布 ${formatTime(n.publishedAt)}`
          : n.submittedAt && n.status === 'submitted'
            ? `提交 ${formatTime(n.submittedAt)}`
            : `更新 ${formatTime(n.updatedAt)}`,
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          通知公告
        </Typography.Title>
        {canWrite && (
          <LinkButton type="primary" icon={<PlusOutlined />} to="/notices/new">
            起草公告
          </LinkButton>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        县级工作人员起草，县级领导审批通过后发布到平台公告栏，并推送到企业微信群、提供QQ群和微信群的张贴文本。涉密内容不得通过本平台发布。
      </Typography.Paragraph>
      {isLeader && status !== 'submitted' && (
        <Alert
          type="info"
          showIcon
          title={
            <span>
              待您审批的公告在“待审批”中。
              <Typography.Link onClick={() => setFilters({ status: 'submitted' })}>查看待审批</Typography.Link>
            </span>
          }
        />
      )}
      <Card size="small">
        <Tabs
          activeKey={status ?? ''}
          onChange={(k) => setFilters({ status: k || undefined })}
          items={STATUS_TABS.map((t) => ({ key: t.key, label: t.label }))}
          data-testid="notice-status-tabs"
        />
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder="按标题查找"
            defaultValue={q}
            onSearch={(v) => setFilters({ q: v.trim() || undefined })}
            style={{ width: 220 }}
            aria-label="按标题查找"
          />
          {!isCounty && (
            <Select
              allowClear
              placeholder="全部县（市、区）"
              style={{ width: 180 }}
              value={county}
              onChange={(v?: string) => setFilters({ county: v })}
              options={(coverage.data?.children ?? []).map((c) => ({ value: c.regionCode, label: c.name }))}
            />
          )}
        </Flex>
        {notices.isError && <Alert type="error" showIcon title={errorMessage(notices.error)} />}
        <Table
          rowKey="id"
          size="middle"
          data-testid="notices-table"
          loading={notices.isPending}
          columns={columns}
          dataSource={notices.data?.data ?? []}
          scroll={{ x: 720 }}
          locale={{ emptyText: '暂无公告' }}
          pagination={{
            current: page,
            pageSize,
            total: notices.data?.page.total ?? 0,
            pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
            showSizeChanger: true,
            showTotal: (total) => `共 ${total} 条`,
            onChange: setPage,
          }}
        />
      </Card>
    </Flex>
  );
}
