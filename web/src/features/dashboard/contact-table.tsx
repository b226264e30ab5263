import { Alert, Card, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { errorMessage } from '../../api/client';
import { useContactCompliance, type ContactCompliance } from '../../api/compliance';
import { labelOf, POST_LABELS } from '../visits/visit-labels';
import { formatRate } from './dashboard-format';

const PAGE_SIZE = 10;

const COLUMNS: TableColumnsType<ContactCompliance> = [
  { title: '联系人', dataIndex: 'name', key: 'name' },
  { title: '岗位', dataIndex: 'post', key: 'post', render: (post: string) => labelOf(POST_LABELS, post) },
  { title: '所在区划', dataIndex: 'regionName', key: 'regionName' },
  { title: '联系家庭', dataIndex: 'families', key: 'families', align: 'right' },
  { title: '本月已登门', dataIndex: 'visited', key: 'visited', align: 'right' },
  { title: '待走访', key: 'due', align: 'right', render: (_, r) => (r.families ? r.families - r.visited : '—') },
  {
    title: '走访率',
    dataIndex: 'rate',
    key: 'rate',
    align: 'right',
    // A cadre with no families has no rate, not 0.0 %.
    render: (r: number, row) => (row.families ? formatRate(r) : '—'),
  },
];

/** 联系人走访情况: each contact's own families and how many they home-visited this month. */
export function ContactTable({
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
  const contacts = useContactCompliance({ regionCode, month, page, pageSize: PAGE_SIZE });
  return (
    <Card title="联系人走访情况" data-testid="contact-compliance">
      {contacts.isError && <Alert type="error" showIcon title={errorMessage(contacts.error)} />}
      <Table<ContactCompliance>
        rowKey="contactId"
        size="small"
        columns={COLUMNS}
        dataSource={contacts.data?.data}
        loading={contacts.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: contacts.data?.page.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => `共 ${total} 名联系人`,
        }}
        onChange={(pagination) => onPage(pagination.current ?? 1)}
      />
    </Card>
  );
}
