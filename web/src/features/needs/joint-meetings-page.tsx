import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Col, Flex, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, SolutionOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useJointMeetings, type JointMeeting } from '../../api/needs';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { regionLevelOf } from '../contacts/contact-labels';
import { codeLabel, formatDate } from '../families/family-labels';
import { RegionPicker } from '../../components/region-picker';
import { NeedStatusTag } from './need-actions';
import { DEPARTMENT_LABELS, MEETING_WRITERS } from './need-flow';

// The form and its agenda picker load when a meeting is held, not with the list.
const JointMeetingModal = lazy(() => import('./joint-meeting-modal').then((m) => ({ default: m.JointMeetingModal })));

type Item = JointMeeting['items'][number];

const ITEM_COLUMNS: TableColumnsType<Item> = [
  {
    title: '档案号',
    dataIndex: 'archiveNo',
    key: 'archiveNo',
    render: (archiveNo: string, item) => (
      <Link to={`/families/${item.familyId}`} style={{ fontFamily: 'monospace' }}>
        {archiveNo}
      </Link>
    ),
  },
  { title: '诉求', dataIndex: 'description', key: 'description' },
  {
    title: '责任部门',
    dataIndex: 'department',
    key: 'department',
    render: (d: string) => codeLabel(DEPARTMENT_LABELS, d),
  },
  { title: '会议决定', dataIndex: 'decision', key: 'decision' },
  { title: '目前状态', key: 'status', render: (_, item) => <NeedStatusTag status={item.status} /> },
];

function MeetingDetail({ meeting }: { meeting: JointMeeting }) {
  return (
    <Flex vertical gap={8} style={{ minWidth: 0 }}>
      {meeting.minutes && (
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          <Typography.Text strong>会议纪要：</Typography.Text>
          {meeting.minutes}
        </Typography.Paragraph>
      )}
      {meeting.items.length > 0 ? (
        <Table<Item>
          rowKey="needId"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={meeting.items}
          columns={ITEM_COLUMNS}
        />
      ) : (
        <Typography.Text type="secondary">本次会议未对具体诉求作出决定</Typography.Text>
      )}
    </Flex>
  );
}

/** 联席会议 (R11): a county's meetings — who attended, what was decided on which need — and holding one. */
export default function JointMeetingsPage() {
  usePageTitle('联席会议');
  const user = useCurrentUser();
  const { params, setFilters } = useUrlFilters();
  const regionParam = params.get('region');
  const regionCode = regionParam && /^\d{12}$/.test(regionParam) ? regionParam : undefined;
  const meetings = useJointMeetings(regionCode);
  const [holding, setHolding] = useState(false);
  const isAboveCounty = ['province', 'prefecture'].includes(regionLevelOf(user.regionCode));
  const canHold = MEETING_WRITERS.includes(user.role) && regionLevelOf(user.regionCode) === 'county';

  const columns: TableColumnsType<JointMeeting> = [
    { title: '会议日期', dataIndex: 'heldOn', key: 'heldOn', render: (d: string) => formatDate(d) },
    ...(isAboveCounty ? [{ title: '县（市、区）', dataIndex: 'countyName', key: 'countyName' }] : []),
    {
      title: '参会部门',
      dataIndex: 'departments',
      key: 'departments',
      render: (departments: string[]) => (
        <Space size={[0, 4]} wrap style={{ maxWidth: 240 }}>
          {departments.map((d) => (
            <Tag key={d}>{codeLabel(DEPARTMENT_LABELS, d)}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: '决定事项',
      key: 'items',
      align: 'right',
      render: (_, m) => `${m.items.length} 件诉求`,
    },
    {
      title: '会议纪要',
      dataIndex: 'minutes',
      key: 'minutes',
      render: (minutes: string | null) =>
        minutes ? (
          <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0, maxWidth: 320 }}>
            {minutes}
          </Typography.Paragraph>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          联席会议
        </Typography.Title>
        <Space wrap>
          <LinkButton to="/needs" icon={<SolutionOutlined />}>
            诉求办理
          </LinkButton>
          {canHold && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setHolding(true)}>
              召开联席会议
            </Button>
          )}
        </Space>
      </Flex>
      <Typography.Paragraph type="secondary">
        卫健、民政、财政、人社、住建等部门共同研究特殊家庭的突出诉求，逐件明确办理决定。点击一行查看会议纪要和决定事项。
      </Typography.Paragraph>

      {isAboveCounty && (
        <Row style={{ marginBottom: 16 }}>
          <Col xs={24} sm={12} lg={8}>
            <RegionPicker
              rootCode={user.regionCode}
              selectableLevels={['prefecture', 'county']}
              placeholder="全部县（市、区）"
              allowClear
              value={regionCode}
              onChange={(code) => setFilters({ region: code })}
            />
          </Col>
        </Row>
      )}

      {meetings.isError && (
        <Alert type="error" showIcon title={errorMessage(meetings.error)} style={{ marginBottom: 16 }} />
      )}

      <Table<JointMeeting>
        data-testid="meetings-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={meetings.data}
        loading={meetings.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: '尚未登记联席会议' }}
        expandable={{
          expandedRowRender: (m) => <MeetingDetail meeting={m} />,
          expandRowByClick: true,
        }}
      />

      <Suspense fallback={null}>
        {holding && <JointMeetingModal countyCode={user.regionCode} onClose={() => setHolding(false)} />}
      </Suspense>
    </>
  );
}
