import { Link } from 'react-router';
import { Alert, Button, Card, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { overdueExportUrl, useOverdueFamilies, type OverdueFamily } from '../../api/compliance';
import { formatDay } from '../visits/visit-dates';
import { FAMILY_TYPE_LABELS, labelOf, POST_SHORT_LABELS } from '../visits/visit-labels';
import { formatMonth } from './dashboard-format';

const PAGE_SIZE = 10;

const COLUMNS: TableColumnsType<OverdueFamily> = [
  {
    title: '档案号',
    dataIndex: 'archiveNo',
    key: 'archiveNo',
    render: (archiveNo: string, f) => <Link to={`/families/${f.familyId}`}>{archiveNo}</Link>,
  },
  { title: '家庭成员', dataIndex: 'parentNames', key: 'parentNames', render: (names: string[]) => names.join('、') },
  { title: '所在村（居）', dataIndex: 'regionName', key: 'regionName' },
  { title: '类型', dataIndex: 'familyType', key: 'familyType', render: (t: string) => labelOf(FAMILY_TYPE_LABELS, t) },
  {
    title: '本月电话等联系',
    dataIndex: 'contactsThisMonth',
    key: 'contactsThisMonth',
    align: 'right',
    render: (n: number) => `${n} 次`,
  },
  {
    title: '上次登门',
    dataIndex: 'lastHomeVisitAt',
    key: 'lastHomeVisitAt',
    render: (d: string | null) => (d ? formatDay(d) : <Typography.Text type="danger">从未登门</Typography.Text>),
  },
  {
    title: '联系人',
    dataIndex: 'contacts',
    key: 'contacts',
    render: (contacts: OverdueFamily['contacts'], f) =>
      contacts.length ? (
        contacts.map((c) => (
          <div key={c.contactId}>
            {labelOf(POST_SHORT_LABELS, c.post)}：{c.name} {c.phone}
          </div>
        ))
      ) : (
        <Link to={`/families/${f.familyId}/contacts`}>
          <Typography.Text type="danger">未安排联系人</Typography.Text>
        </Link>
      ),
  },
];

/** 本月未登门走访的家庭 with their contacts, and the masked xlsx of the whole list. */
export function OverdueTable({
  regionCode,
  month,
  page,
  onPage,
}: {
  regionCode: string;
  month: string;
  page: number;
  onPage: (page: number) => void;
}) {
  const overdue = useOverdueFamilies({ regionCode, month, page, pageSize: PAGE_SIZE });
  return (
    <Card
      title={`${formatMonth(month)}未登门走访的家庭`}
      data-testid="overdue"
      extra={
        <Button icon={<DownloadOutlined />} href={overdueExportUrl({ regionCode, month })} download>
          导出名单
        </Button>
      }
    >
      {overdue.isError && <Alert type="error" showIcon title={errorMessage(overdue.error)} />}
      <Table<OverdueFamily>
        rowKey="familyId"
        size="small"
        columns={COLUMNS}
        dataSource={overdue.data?.data}
        loading={overdue.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: overdue.data?.page.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => `共 ${total} 户；导出的名单中电话已隐藏中间几位`,
        }}
        onChange={(pagination) => onPage(pagination.current ?? 1)}
      />
    </Card>
  );
}
