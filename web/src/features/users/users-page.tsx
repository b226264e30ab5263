import { useState } from 'react';
import { Alert, App, Button, Flex, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ROLE_LABELS, type Role } from '../../../../common/roles';
import { errorMessage } from '../../api/client';
import { isLocked, useUnlockUser, useUsers, type User, type UserFilters } from '../../api/users';
import { useCurrentUser } from '../../app/auth-context';
import { readPage, useUrlFilters, PAGE_SIZE_OPTIONS } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { PasswordResetModal } from './password-reset-modal';
import { UserCreateModal } from './user-create-modal';
import { UserEditModal } from './user-edit-modal';
import { APPROVER_LABELS, describePendingChange } from '../security/security-labels';
import { formatDateTime, isRole, ROLE_OPTIONS } from './user-labels';

function readFilters(params: URLSearchParams): UserFilters {
  const role = params.get('role');
  return {
    q: params.get('q') ?? undefined,
    role: isRole(role) ? role : undefined,
    regionCode: params.get('region') ?? undefined,
    ...readPage(params),
  };
}

function UserStatus({ user }: { user: User }) {
  if (user.pendingChange)
    return (
      <Tooltip title={`${describePendingChange(user)}，待${APPROVER_LABELS[user.pendingChange.approverRole]}审批`}>
        <Tag color="blue">待审批</Tag>
      </Tooltip>
    );
  if (user.isDisabled) return <Tag>已停用</Tag>;
  if (isLocked(user)) {
    return (
      <Tooltip title={`锁定至 ${formatDateTime(user.lockedUntil)}`}>
        <Tag color="orange">已锁定</Tag>
      </Tooltip>
    );
  }
  return <Tag color="green">正常</Tag>;
}

export default function UsersPage() {
  usePageTitle('用户管理');
  const admin = useCurrentUser();
  const { message } = App.useApp();
  const { params, setFilters, setPage } = useUrlFilters();
  const filters = readFilters(params);
  const users = useUsers(filters);
  const unlock = useUnlockUser();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  const columns: TableColumnsType<User> = [
    { title: '用户名', dataIndex: 'username', key: 'username' },
    { title: '姓名', dataIndex: 'displayName', key: 'displayName' },
    { title: '角色', dataIndex: 'role', key: 'role', render: (role: Role) => ROLE_LABELS[role] ?? role },
    { title: '所属区划', dataIndex: 'regionName', key: 'regionName' },
    { title: '状态', key: 'status', render: (_, user) => <UserStatus user={user} /> },
    {
      title: '最近登录',
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      render: (value: string | null) => (value ? formatDateTime(value) : '从未登录'),
    },
    {
      title: '操作',
      key: 'actions',
      render: (_, user) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setEditing(user)}>
            编辑
          </Button>
          <Button type="link" size="small" onClick={() => setResetting(user)}>
            重置密码
          </Button>
          {isLocked(user) && (
            <Popconfirm
              title={`解锁 ${user.displayName} 的账户？`}
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
        </Space>
      ),
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          用户管理
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新建用户
        </Button>
      </Flex>

      <FilterBar
        fields={[
          {
            key: 'q',
            type: 'search',
            label: '搜索用户',
            placeholder: '用户名或姓名',
            value: filters.q ?? '',
            onSearch: (value) => setFilters({ q: value.trim() || undefined }),
          },
          {
            key: 'role',
            type: 'select',
            col: { xs: 24, sm: 12, lg: 6 },
            label: '角色',
            placeholder: '全部角色',
            options: ROLE_OPTIONS,
            value: filters.role,
            onChange: (role) => setFilters({ role }),
          },
          {
            key: 'region',
            type: 'region',
            col: { xs: 24, sm: 12, lg: 10 },
            rootCode: admin.regionCode,
            value: filters.regionCode,
            onChange: (regionCode) => setFilters({ region: regionCode }),
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
          showTotal: (total) => `共 ${total} 个用户`,
        }}
        onChange={(pagination) => setPage(pagination.current ?? 1, pagination.pageSize ?? filters.pageSize)}
      />

      <UserCreateModal open={creating} onClose={() => setCreating(false)} />
      {editing && <UserEditModal user={editing} onClose={() => setEditing(null)} />}
      {resetting && <PasswordResetModal user={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}
