import { useMemo, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { describeAuditChanges } from '../../../../common/audit-format';
import {
  AUDIT_ACTIONS,
  AUDIT_CATEGORIES,
  AUDIT_CATEGORY_LABELS,
  AUDIT_OUTCOME_LABELS,
  AUDIT_TARGET_LABELS,
  type AuditAction,
} from '../../../../common/labels';
import { ROLE_LABELS } from '../../../../common/roles';
import { errorMessage } from '../../api/client';
import {
  auditExportUrl,
  useAuditEvents,
  useVerifyAuditChain,
  type AuditEvent,
  type AuditFilters,
  type AuditVerification,
} from '../../api/audit';
import { readPage, useUrlFilters, PAGE_SIZE_OPTIONS } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { dateRangeFields } from '../../components/date-range-filter';
import { usePageTitle } from '../../components/use-page-title';

const DATE = 'YYYY-MM-DD';
const OUTCOMES = ['success', 'failure', 'denied'] as const;
const OUTCOME_COLORS: Record<string, string> = { success: 'green', failure: 'red', denied: 'orange' };

function readDate(value: string | null): Dayjs | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = dayjs(value);
  return date.isValid() ? date : undefined;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** The URL keeps calendar days (?from=2026-11-01); the API gets the instants that bound them in local time. */
function readFilters(params: URLSearchParams): AuditFilters & { fromDay?: Dayjs; toDay?: Dayjs } {
  const fromDay = readDate(params.get('from'));
  const toDay = readDate(params.get('to'));
  return {
    category: oneOf(params.get('category'), AUDIT_CATEGORIES),
    action: params.get('action') ?? undefined,
    actor: params.get('actor') ?? undefined,
    outcome: oneOf(params.get('outcome'), OUTCOMES),
    from: fromDay?.startOf('day').toISOString(),
    to: toDay?.endOf('day').toISOString(),
    fromDay,
    toDay,
    ...readPage(params),
  };
}

function Outcome({ outcome }: { outcome: string }) {
  const label = AUDIT_OUTCOME_LABELS[outcome as keyof typeof AUDIT_OUTCOME_LABELS];
  return <Tag color={OUTCOME_COLORS[outcome]}>{label ?? outcome}</Tag>;
}

/** How the target reads: 档案 TS4208…0012, 账户 wang_li, 区划 钟祥市; an id only for what has no name. */
function targetText(e: AuditEvent): string {
  if (!e.targetType) return '—';
  const type = AUDIT_TARGET_LABELS[e.targetType] ?? e.targetType;
  const name = e.targetLabel ?? (e.targetId ? `#${e.targetId.slice(0, 8)}` : '');
  return `${type} ${name}`.trim();
}

const when = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm:ss');

function VerifyResult({ result }: { result: AuditVerification }) {
  const cp = result.checkpoint;
  const checkpointText = cp
    ? `最新签名检查点：${when(cp.at)}，共 ${cp.count} 条记录。`
    : '尚无签名检查点（新安装，或检查点文件不在）。';
  if (result.ok)
    return (
      <Alert
        type="success"
        showIcon
        title={`日志链完整：已校验 ${result.checked} 条记录，未发现篡改。`}
        description={`${checkpointText}${result.anchor === 'matches' ? '日志与检查点一致。' : ''}`}
      />
    );
  const what =
    result.brokenAt !== null
      ? `日志链在序号 ${result.brokenAt} 处断裂（其前 ${result.checked} 条完好）。`
      : result.anchor === 'rows_missing'
        ? `日志末尾缺失第 ${result.missingFrom}–${result.missingTo} 条：这些记录已从数据库中删除。`
        : result.anchor === 'head_mismatch'
          ? '日志末尾与签名检查点不符：最新记录被替换。'
          : '检查点文件被改动：签名不符。';
  return (
    <Alert
      type="error"
      showIcon
      title={what}
      description={`${checkpointText}请立即报告安全管理员，并保全数据库与检查点文件。`}
    />
  );
}

function EventDetail({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  const lines = event ? describeAuditChanges(event.changes) : [];
  return (
    <Drawer open={event !== null} onClose={onClose} title={event ? `审计记录 #${event.seq}` : ''} size="large">
      {event && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="时间">{when(event.occurredAt)}</Descriptions.Item>
            <Descriptions.Item label="操作">
              {event.actionLabel}
              {event.category && <Tag style={{ marginLeft: 8 }}>{AUDIT_CATEGORY_LABELS[event.category]}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label="结果">
              <Outcome outcome={event.outcome} />
            </Descriptions.Item>
            <Descriptions.Item label="操作人">
              {event.actorUsername ?? '—'}
              {event.actorRole && `（${ROLE_LABELS[event.actorRole]}）`}
            </Descriptions.Item>
            <Descriptions.Item label="对象">{targetText(event)}</Descriptions.Item>
            <Descriptions.Item label="对象所在区划">
              {event.targetRegionName ?? event.targetRegionCode ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label="IP">{event.ip ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="请求号">{event.requestId ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            详情
          </Typography.Title>
          {lines.length === 0 ? (
            <Typography.Text type="secondary">无</Typography.Text>
          ) : (
            <ul style={{ paddingLeft: 20 }}>
              {lines.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          )}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            身份证号码、电话只以脱敏形式记录；姓名、地址、日期和文字说明只记录密钥摘要（“已摘要”），审计日志中不保存其内容。
          </Typography.Paragraph>
        </>
      )}
    </Drawer>
  );
}

export default function AuditPage() {
  usePageTitle('审计日志');
  const { params, setFilters, setPage } = useUrlFilters();
  const { fromDay, toDay, ...filters } = readFilters(params);
  const events = useAuditEvents(filters);
  const verify = useVerifyAuditChain();
  const [detail, setDetail] = useState<AuditEvent | null>(null);

  const actionOptions = useMemo(
    () =>
      (Object.keys(AUDIT_ACTIONS) as AuditAction[])
        .filter((a) => !filters.category || AUDIT_ACTIONS[a].category === filters.category)
        .map((a) => ({ value: a, label: AUDIT_ACTIONS[a].label })),
    [filters.category],
  );
  const { page: _page, pageSize: _pageSize, ...exportFilters } = filters;

  const columns: TableColumnsType<AuditEvent> = [
    { title: '时间', dataIndex: 'occurredAt', key: 'occurredAt', render: (value: string) => when(value) },
    {
      title: '操作',
      key: 'action',
      render: (_, event) => (
        <>
          {event.actionLabel}
          {event.category && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {AUDIT_CATEGORY_LABELS[event.category]}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: '操作人',
      key: 'actor',
      render: (_, event) => (
        <>
          {event.actorUsername ?? '—'}
          {event.actorRole && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {ROLE_LABELS[event.actorRole]}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: '对象', key: 'target', render: (_, event) => targetText(event) },
    {
      title: '区划',
      key: 'region',
      responsive: ['md'],
      render: (_, event) => event.targetRegionName ?? event.targetRegionCode ?? '—',
    },
    { title: '结果', dataIndex: 'outcome', key: 'outcome', render: (value: string) => <Outcome outcome={value} /> },
    { title: 'IP', dataIndex: 'ip', key: 'ip', responsive: ['lg'], render: (value: string | null) => value ?? '—' },
    {
      title: '详情',
      key: 'detail',
      fixed: 'right',
      render: (_, event) => (
        <Button type="link" size="small" onClick={() => setDetail(event)} aria-label={`查看第 ${event.seq} 条详情`}>
          查看
        </Button>
      ),
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          审计日志
        </Typography.Title>
        <Flex gap={8} wrap>
          <Button icon={<DownloadOutlined />} href={auditExportUrl(exportFilters)} download>
            导出（{events.data?.page.total ?? 0} 条）
          </Button>
          <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
            校验日志链
          </Button>
        </Flex>
      </Flex>

      {verify.data && (
        <div style={{ marginBottom: 16 }}>
          <VerifyResult result={verify.data} />
        </div>
      )}
      {verify.isError && (
        <Alert type="error" showIcon title={errorMessage(verify.error)} style={{ marginBottom: 16 }} />
      )}

      <FilterBar
        fields={[
          {
            key: 'category',
            type: 'select',
            col: { xs: 12, sm: 8, lg: 4 },
            label: '类别',
            placeholder: '全部类别',
            options: AUDIT_CATEGORIES.map((c) => ({ value: c, label: AUDIT_CATEGORY_LABELS[c] })),
            value: filters.category,
            onChange: (value) => setFilters({ category: value, action: undefined }),
          },
          {
            key: 'action',
            type: 'select',
            col: { xs: 12, sm: 8, lg: 5 },
            label: '操作',
            placeholder: '全部操作',
            searchable: true,
            options: actionOptions,
            value: filters.action,
            onChange: (value) => setFilters({ action: value }),
          },
          {
            key: 'outcome',
            type: 'select',
            col: { xs: 12, sm: 8, lg: 4 },
            label: '结果',
            placeholder: '全部结果',
            options: OUTCOMES.map((o) => ({ value: o, label: AUDIT_OUTCOME_LABELS[o] })),
            value: filters.outcome,
            onChange: (value) => setFilters({ outcome: value }),
          },
          {
            key: 'actor',
            type: 'search',
            col: { xs: 12, sm: 8, lg: 4 },
            label: '操作人用户名',
            placeholder: '操作人用户名',
            value: filters.actor ?? '',
            onSearch: (value) => setFilters({ actor: value.trim() || undefined }),
          },
          ...dateRangeFields({
            key: 'date',
            col: { xs: 12, sm: 8, lg: 3 },
            from: fromDay,
            to: toDay,
            onFrom: (day) => setFilters({ from: day ? day.format(DATE) : undefined }),
            onTo: (day) => setFilters({ to: day ? day.format(DATE) : undefined }),
          }),
        ]}
      />

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
      <EventDetail event={detail} onClose={() => setDetail(null)} />
    </>
  );
}
