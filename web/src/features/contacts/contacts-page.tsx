import { useState } from 'react';
import { Alert, App, Button, Flex, Popconfirm, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, PrinterOutlined, TeamOutlined } from '@ant-design/icons';
import { LinkButton } from '../../components/link-button';
import { errorMessage } from '../../api/client';
import { useContacts, useUpdateContact, type Contact, type ContactFilters } from '../../api/contacts';
import { useCurrentUser } from '../../app/auth-context';
import { PAGE_SIZE_OPTIONS, readPage, useUrlFilters } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { CAN_WRITE_CONTACTS, isPost, POST_LABELS, POST_OPTIONS, type Post } from './contact-labels';
import { ContactFormModal } from './contact-form-modal';
import { HandoverModal } from './handover-modal';
import { ResponsiveTable } from '../../components/responsive-table';

const ACTIVE_OPTIONS = [
  { value: 'true', label: '在用' },
  { value: 'false', label: '已停用' },
];

function readFilters(params: URLSearchParams): ContactFilters {
  const post = params.get('post');
  const active = params.get('active');
  return {
    q: params.get('q') ?? undefined,
    post: isPost(post) ? post : undefined,
    regionCode: params.get('region') ?? undefined,
    isActive: active === 'true' ? true : active === 'false' ? false : undefined,
    ...readPage(params),
  };
}

/** 联系人库 (R1): the township's contacts, their posts and how many families each holds. */
export default function ContactsPage() {
  usePageTitle('联系人库');
  const user = useCurrentUser();
  const { message } = App.useApp();
  const { params, setFilters, setPage } = useUrlFilters();
  const filters = readFilters(params);
  const contacts = useContacts(filters);
  const update = useUpdateContact();
  const canWrite = CAN_WRITE_CONTACTS.includes(user.role);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [handingOver, setHandingOver] = useState<Contact | null>(null);

  const setActive = (contact: Contact, isActive: boolean) =>
    update.mutateAsync({ id: contact.id, version: contact.version, isActive }).then(
      () => message.success(`${contact.name} 已${isActive ? '启用' : '停用'}`),
      (err: unknown) => message.error(errorMessage(err)),
    );

  const columns: TableColumnsType<Contact> = [
    { title: '姓名', dataIndex: 'name', key: 'name' },
    { title: '岗位', dataIndex: 'post', key: 'post', render: (post: Post) => POST_LABELS[post] ?? post },
    { title: '电话', dataIndex: 'phone', key: 'phone' },
    { title: '所属区划', dataIndex: 'regionName', key: 'regionName' },
    {
      title: '单位 / 职务',
      key: 'organization',
      render: (_, c) => [c.organization, c.title].filter(Boolean).join(' · ') || '—',
    },
    {
      title: '联系家庭',
      dataIndex: 'familyCount',
      key: 'familyCount',
      align: 'right',
      render: (n: number) => `${n} 户`,
    },
    {
      title: '状态',
      key: 'isActive',
      render: (_, c) => (c.isActive ? <Tag color="green">在用</Tag> : <Tag>已停用</Tag>),
    },
    ...(canWrite
      ? [
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, c: Contact) => (
              <Space size={0} wrap>
                <Button type="link" size="small" onClick={() => setEditing(c)}>
                  编辑
                </Button>
                {c.isActive && c.familyCount > 0 && (
                  <Button type="link" size="small" onClick={() => setHandingOver(c)}>
                    交接
                  </Button>
                )}
                {c.isActive && c.familyCount === 0 && (
                  <Popconfirm
                    title={`停用联系人 ${c.name}？`}
                    okText="停用"
                    cancelText="取消"
                    onConfirm={() => setActive(c, false)}
                  >
                    <Button type="link" size="small" danger>
                      停用
                    </Button>
                  </Popconfirm>
                )}
                {!c.isActive && (
                  <Button type="link" size="small" onClick={() => setActive(c, true)}>
                    启用
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          联系人库
        </Typography.Title>
        <Space wrap>
          {canWrite && (
            <LinkButton to="/contacts/bulk" icon={<TeamOutlined />}>
              批量安排双岗
            </LinkButton>
          )}
          <LinkButton to="/contact-cards" icon={<PrinterOutlined />}>
            批量打印联系卡
          </LinkButton>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新增联系人
            </Button>
          )}
        </Space>
      </Flex>

      <FilterBar
        fields={[
          {
            key: 'q',
            type: 'search',
            col: { xs: 24, sm: 12, lg: 6 },
            label: '搜索联系人',
            placeholder: '姓名',
            value: filters.q ?? '',
            onSearch: (value) => setFilters({ q: value.trim() || undefined }),
          },
          {
            key: 'post',
            type: 'select',
            col: { xs: 24, sm: 12, lg: 5 },
            label: '岗位',
            placeholder: '全部岗位',
            options: POST_OPTIONS,
            value: filters.post,
            onChange: (post) => setFilters({ post }),
          },
          {
            key: 'region',
            type: 'region',
            rootCode: user.regionCode,
            value: filters.regionCode,
            onChange: (regionCode) => setFilters({ region: regionCode }),
          },
          {
            key: 'active',
            type: 'select',
            col: { xs: 24, sm: 12, lg: 5 },
            label: '状态',
            placeholder: '在用和已停用',
            options: ACTIVE_OPTIONS,
            value: filters.isActive === undefined ? undefined : String(filters.isActive),
            onChange: (active) => setFilters({ active }),
          },
        ]}
      />

      {contacts.isError && (
        <Alert type="error" showIcon title={errorMessage(contacts.error)} style={{ marginBottom: 16 }} />
      )}

      <ResponsiveTable<Contact>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={contacts.data?.data}
        loading={contacts.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: contacts.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `共 ${total} 名联系人`,
        }}
        onChange={(pagination) => setPage(pagination.current ?? 1, pagination.pageSize ?? filters.pageSize)}
      />

      {creating && <ContactFormModal onClose={() => setCreating(false)} />}
      {editing && <ContactFormModal contact={editing} onClose={() => setEditing(null)} />}
      {handingOver && <HandoverModal contact={handingOver} onClose={() => setHandingOver(null)} />}
    </>
  );
}
