import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Flex, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { LIMITS } from '../../../../common/limits';
import { REVEAL_REQUEST_STATUS_LABELS, REVEAL_REQUEST_STATUSES } from '../../../../common/labels';
import { errorMessage, isApiError } from '../../api/client';
import {
  useDecideRevealRequest,
  useRevealRequests,
  type RevealRequestFilters,
  type RevealRequestStatus,
  type RevealRequestView,
} from '../../api/reveal-requests';
import { applyServerErrors } from '../../components/form-errors';
import { PAGE_SIZE_OPTIONS, readPage, useUrlFilters } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { formatDateTime } from '../families/family-labels';

export const REVEAL_STATUS_COLORS: Record<RevealRequestStatus, string> = {
  pending: 'orange',
  approved: 'green',
  rejected: 'red',
  used: 'default',
  expired: 'default',
};
const STATUS_OPTIONS = REVEAL_REQUEST_STATUSES.map((s) => ({ value: s, label: REVEAL_REQUEST_STATUS_LABELS[s] }));
const isStatus = (v: string | null): v is RevealRequestStatus =>
  (REVEAL_REQUEST_STATUSES as readonly (string | null)[]).includes(v);

function readFilters(params: URLSearchParams): RevealRequestFilters {
  const status = params.get('status');
  // The work list by default: what is still to be decided.
  return { status: status === 'all' ? undefined : isStatus(status) ? status : 'pending', ...readPage(params) };
}

/** Approve (the reason optional) or reject (the reason required, the requester reads it). */
function DecideModal({
  request,
  decision,
  onClose,
}: {
  request: RevealRequestView;
  decision: 'approve' | 'reject';
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ reason?: string }>();
  const decide = useDecideRevealRequest();
  const { message, modal } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const approving = decision === 'approve';

  return (
    <Modal
      open
      title={approving ? '批准查看完整号码' : '驳回查看申请'}
      okText={approving ? '批准' : '驳回'}
      okButtonProps={{ danger: !approving }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={decide.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {request.requestedByName} 申请查看档案 {request.archiveNo} 的{request.fieldLabel}。
        <br />
        申请理由：{request.reason}
      </Typography.Paragraph>
      {approving && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="批准后，申请人可在有效期内查看该号码一次，查看记入审计日志。"
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={({ reason }) => {
          setError(null);
          const text = reason?.trim();
          decide.mutate(
            { id: request.id, decision, version: request.version, ...(text ? { reason: text } : {}) } as never,
            {
              onSuccess: () => {
                message.success(approving ? '已批准' : '已驳回');
                onClose();
              },
              onError: (err) => {
                if (isApiError(err, 'VERSION_CONFLICT') || isApiError(err, 'INVALID_STATE')) {
                  onClose();
                  modal.warning({ title: '该申请已被处理或已变更', content: errorMessage(err), okText: '知道了' });
                  return;
                }
                setError(applyServerErrors(form, err, ['reason']));
              },
            },
          );
        }}
      >
        <Form.Item
          name="reason"
          label={approving ? '审批意见（选填）' : '驳回理由'}
          rules={[
            ...(approving ? [] : [{ required: true, whitespace: true, message: '请填写驳回理由' }]),
            { max: LIMITS.shortText, message: `不能超过 ${LIMITS.shortText} 个字` },
          ]}
        >
          <Input.TextArea
            rows={2}
            maxLength={LIMITS.shortText}
            placeholder={approving ? '例如：核实属实，同意查看' : '例如：已于上周核对，无需再次查看'}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 完整号码查看审批 (issue 10 item 16): an account that has seen its hour's worth of full ID numbers or phones asks
 * the township; its staff (or the county above) approve one more reveal of one value, or reject with a reason.
 */
export default function RevealRequestsPage() {
  usePageTitle('完整号码查看审批');
  const { params, setFilters, setPage } = useUrlFilters();
  const filters = readFilters(params);
  const requests = useRevealRequests(filters);
  const [deciding, setDeciding] = useState<{ request: RevealRequestView; decision: 'approve' | 'reject' } | null>(null);

  const columns: TableColumnsType<RevealRequestView> = [
    { title: '申请时间', key: 'requestedAt', render: (_, r) => formatDateTime(r.requestedAt) },
    { title: '申请人', dataIndex: 'requestedByName', key: 'requestedByName' },
    {
      title: '档案',
      key: 'archive',
      render: (_, r) => (
        <Flex vertical gap={2}>
          <Link to={`/families/${r.familyId}`} style={{ fontFamily: 'monospace' }}>
            {r.archiveNo}
          </Link>
          <Typography.Text type="secondary">{r.regionName}</Typography.Text>
        </Flex>
      ),
    },
    { title: '查看内容', dataIndex: 'fieldLabel', key: 'fieldLabel' },
    {
      title: '申请理由',
      dataIndex: 'reason',
      key: 'reason',
      render: (reason: string) => <div style={{ maxWidth: 260 }}>{reason}</div>,
    },
    {
      title: '状态',
      key: 'status',
      render: (_, r) => (
        <Flex vertical gap={2} style={{ maxWidth: 240 }}>
          <span>
            <Tag color={REVEAL_STATUS_COLORS[r.status]}>{REVEAL_REQUEST_STATUS_LABELS[r.status]}</Tag>
          </span>
          {r.decidedAt && (
            <Typography.Text type="secondary">
              {r.decidedByName} {formatDateTime(r.decidedAt)}
            </Typography.Text>
          )}
          {r.decisionReason && <Typography.Text type="secondary">{r.decisionReason}</Typography.Text>}
          {r.status === 'approved' && r.expiresAt && (
            <Typography.Text type="secondary">有效期至 {formatDateTime(r.expiresAt)}</Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: '审批',
      key: 'actions',
      render: (_, r) =>
        r.abilities.decide ? (
          <Flex gap={8} wrap>
            <Button size="small" type="primary" onClick={() => setDeciding({ request: r, decision: 'approve' })}>
              批准
            </Button>
            <Button size="small" danger onClick={() => setDeciding({ request: r, decision: 'reject' })}>
              驳回
            </Button>
          </Flex>
        ) : null,
    },
  ];

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        完整号码查看审批
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        每个账户每小时可查看的完整身份证号、电话有上限。超过上限仍确需查看的，由申请人说明理由，
        本乡镇（街道）或县级工作人员审批；批准后申请人可在有效期内查看该号码一次。本人的申请须由他人审批。
      </Typography.Paragraph>
      <FilterBar
        fields={[
          {
            key: 'status',
            type: 'select',
            col: { xs: 24, sm: 12, lg: 6 },
            label: '审批状态',
            allowClear: false,
            options: [...STATUS_OPTIONS, { value: 'all', label: '全部状态' }],
            value: filters.status ?? 'all',
            onChange: (status) => setFilters({ status: status === 'pending' ? undefined : status }),
          },
        ]}
      />
      {requests.isError && (
        <Alert type="error" showIcon title={errorMessage(requests.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<RevealRequestView>
        data-testid="reveal-requests-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={requests.data?.data}
        loading={requests.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有待审批的查看申请' }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: requests.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `共 ${total} 条`,
        }}
        onChange={(pagination) => setPage(pagination.current ?? 1, pagination.pageSize ?? filters.pageSize)}
      />
      {deciding && <DecideModal {...deciding} onClose={() => setDeciding(null)} />}
    </>
  );
}
