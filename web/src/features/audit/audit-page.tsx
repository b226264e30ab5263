import { useEffect, useState } from 'react';
import { Alert, Button, Col, DatePicker, Flex, Input, Row, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ROLE_LABELS, type Role } from '../../../../common/roles';
import { errorMessage } from '../../api/client';
import { useAuditEvents, useVerifyAuditChain, type AuditEvent, type AuditFilters } from '../../api/audit';
import { readPage, useUrlFilters, PAGE_SIZE_OPTIONS } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';

const DATE = 'YYYY-MM-DD';

function readDate(value: string | null): Dayjs | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = dayjs(value);
  return date.isValid() ? date : undefined;
}

/** The URL keeps calendar days (?from=2026-11-01); the API gets the instants that bound them in local time. */
function readFilters(params: URLSearchParams): AuditFilters & { fromDay?: Dayjs; toDay?: Dayjs } {
  const fromDay = readDate(params.get('from'));
  const toDay = readDate(params.get('to'));
  return {
    action: params.get('action') ?? undefined,
    actor: params.get('actor') ?? undefined,
    from: fromDay?.startOf('day').toISOString(),
    to: toDay?.endOf('day').toISOString(),
    fromDay,
    toDay,
    ...readPage(params),
  };
}

const OUTCOMES: Record<string, { label: string; color: string }> = {
  success: { label: '成功', color: 'green' },
  failure: { label: '失败', color: 'red' },
  denied: { label: '拒绝', color: 'orange' },
};

function Outcome({ outcome }: { outcome: string }) {
  const known = OUTCOMES[outcome];
  return <Tag color={known?.color}>{known?.label ?? outcome}</Tag>;
}

function VerifyResult({ ok, checked, brokenAt }: { ok: boolean; checked: number; brokenAt: number | null }) {
  return ok ? (
    <Alert type="success" showIcon title={`日志链完整：已校验 ${checked} 条记录，未发现篡改。`} />
  ) : (
    <Alert
      type="error"
      showIcon
      title={`日志链在序号 ${brokenAt ?? '未知'} 处断裂（已校验 ${checked} 条）。`}
      description="该记录或其之前的记录可能被篡改或删除，请立即报告安全管理员并保全数据库。"
    />
  );
}

export default function AuditPage() {
  usePageTitle('审计日志');
  const { params, setFilters, setPage } = useUrlFilters();
  const { fromDay, toDay, ...filters } = readFilters(params);
  const events = useAuditEvents(filters);
  const verify = useVerifyAuditChain();
  const [action, setAction] = useState(filters.action ?? '');
  const [actor, setActor] = useState(filters.actor ?? '');
  useEffect(() => setAction(filters.action ?? ''), [filters.action]);
  useEffect(() => setActor(filters.actor ?? ''), [filters.actor]);

  const columns: TableColumnsType<AuditEvent> = [
    { title: '序号', dataIndex: 'seq', key: 'seq' },
    {
      title: '时间',
      dataIndex: 'occurredAt',
      key: 'occurredAt',
      render: (value: string) => dayjs(value).format('YYYY-MM-DD HH:mm:ss'),
    },
    {
      title: '操作人',
      key: 'actor',
      render: (_, event) => (
        <>
          {event.actorUsername ?? '—'}
          {event.actorRole && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {ROLE_LABELS[event.actorRole as Role] ?? event.actorRole}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: '操作', dataIndex: 'action', key: 'action', render: (value: string) => <code>{value}</code> },
    {
      title: '对象',
      key: 'target',
      render: (_, event) =>
        event.targetType ? `${event.targetType}${event.targetId ? ` ${event.targetId}` : ''}` : '—',
    },
    { title: '结果', dataIndex: 'outcome', key: 'outcome', render: (value: string) => <Outcome outcome={value} /> },
    { title: 'IP', dataIndex: 'ip', key: 'ip', render: (value: string | null) => value ?? '—' },
    { title: '请求号', dataIndex: 'requestId', key: 'requestId', render: (value: string | null) => value ?? '—' },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          审计日志
        </Typography.Title>
        <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
          校验日志链
        </Button>
      </Flex>

      {verify.data && (
        <div style={{ marginBottom: 16 }}>
          <VerifyResult {...verify.data} />
        </div>
      )}
      {verify.isError && (
        <Alert type="error" showIcon title={errorMessage(verify.error)} style={{ marginBottom: 16 }} />
      )}

      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} sm={12} lg={6}>
          <Input.Search
            aria-label="操作"
            placeholder="操作，如 auth.login"
            allowClear
            value={action}
            onChange={(event) => setAction(event.target.value)}
            onSearch={(value) => setFilters({ action: value.trim() || undefined })}
          />
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Input.Search
            aria-label="操作人用户名"
            placeholder="操作人用户名"
            allowClear
            value={actor}
            onChange={(event) => setActor(event.target.value)}
            onSearch={(value) => setFilters({ actor: value.trim() || undefined })}
          />
        </Col>
        <Col xs={12} lg={6}>
          <DatePicker
            aria-label="开始日期"
            placeholder="开始日期"
            style={{ width: '100%' }}
            value={fromDay}
            disabledDate={(day) => (toDay ? day.isAfter(toDay, 'day') : false)}
            onChange={(day: Dayjs | null) => setFilters({ from: day ? day.format(DATE) : undefined })}
          />
        </Col>
        <Col xs={12} lg={6}>
          <DatePicker
            aria-label="结束日期"
            placeholder="结束日期"
            style={{ width: '100%' }}
            value={toDay}
            disabledDate={(day) => (fromDay ? day.isBefore(fromDay, 'day') : false)}
            onChange={(day: Dayjs | null) => setFilters({ to: day ? day.format(DATE) : undefined })}
          />
        </Col>
      </Row>

      {events.isError && (
        <Alert type="error" showIcon title={errorMessage(events.error)} style={{ marginBottom: 16 }} />
      )}

      <Table<AuditEvent>
        rowKey="seq"
        size="middle"
        columns={columns}
        dataSource={events.data?.data}
        loading={events.isFetching}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowRender: (event) => <pre className="json-block">{JSON.stringify(event.changes, null, 2)}</pre>,
          rowExpandable: (event) => event.changes !== null && event.changes !== undefined,
        }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: events.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `共 ${total} 条`,
        }}
        onChange={(pagination) => setPage(pagination.current ?? 1, pagination.pageSize ?? filters.pageSize)}
      />
    </>
  );
}
