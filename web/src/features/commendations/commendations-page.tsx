import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  InputNumber,
  Select,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { COMMENDATION_STATUS_LABELS, POST_LABELS } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import {
  useCommendationCandidates,
  useCommendationList,
  useListStep,
  useNominate,
  useWithdrawNomination,
  type CommendationCandidate,
  type CommendationList,
} from '../../api/commendations';
import { useRegionChildren } from '../../api/regions';
import { useCurrentUser } from '../../app/auth-context';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
type Evidence = CommendationCandidate['evidence'];

function evidenceColumns<T extends { evidence: Evidence }>(): TableColumnsType<T> {
  return [
    {
      title: '走访达标',
      key: 'visits',
      align: 'right',
      render: (_, r) =>
        `${pct(r.evidence.visits.rate)}（${r.evidence.visits.visited}/${r.evidence.visits.familyMonths}）`,
    },
    {
      title: '重大情况按时响应',
      key: 'responses',
      align: 'right',
      render: (_, r) =>
        r.evidence.responses.events ? `${r.evidence.responses.onTime}/${r.evidence.responses.events}` : '—',
    },
    {
      title: '抽样调查确认',
      key: 'survey',
      align: 'right',
      render: (_, r) => (r.evidence.survey.asked ? `${r.evidence.survey.confirmed}/${r.evidence.survey.asked}` : '—'),
    },
    {
      title: '省级以上信访',
      key: 'petitions',
      align: 'right',
      render: (_, r) =>
        r.evidence.provincePetitions ? (
          <Tag color="red">{r.evidence.provincePetitions}</Tag>
        ) : (
          <Tag color="green">无</Tag>
        ),
    },
    { title: '培训', key: 'trainings', align: 'right', render: (_, r) => `${r.evidence.trainings} 次` },
  ];
}

function ListCard({ list }: { list: CommendationList }) {
  const { message } = App.useApp();
  const step = useListStep();
  const withdraw = useWithdrawNomination();
  const act = async (action: 'submit' | 'approve' | 'publish', done: string) => {
    try {
      await step.mutateAsync({ id: list.id, action, version: list.version });
      message.success(done);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  return (
    <Card
      size="small"
      data-testid="commendation-list"
      title={
        <Flex gap={8} wrap align="center">
          <span>
            {list.regionName} {list.year} 年表彰名单
          </span>
          <Tag color={list.status === 'published' ? 'green' : 'blue'}>{COMMENDATION_STATUS_LABELS[list.status]}</Tag>
          <Typography.Text type="secondary">
            名额 {list.nominees.length}/{list.quota}
          </Typography.Text>
        </Flex>
      }
      extra={
        list.status === 'published' && (
          <Button
            icon={<PrinterOutlined />}
            href={`/commendations/print?regionCode=${list.regionCode}&year=${list.year}`}
          >
            通报表彰
          </Button>
        )
      }
    >
      <Table
        rowKey="contactId"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={list.nominees}
        locale={{ emptyText: '尚未提名' }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '岗位', dataIndex: 'post', render: (p: keyof typeof POST_LABELS) => POST_LABELS[p] },
          { title: '所在区划', dataIndex: 'regionName' },
          { title: '得分', dataIndex: 'score', align: 'right' },
          ...(list.abilities.nominate
            ? [
                {
                  title: '',
                  key: 'withdraw',
                  render: (_: unknown, n: { contactId: string; name: string }) => (
                    <Button
                      size="small"
                      danger
                      aria-label={`撤回 ${n.name}`}
                      onClick={() => withdraw.mutate({ id: list.id, contactId: n.contactId })}
                    >
                      撤回
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Flex gap={8} wrap style={{ marginTop: 12 }}>
        {list.abilities.submit && (
          <Button type="primary" loading={step.isPending} onClick={() => act('submit', '已报送省级审批')}>
            报送审批
          </Button>
        )}
        {list.abilities.approve && (
          <Button type="primary" loading={step.isPending} onClick={() => act('approve', '已审批')}>
            审批通过
          </Button>
        )}
        {list.abilities.publish && (
          <Button type="primary" loading={step.isPending} onClick={() => act('publish', '已通报表彰')}>
            通报表彰
          </Button>
        )}
      </Flex>
    </Card>
  );
}

function useCityAndYear() {
  const user = useCurrentUser();
  const { params, setFilters } = useUrlFilters();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get('year')) || thisYear;
  const children = useRegionChildren(user.role === 'province_staff' ? user.regionCode : undefined);
  const regionCode =
    params.get('regionCode') ?? (user.role === 'prefecture_staff' ? user.regionCode : children.data?.[0]?.code);
  return { user, year, thisYear, regionCode, cities: children.data, setFilters };
}

/** 表彰: the city's contacts ranked by their record this year, nominated within the quota, approved, published. */
export default function CommendationsPage() {
  usePageTitle('评选表彰');
  const { message } = App.useApp();
  const { user, year, thisYear, regionCode, cities, setFilters } = useCityAndYear();
  const candidates = useCommendationCandidates(regionCode, year);
  const list = useCommendationList(regionCode, year);
  const nominate = useNominate();
  const mayNominate = user.abilities.includes('commendation.nominate') && (list.data?.abilities.nominate ?? true);
  const nominated = new Set(list.data?.nominees.map((n) => n.contactId));
  const doNominate = async (c: CommendationCandidate) => {
    if (!regionCode) return;
    try {
      await nominate.mutateAsync({ regionCode, year, contactId: c.contactId });
      message.success(`已提名 ${c.name}`);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  const columns: TableColumnsType<CommendationCandidate> = [
    { title: '名次', dataIndex: 'rank', width: 64 },
    { title: '姓名', dataIndex: 'name' },
    { title: '岗位', dataIndex: 'post', render: (p: keyof typeof POST_LABELS) => POST_LABELS[p] },
    { title: '所在区划', dataIndex: 'regionName' },
    { title: '得分', dataIndex: 'score', align: 'right' },
    ...evidenceColumns<CommendationCandidate>(),
    ...(mayNominate
      ? [
          {
            title: '操作',
            key: 'nominate',
            fixed: 'right' as const,
            render: (_: unknown, c: CommendationCandidate) =>
              c.isExcluded ? (
                <Tooltip title={c.exclusionReason}>
                  <Tag color="red">不得提名</Tag>
                </Tooltip>
              ) : nominated.has(c.contactId) ? (
                <Tag color="blue">已提名</Tag>
              ) : (
                <Button size="small" aria-label={`提名 ${c.name}`} onClick={() => doNominate(c)}>
                  提名
                </Button>
              ),
          },
        ]
      : []),
  ];
  return (
    <>
      <Typography.Title level={1} style={{ marginTop: 0, fontSize: 24 }}>
        评选表彰
      </Typography.Title>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        {cities && (
          <Select
            aria-label="市州"
            style={{ minWidth: 160 }}
            value={regionCode}
            options={cities.map((c) => ({ value: c.code, label: c.name }))}
            onChange={(v) => setFilters({ regionCode: v })}
          />
        )}
        <InputNumber
          aria-label="年度"
          min={2016}
          max={thisYear}
          value={year}
          onChange={(v) => setFilters({ year: v && v !== thisYear ? String(v) : undefined })}
          addonAfter="年"
        />
      </Flex>
      <Typography.Paragraph type="secondary">
        得分按走访达标率（40）、重大情况按时响应（20）、抽样调查确认走访（15）、家庭无省级以上信访（15）、参加培训（10）加权，无可计量事项的指标不计入；本年度问责结论为履职不到位的联系人不得提名。
      </Typography.Paragraph>
      {list.data && <ListCard list={list.data} />}
      {(candidates.isError || list.isError) && (
        <Alert type="error" showIcon title={errorMessage(candidates.error ?? list.error)} />
      )}
      <Card size="small" title="候选联系人排名" style={{ marginTop: 12 }}>
        <Table<CommendationCandidate>
          rowKey="contactId"
          size="small"
          columns={columns}
          dataSource={candidates.data}
          loading={candidates.isFetching}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description="本市本年度没有联系人" /> }}
        />
      </Card>
    </>
  );
}

/** 通报表彰: the published list as a printable notice. */
export function CommendationPrintPage() {
  usePageTitle('通报表彰');
  const { regionCode, year } = useCityAndYear();
  const list = useCommendationList(regionCode, year);
  if (list.isError) return <Alert type="error" showIcon title={errorMessage(list.error)} />;
  if (list.data === null || (list.data && list.data.status !== 'published'))
    return <Empty description="该年度表彰名单尚未通报" />;
  if (!list.data) return null;
  const l = list.data;
  return (
    <div className="commendation-print" style={{ maxWidth: 800, margin: '0 auto' }}>
      <Flex justify="flex-end" className="no-print">
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          打印
        </Button>
      </Flex>
      <Typography.Title level={1} style={{ textAlign: 'center', fontSize: 26 }}>
        关于表彰 {l.year} 年度计划生育特殊家庭优秀联系人的通报
      </Typography.Title>
      <Typography.Paragraph style={{ textIndent: '2em', fontSize: 16 }}>
        {l.year} 年，全市各级联系人认真落实“双岗”联系制度，经对走访、响应、抽样调查和信访等工作记录综合考评，
        报省级审批同意，决定对以下 {l.nominees.length} 名同志予以通报表彰。
      </Typography.Paragraph>
      <Table
        rowKey="contactId"
        size="small"
        pagination={false}
        dataSource={l.nominees}
        columns={[
          { title: '序号', key: 'i', render: (_, __, i) => i + 1 },
          { title: '姓名', dataIndex: 'name' },
          { title: '岗位', dataIndex: 'post', render: (p: keyof typeof POST_LABELS) => POST_LABELS[p] },
          { title: '所在区划', dataIndex: 'regionName' },
          { title: '得分', dataIndex: 'score', align: 'right' },
        ]}
      />
      <Descriptions size="small" column={1} style={{ marginTop: 24 }}>
        <Descriptions.Item label="通报单位">{l.regionName}</Descriptions.Item>
        <Descriptions.Item label="审批">
          {l.approvedByName} {l.approvedAt?.slice(0, 10)}
        </Descriptions.Item>
        <Descriptions.Item label="通报日期">{l.publishedAt?.slice(0, 10)}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}
