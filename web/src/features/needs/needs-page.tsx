import { Link } from 'react-router';
import { Alert, Flex, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ScheduleOutlined } from '@ant-design/icons';
import { NEED_STATUSES } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useNeeds, type Department, type Need, type NeedFilters, type NeedStatus } from '../../api/needs';
import { useCurrentUser } from '../../app/auth-context';
import { canOpen } from '../../app/menu';
import { LinkButton } from '../../components/link-button';
import { PAGE_SIZE_OPTIONS, readPage, useUrlFilters } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { codeLabel, formatDate } from '../families/family-labels';
import { DEPARTMENT_COLUMN, DESCRIPTION_COLUMN, NeedActions, NeedStatusTag } from './need-actions';
import { DEPARTMENTS, NEED_CATEGORY_LABELS, NEED_STATUS_LABELS, NEED_WRITERS, DEPARTMENT_OPTIONS } from './need-flow';
import { NeedsByDepartmentCard } from './needs-by-department';
import { ResponsiveTable } from '../../components/responsive-table';

const STATUS_OPTIONS = NEED_STATUSES.map((s) => ({ value: s, label: NEED_STATUS_LABELS[s] }));

const isStatus = (v: string | null): v is NeedStatus => (NEED_STATUSES as readonly (string | null)[]).includes(v);
const isDepartment = (v: string | null): v is Department => (DEPARTMENTS as readonly (string | null)[]).includes(v);

function readFilters(params: URLSearchParams): NeedFilters {
  const region = params.get('region');
  const status = params.get('status');
  const department = params.get('department');
  return {
    regionCode: region && /^\d{12}$/.test(region) ? region : undefined,
    status: isStatus(status) ? status : undefined,
    department: isDepartment(department) ? department : undefined,
    isOverdue: params.get('overdue') === 'true' ? 'true' : undefined,
    ...readPage(params),
  };
}

/**
 * 诉求办理 (R11): the needs of a region, filtered and paged on the server with the filters in the address
 * bar; each need's next step of the flow; resolution rate and overdue needs by department.
 */
export default function NeedsPage() {
  usePageTitle('诉求办理');
  const user = useCurrentUser();
  const { params, setFilters, setPage } = useUrlFilters();
  const filters = readFilters(params);
  const needs = useNeeds(filters);
  const canAct = NEED_WRITERS.includes(user.role);

  const columns: TableColumnsType<Need> = [
    {
      title: '档案号',
      dataIndex: 'archiveNo',
      key: 'archiveNo',
      render: (archiveNo: string | null, n) => (
        <Link to={`/families/${n.familyId}`} style={{ fontFamily: 'monospace' }}>
          {archiveNo ?? '档案'}
        </Link>
      ),
    },
    { title: '区划', dataIndex: 'regionName', key: 'regionName' },
    {
      title: '类别',
      dataIndex: 'category',
      key: 'category',
      render: (c: string) => codeLabel(NEED_CATEGORY_LABELS, c),
    },
    DEPARTMENT_COLUMN,
    DESCRIPTION_COLUMN,
    {
      title: '办理期限',
      dataIndex: 'deadline',
      key: 'deadline',
      render: (deadline: string, n) => (
        <Flex gap={4} wrap>
          <span>{formatDate(deadline)}</span>
          {n.isOverdue && <Tag color="red">已超期</Tag>}
        </Flex>
      ),
    },
    {
      title: '状态',
      key: 'status',
      render: (_, n) => (
        <Flex vertical gap={2} style={{ maxWidth: 180 }}>
          <span>
            <NeedStatusTag status={n.status} />
          </span>
          {n.status === 'resolved' && (
            <Typography.Text type="secondary">
              {n.resolution}
              {n.confirmedWithFamilyAt && '（已与家庭确认）'}
            </Typography.Text>
          )}
          {n.status === 'unresolvable' && <Typography.Text type="secondary">{n.statusReason}</Typography.Text>}
        </Flex>
      ),
    },
    ...(canAct
      ? [
          {
            title: '办理',
            key: 'actions',
            width: 180,
            render: (_: unknown, n: Need) => <NeedActions need={n} />,
          },
        ]
      : []),
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          诉求办理
        </Typography.Title>
        {canOpen('/joint-meetings', user) && (
          <LinkButton to="/joint-meetings" icon={<ScheduleOutlined />}>
            联席会议
          </LinkButton>
        )}
      </Flex>

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
            label: '办理状态',
            placeholder: '全部状态',
            options: STATUS_OPTIONS,
            value: filters.status,
            onChange: (status) => setFilters({ status }),
          },
          {
            key: 'department',
            type: 'select',
            label: '责任部门',
            placeholder: '全部部门',
            options: DEPARTMENT_OPTIONS,
            value: filters.department,
            onChange: (department) => setFilters({ department }),
          },
          {
            key: 'overdue',
            type: 'checkbox',
            col: { xs: 24, sm: 12, lg: 4 },
            label: '只看已超期',
            checked: filters.isOverdue === 'true',
            onChange: (checked) => setFilters({ overdue: checked ? 'true' : undefined }),
          },
        ]}
      />

      {needs.isError && <Alert type="error" showIcon title={errorMessage(needs.error)} style={{ marginBottom: 16 }} />}

      <ResponsiveTable<Need>
        data-testid="needs-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={needs.data?.data}
        loading={needs.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有符合条件的诉求' }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: needs.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `共 ${total} 件诉求`,
        }}
        onChange={(pagination) => setPage(pagination.current ?? 1, pagination.pageSize ?? filters.pageSize)}
        style={{ marginBottom: 16 }}
      />

      <NeedsByDepartmentCard
        regionCode={filters.regionCode}
        onPick={(department) => {
          setFilters({ department });
          window.scrollTo({ top: 0, behavior: 'smooth' });
        }}
      />
    </>
  );
}
