import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Descriptions, Flex, Form, Input, Modal, Radio, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  DUPLICATE_RESOLUTION_LABELS,
  DUPLICATE_RESOLUTIONS,
  DUPLICATE_STATUS_LABELS,
  DUPLICATE_STATUSES,
  type DuplicateResolution,
  type DuplicateStatus,
} from '../../../../common/labels';
import { LIMITS } from '../../../../common/limits';
import { errorMessage, isApiError } from '../../api/client';
import {
  useDuplicates,
  useResolveDuplicate,
  type DuplicateFilters,
  type DuplicateView,
} from '../../api/duplicate-archives';
import { useCurrentUser } from '../../app/auth-context';
import { applyServerErrors } from '../../components/form-errors';
import { PAGE_SIZE_OPTIONS, readPage, useUrlFilters } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { familyStatusLabel, formatDate, formatDateTime, RELATION_LABELS } from '../families/family-labels';

const STATUS_OPTIONS = DUPLICATE_STATUSES.map((s) => ({ value: s, label: DUPLICATE_STATUS_LABELS[s] }));
const STATUS_COLORS: Record<DuplicateStatus, string> = { pending: 'orange', transferred: 'blue', rejected: 'default' };
const isStatus = (v: string | null): v is DuplicateStatus =>
  (DUPLICATE_STATUSES as readonly (string | null)[]).includes(v);

function readFilters(params: URLSearchParams): DuplicateFilters {
  const region = params.get('region');
  const status = params.get('status');
  return {
    regionCode: region && /^\d{12}$/.test(region) ? region : undefined,
    // The work list by default: what is still to be resolved.
    status: status === 'all' ? undefined : isStatus(status) ? status : 'pending',
    ...readPage(params),
  };
}

type Side = NonNullable<DuplicateView['newArchive']>;

function ArchiveCell({ side }: { side: DuplicateView['newArchive'] }) {
  if (!side) return <Typography.Text type="secondary">其他省份的档案（不在本级管辖范围内）</Typography.Text>;
  return (
    <Flex vertical gap={2}>
      <Link to={`/families/${side.familyId}`} style={{ fontFamily: 'monospace' }}>
        {side.archiveNo}
      </Link>
      <span>{side.regionName}</span>
      <Typography.Text type="secondary">
        {side.memberRelation ? RELATION_LABELS[side.memberRelation as 'father' | 'mother'] : ''}
        {side.memberName} {side.idNumber}
      </Typography.Text>
      <Typography.Text type="secondary">
        建档 {formatDate(side.enteredAt)}，{familyStatusLabel(side.status as never)}
      </Typography.Text>
    </Flex>
  );
}

function sideItems(label: string, side: Side | null) {
  return {
    key: label,
    label,
    children: side
      ? `${side.archiveNo}（${side.regionName}，${side.memberName ?? ''}，建档 ${formatDate(side.enteredAt)}）`
      : '其他省份的档案',
  };
}

interface Values {
  resolution?: DuplicateResolution;
  reason?: string;
}

/** The resolve dialog: transfer (the family moved) or reject (the new archive is a mistake), with a reason. */
function ResolveModal({ duplicate, onClose }: { duplicate: DuplicateView; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const resolve = useResolveDuplicate();
  const { message, modal } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const canTransfer = duplicate.existingArchive !== null;

  const onFinish = (values: Values) => {
    setError(null);
    resolve.mutate(
      {
        id: duplicate.id,
        resolution: values.resolution!,
        reason: values.reason?.trim() ?? '',
        version: duplicate.version,
      },
      {
        onSuccess: () => {
          message.success(values.resolution === 'transfer' ? '已转移档案' : '已驳回新档案');
          onClose();
        },
        onError: (err) => {
          if (isApiError(err, 'VERSION_CONFLICT') || isApiError(err, 'INVALID_STATE')) {
            onClose();
            modal.warning({ title: '该重复建档已被处理或已变更', content: errorMessage(err), okText: '知道了' });
            return;
          }
          setError(applyServerErrors(form, err, ['resolution', 'reason']));
        },
      },
    );
  };

  return (
    <Modal
      open
      title="处理重复建档"
      okText="确认处理"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={resolve.isPending}
      destroyOnHidden
    >
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[sideItems('原档案', duplicate.existingArchive), sideItems('新档案', duplicate.newArchive)]}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item name="resolution" label="处理方式" rules={[{ required: true, message: '请选择处理方式' }]}>
          <Radio.Group>
            <Flex vertical gap={8}>
              {DUPLICATE_RESOLUTIONS.map((r) => (
                <Radio key={r} value={r} disabled={r === 'transfer' && !canTransfer}>
                  {DUPLICATE_RESOLUTION_LABELS[r]}
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="reason"
          label="处理理由"
          extra="记入档案的变更记录，两地工作人员可见"
          rules={[
            { required: true, whitespace: true, message: '请填写处理理由' },
            { min: 4, message: '处理理由至少 4 个字' },
            { max: LIMITS.shortText, message: `处理理由不能超过 ${LIMITS.shortText} 个字` },
          ]}
        >
          <Input.TextArea rows={3} maxLength={LIMITS.shortText} placeholder="例如：经核实，该户已于 2026 年迁入本县" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 重复建档核查 (issue 10 item 2): a parent's ID number archived in two regions, flagged to the lowest level
 * over both (the county, the city or the province). The creator was told nothing; this level decides.
 */
export default function DuplicatesPage() {
  usePageTitle('重复建档核查');
  const user = useCurrentUser();
  const { params, setFilters, setPage } = useUrlFilters();
  const filters = readFilters(params);
  const duplicates = useDuplicates(filters);
  const [resolving, setResolving] = useState<DuplicateView | null>(null);

  const columns: TableColumnsType<DuplicateView> = [
    {
      title: '发现时间',
      dataIndex: 'createdAt',
      key: 'createdAt',
      render: (at: string) => formatDateTime(at),
    },
    { title: '原档案', key: 'existing', render: (_, d) => <ArchiveCell side={d.existingArchive} /> },
    { title: '新档案', key: 'new', render: (_, d) => <ArchiveCell side={d.newArchive} /> },
    { title: '核查层级', dataIndex: 'supervisingName', key: 'supervisingName' },
    {
      title: '状态',
      key: 'status',
      render: (_, d) => (
        <Flex vertical gap={2} style={{ maxWidth: 220 }}>
          <span>
            <Tag color={STATUS_COLORS[d.status]}>{DUPLICATE_STATUS_LABELS[d.status]}</Tag>
          </span>
          {d.reason && <Typography.Text type="secondary">{d.reason}</Typography.Text>}
          {d.resolvedAt && (
            <Typography.Text type="secondary">
              {d.resolvedByName} {formatDateTime(d.resolvedAt)}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: '处理',
      key: 'actions',
      render: (_, d) =>
        d.abilities.resolve ? (
          <Button size="small" type="primary" onClick={() => setResolving(d)}>
            处理
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        重复建档核查
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        同一父母的身份证号码在两个地区建档时，由共同的上级（同县为县级，同市为市级，跨市为省级）核实处理：
        家庭确已迁居的，转移档案；属于误建的，驳回新档案。建档人不会被告知另一地区的档案。
      </Typography.Paragraph>

      <FilterBar
        fields={[
          {
            key: 'region',
            type: 'region',
            rootCode: user.regionCode,
            value: filters.regionCode,
            onChange: (regionCode) => setFilters({ region: regionCode }),
          },
          {
            key: 'status',
            type: 'select',
            col: { xs: 24, sm: 12, lg: 6 },
            label: '处理状态',
            allowClear: false,
            options: [...STATUS_OPTIONS, { value: 'all', label: '全部状态' }],
            value: filters.status ?? 'all',
            onChange: (status) => setFilters({ status: status === 'pending' ? undefined : status }),
          },
        ]}
      />

      {duplicates.isError && (
        <Alert type="error" showIcon title={errorMessage(duplicates.error)} style={{ marginBottom: 16 }} />
      )}

      <Table<DuplicateView>
        data-testid="duplicates-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={duplicates.data?.data}
        loading={duplicates.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有需要核查的重复建档' }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: duplicates.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `共 ${total} 条`,
        }}
        onChange={(pagination) => setPage(pagination.current ?? 1, pagination.pageSize ?? filters.pageSize)}
      />
      {resolving && <ResolveModal duplicate={resolving} onClose={() => setResolving(null)} />}
    </>
  );
}
