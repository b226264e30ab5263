import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Segmented, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Role } from '../../../../common/roles';
import { errorMessage } from '../../api/client';
import { useCareFamilies, type CareFamily, type CareStatus, type FestivalDate } from '../../api/festivals';
import { PAGE_SIZE_OPTIONS } from '../../components/url-state';
import { formatDay } from '../visits/visit-dates';
import { CARE_MANNER_LABELS, FAMILY_TYPE_LABELS, labelOf, POST_SHORT_LABELS } from '../visits/visit-labels';
import { CAN_RECORD_FESTIVAL_CARE } from '../visits/visit-roles';

// The visit page's own care form, loaded only when someone records care from the list.
const FestivalCareDrawer = lazy(() => import('../visits/festival-care-drawer'));

export const CARE_STATUS_LABELS: Record<CareStatus, string> = {
  not_cared: '尚未慰问',
  cared: '已慰问',
  declined: '家庭婉拒',
};

/** The contact a staff member records care as: their own post's contact of the family, else none. */
const STAFF_POST: Partial<Record<Role, string>> = { village_staff: 'village_cadre', township_staff: 'township_cadre' };

function baseColumns(): TableColumnsType<CareFamily> {
  return [
    {
      title: '档案号',
      dataIndex: 'archiveNo',
      key: 'archiveNo',
      render: (archiveNo: string, f) => <Link to={`/families/${f.familyId}`}>{archiveNo}</Link>,
    },
    { title: '家庭成员', dataIndex: 'parentNames', key: 'parentNames', render: (names: string[]) => names.join('、') },
    { title: '所在村（居）', dataIndex: 'regionName', key: 'regionName' },
    {
      title: '类型',
      dataIndex: 'familyType',
      key: 'familyType',
      render: (t: string) => labelOf(FAMILY_TYPE_LABELS, t),
    },
    {
      title: '联系人',
      dataIndex: 'contacts',
      key: 'contacts',
      render: (contacts: CareFamily['contacts']) =>
        contacts.length ? (
          contacts.map((c) => (
            <div key={c.contactId}>
              {labelOf(POST_SHORT_LABELS, c.post)}：{c.name}
            </div>
          ))
        ) : (
          <Typography.Text type="danger">未安排联系人</Typography.Text>
        ),
    },
  ];
}

const CARE_COLUMNS: TableColumnsType<CareFamily> = [
  {
    title: '慰问方式',
    dataIndex: 'care',
    key: 'manner',
    render: (care: CareFamily['care']) => labelOf(CARE_MANNER_LABELS, care?.manner),
  },
  {
    title: '日期',
    dataIndex: 'care',
    key: 'caredOn',
    render: (care: CareFamily['care']) => formatDay(care?.caredOn),
  },
];

/**
 * The families of the region in one care status (尚未慰问 first, so a township can chase them); village
 * and township staff record care from the list once the window has begun, with the visit page's form.
 */
export function CareFamilies({
  festival,
  regionCode,
  regionName,
  counts,
  status,
  page,
  pageSize,
  role,
  today,
  onStatus,
  onPage,
}: {
  festival: FestivalDate;
  regionCode: string;
  regionName: string | undefined;
  counts: Record<CareStatus, number>;
  status: CareStatus;
  page: number;
  pageSize: number;
  role: Role;
  today: string;
  onStatus: (status: CareStatus) => void;
  onPage: (page: number, pageSize: number) => void;
}) {
  const year = Number(festival.date.slice(0, 4));
  const list = useCareFamilies({ year, festival: festival.festival, regionCode, status, page, pageSize });
  const [recording, setRecording] = useState<CareFamily | null>(null);
  const canRecord = status === 'not_cared' && CAN_RECORD_FESTIVAL_CARE.includes(role) && festival.windowFrom <= today;

  const columns = [
    ...baseColumns(),
    ...(status === 'not_cared' ? [] : CARE_COLUMNS),
    ...(canRecord
      ? [
          {
            title: '操作',
            key: 'record',
            render: (_: unknown, f: CareFamily) => (
              <Button size="small" onClick={() => setRecording(f)}>
                登记慰问
              </Button>
            ),
          },
        ]
      : []),
  ];
  const staffPost = STAFF_POST[role];

  return (
    <Card
      data-testid="care-families"
      title={`${regionName ?? ''}${year}年${festival.label}慰问名单`}
      styles={{ header: { flexWrap: 'wrap' } }}
    >
      <Segmented<CareStatus>
        aria-label="慰问情况"
        block
        value={status}
        onChange={onStatus}
        options={(Object.keys(CARE_STATUS_LABELS) as CareStatus[]).map((s) => ({
          value: s,
          label: `${CARE_STATUS_LABELS[s]} ${counts[s]}`,
        }))}
        style={{ marginBottom: 12 }}
      />
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 12 }} />}
      <Table<CareFamily>
        rowKey="familyId"
        size="small"
        columns={columns}
        dataSource={list.data?.data}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.page.total ?? 0,
          pageSizeOptions: [...PAGE_SIZE_OPTIONS],
          showTotal: (total) => `共 ${total} 户`,
        }}
        onChange={(pagination) => onPage(pagination.current ?? 1, pagination.pageSize ?? pageSize)}
      />
      <Suspense fallback={null}>
        {recording && (
          <FestivalCareDrawer
            familyId={recording.familyId}
            contactId={recording.contacts.find((c) => c.post === staffPost)?.contactId ?? null}
            festival={festival}
            onClose={() => setRecording(null)}
          />
        )}
      </Suspense>
    </Card>
  );
}
