import { useState } from 'react';
import { Alert, App, Button, Flex, Input, Modal, Popconfirm, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ROLE_LABELS, type Role } from '../../../../common/roles';
import { errorMessage } from '../../api/client';
import {
  isLocked,
  useDecideUser,
  useResetMfa,
  useUnlockUser,
  useUserApprovals,
  useUsers,
  type User,
} from '../../api/users';
import { useCurrentUser } from '../../app/auth-context';
import { readPage, useUrlFilters, PAGE_SIZE_OPTIONS } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { formatDateTime } from '../users/user-labels';
import { APPROVER_LABELS, describePendingChange } from './security-labels';

function AccountState({ user }: { user: User }) {
  const tags = [];
  if (user.pendingChange)
    tags.push(
      <Tag key="p" color="blue">
        待审批
      </Tag>,
    );
  if (user.isDisabled) tags.push(<Tag key="d">已停用</Tag>);
  if (isLocked(user))
    tags.push(
      <Tooltip key="l" title={`锁定至 ${formatDateTime(user.lockedUntil)}`}>
        <Tag color="red">已锁定</Tag>
      </Tooltip>,
    );
  if (user.blockedSources > 0)
    tags.push(
      <Tooltip key="s" title="这些地址对本账户的登录已被暂停，其他地址不受影响">
        <Tag color="orange">{user.blockedSources} 个来源被暂停</Tag>
      </Tooltip>,
    );
  if (user.isUnclaimed) tags.push(<Tag key="u">未启用（待本人改密）</Tag>);
  if (tags.length === 0)
    tags.push(
      <Tag key="ok" color="green">
        正常
      </Tag>,
    );
  return (
    <Space size={[0, 4]} wrap>
      {tags}
    </Space>
  );
}

/** Approve or refuse one pending change, with an optional reason kept in the audit log. */
function DecisionModal({
  user,
  decision,
  onClose,
}: {
  user: User;
  decision: 'approve' | 'reject';
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const decide = useDecideUser();
  const [reason, setReason] = useState('');
  const label = decision === 'approve' ? '批准' : '驳回';
  return (
    <Modal
      open
      title={`${label}：${user.displayName}（${user.username}）`}
      okText={label}
      okButtonProps={{ danger: decision === 'reject' }}
      cancelText="取消"
      confirmLoading={decide.isPending}
      onCancel={onClose}
      onOk={() =>
        decide.mutateAsync({ id: user.id, decision, version: user.version, reason: reason.trim() || undefined }).then(
          () => {
            message.success(`已${label} ${user.username}`);
            onClose();
          },
          (err: unknown) => message.error(errorMessage(err)),
        )
      }
    >
      <Typography.Paragraph>
        变更内容：<Typography.Text strong>{describePendingChange(user)}</Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        提出时间 {formatDateTime(user.pendingChange?.requestedAt)}
        。批准后变更立即生效；新账户还须本人首次登录修改密码后才能使用。
      </Typography.Paragraph>
      <Input.TextArea
        aria-label="审批意见"
        placeholder="审批意见（选填，记入审计日志）"
        maxLength={200}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
    </Modal>
  );
}

function ApprovalsTab() {
  const approvals = useUserApprovals();
  const [deciding, setDeciding] = useState<{ user: User; decision: 'approve' | 'reject' } | null>(null);
  const columns: TableColumnsType<User> = [
    { title: '用户名', dataIndex: 'username', key: 'username' },
    { title: '姓名', dataIndex: 'displayName', key: 'displayName' },
    { title: '变更内容', key: 'change', render: (_, user) => describePendingChange(user) },
    {
      title: '审批人',
      key: 'approver',
      responsive: ['md'],
      render: (_, user) => (user.pendingChange ? APPROVER_LABELS[user.pendingChange.approverRole] : ''),
    },
    {
      title: '提出时间',
      key: 'requestedAt',
      responsive: ['md'],
      render: (_, user) => formatDateTime(user.pendingChange?.requestedAt),
    },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      render: (_, user) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setDeciding({ user, decision: 'approve' })}>
            批准
          </Button>
          <Button type="link" size="small" danger onClick={() => setDeciding({ user, decision: 'reject' })}>
            驳回
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <>
      {approvals.isError && (
        <Alert type="error" showIcon title={errorMessage(approvals.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<User>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={approvals.data?.data}
        loading={approvals.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: '没有待审批的变更' }}
      />
      {deciding && <DecisionModal {...deciding} onClose={() => setDeciding(null)} />}
    </>
  );
}

function AccountsTab() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const { params, setFilters, setPage } = useUrlFilters();
  const filters = { q: params.get('q') ?? undefined, ...readPage(params) };
  const users = useUsers(filters);
  const unlock = useUnlockUser();
  const resetMfa = useResetMfa();
  const canResetMfa = me.abilities.includes('user.mfaReset');

  const columns: TableColumnsType<User> = [
    { title: '用户名', dataIndex: 'username', key: 'username' },
    { title: '姓名', dataIndex: 'displayName', key: 'displayName', responsive: ['sm'] },
    {
      title: '角色',
      dataIndex: 'role',
      key: 'role',
      responsive: ['md'],
      render: (role: Role) => ROLE_LABELS[role] ?? role,
    },
    { title: '状态', key: 'state', render: (_, user) => <AccountState user={user} /> },
    { title: '登录失败', dataIndex: 'failedAttempts', key: 'failedAttempts', responsive: ['sm'] },
    {
      title: '最近登录',
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      responsive: ['md'],
      render: (value: string | null) => (value ? formatDateTime(value) : '从未登录'),
    },
    {
      title: '动态验证码',
      dataIndex: 'mfaEnabled',
      key: 'mfaEnabled',
      responsive: ['md'],
      render: (value: boolean) => (value ? <Tag color="green">已绑定</Tag> : <Tag>未绑定</Tag>),
    },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      render: (_, user) => (
        <Space size={0} wrap>
          {(isLocked(user) || user.blockedSources > 0 || user.failedAttempts > 0) && (
            <Popconfirm
              title={`解锁 ${user.displayName} 的账户？`}
              description="清除所有来源的登录失败计数"
              okText="解锁"
              cancelText="取消"
              onConfirm={() =>
                unlock.mutateAsync(user.id).then(
                  () => message.success(`已解锁 ${user.username}`),
                  (err: unknown) => message.error(errorMessage(err)),
                )
              }
            >
              <Button type="link" size="small">
                解锁
              </Button>
            </Popconfirm>
          )}
          {canResetMfa && user.mfaEnabled && user.id !== me.id && (
            <Popconfirm
              title={`重置 ${user.displayName} 的动态验证码？`}
              description="本人须重新绑定；其当前登录会话将结束"
              okText="重置"
              okButtonProps={{ danger: true }}
              cancelText="取消"
              onConfirm={() =>
                resetMfa.mutateAsync(user.id).then(
                  () => message.success(`已重置 ${user.username} 的动态验证码`),
                  (err: unknown) => message.error(errorMessage(err)),
                )
              }
            >
              <Button type="link" size="small" danger>
                重置验证码
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <FilterBar
        fields={[
          {
            key: 'q',
            type: 'search',
            label: '搜索账户',
            placeholder: '用户名或姓名',
            value: filters.q ?? '',
            onSearch: (value) => setFilters({ q: value.trim() || undefined }),
          },
        ]}
      />
      {users.isError && <Alert type="error" showIcon title={errorMessage(users.error)} style={{ marginBottom: 16 }} />}
      <Table<User>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={users.data?.data}
        loading={users.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: users.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `共 ${total} 个账户`,
        }}
        onChange={(pagination) => setPage(pagination.current ?? 1, pagination.pageSize ?? filters.pageSize)}
      />
    </>
  );
}

/**
 * 安全管理: the security administrator's desk (issue 11 item 2) — approvals of account changes (三员
 * separation), lock state and failed logins, unlock, second-factor reset. The auditor sees the approvals of
 * changes to security administrators' accounts here too; tabs follow the abilities the server sent.
 */
export default function SecurityPage() {
  usePageTitle('安全管理');
  const me = useCurrentUser();
  const { params, setFilters } = useUrlFilters();
  const canReadAccounts = me.abilities.includes('user.read');
  const tab = canReadAccounts && params.get('tab') === 'accounts' ? 'accounts' : 'approvals';
  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          安全管理
        </Typography.Title>
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={(key) => setFilters({ tab: key === 'approvals' ? undefined : key, q: undefined })}
        items={[
          { key: 'approvals', label: '待审批', children: <ApprovalsTab /> },
          ...(canReadAccounts ? [{ key: 'accounts', label: '账户与锁定', children: <AccountsTab /> }] : []),
        ]}
      />
    </>
  );
}
