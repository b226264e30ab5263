import { useState } from 'react';
import { createPortal } from 'react-dom';
import { Link, useParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Skeleton,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { LeftOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { LIMITS } from '../../../../common/limits';
import { errorMessage, isApiError } from '../../api/client';
import { useVisitFamily, type VisitFamily } from '../../api/contact-logs';
import {
  useAssignments,
  useContactCard,
  useContacts,
  useSetAssignments,
  type Assignment,
  type AssignmentHistoryEntry,
  type AssignmentSet,
} from '../../api/contacts';
import { useCurrentUser } from '../../app/auth-context';
import { applyServerErrors } from '../../components/form-errors';
import { usePageTitle } from '../../components/use-page-title';
import { parentNames } from '../visits/family-header';
import { formatDay } from '../visits/visit-dates';
import { CAN_WRITE_CONTACTS, countyOf, HELPER_POSTS, POST_LABELS, townshipOf, type Post } from './contact-labels';
import { ContactCardTable } from './contact-card-table';
import './contact-card.css';

const FIELDS = [
  'townshipContactId',
  'villageContactId',
  'helperContactIds',
  'countyLeaderContactId',
  'reason',
] as const;

interface AssignValues {
  townshipContactId?: string;
  villageContactId?: string;
  helperContactIds: string[];
  countyLeaderContactId?: string | null;
  reason?: string;
}

/** Active contacts of some posts in a region, as Select options. */
function useContactOptions(regionCode: string, posts: readonly Post[], enabled: boolean) {
  const contacts = useContacts(
    { regionCode, post: posts.length === 1 ? posts[0] : undefined, isActive: true, page: 1, pageSize: 200 },
    enabled,
  );
  const options = (contacts.data?.data ?? [])
    .filter((c) => posts.includes(c.post))
    .map((c) => ({
      value: c.id,
      label: `${c.name}（${posts.length > 1 ? `${POST_LABELS[c.post]}，` : ''}${c.regionName}，${c.phone}）`,
    }));
  return { options, isLoading: contacts.isFetching, error: contacts.error };
}

function AssignForm({ family, current }: { family: VisitFamily; current: Assignment[] }) {
  const user = useCurrentUser();
  const [form] = Form.useForm<AssignValues>();
  const setAssignments = useSetAssignments(family.id);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const [isConflict, setIsConflict] = useState(false);
  const canPickLeader = user.role === 'county_staff' || user.role === 'county_leader';
  const showLeader = family.isSpecialDifficulty || current.some((a) => a.post === 'county_leader');

  const township = useContactOptions(townshipOf(family.regionCode), ['township_cadre'], true);
  const village = useContactOptions(family.regionCode, ['village_cadre'], true);
  const helpers = useContactOptions(family.regionCode, HELPER_POSTS, true);
  const leaders = useContactOptions(countyOf(family.regionCode), ['county_leader'], canPickLeader && showLeader);

  const of = (post: Post) => current.find((a) => a.post === post)?.contactId;

  const onFinish = (values: AssignValues) => {
    if (!values.townshipContactId || !values.villageContactId) return;
    setError(null);
    setIsConflict(false);
    const input: AssignmentSet = {
      townshipContactId: values.townshipContactId,
      villageContactId: values.villageContactId,
      helperContactIds: values.helperContactIds,
      reason: values.reason?.trim() || null,
      version: family.version,
      // Township staff cannot see county-level contacts: the server keeps the leader when the field is absent.
      ...(canPickLeader && showLeader ? { countyLeaderContactId: values.countyLeaderContactId ?? null } : {}),
    };
    setAssignments.mutate(input, {
      onSuccess: () => {
        message.success('已保存双岗联系人');
        form.setFieldValue('reason', undefined);
      },
      onError: (err) => {
        if (isApiError(err) && err.status === 409) {
          setIsConflict(true);
          setError('该家庭的档案或联系人刚被他人修改，请刷新后重新安排');
        } else setError(applyServerErrors(form, err, FIELDS));
      },
    });
  };

  const optionsError = township.error ?? village.error ?? helpers.error ?? leaders.error;
  return (
    <Form<AssignValues>
      form={form}
      layout="vertical"
      onFinish={onFinish}
      initialValues={{
        townshipContactId: of('township_cadre'),
        villageContactId: of('village_cadre'),
        helperContactIds: current.filter((a) => HELPER_POSTS.includes(a.post)).map((a) => a.contactId),
        countyLeaderContactId: of('county_leader') ?? null,
      }}
    >
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 16 }}
          action={
            isConflict ? (
              <Button icon={<ReloadOutlined />} onClick={() => window.location.reload()}>
                刷新
              </Button>
            ) : undefined
          }
        />
      )}
      {optionsError && <Alert type="error" showIcon title={errorMessage(optionsError)} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name="townshipContactId"
            label="乡镇（街道）岗"
            rules={[{ required: true, message: '请选择乡镇（街道）包村干部' }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={township.options}
              loading={township.isLoading}
              placeholder="选择包村干部"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="villageContactId"
            label="村（居）岗"
            rules={[{ required: true, message: '请选择村（居）委会干部' }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={village.options}
              loading={village.isLoading}
              placeholder="选择村（居）干部"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="helperContactIds" label="帮扶联系人（选填）" extra="计生协会员、家庭医生、志愿者">
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={helpers.options}
              loading={helpers.isLoading}
              placeholder="可选多人"
            />
          </Form.Item>
        </Col>
        {showLeader && (
          <Col xs={24} md={12}>
            <Form.Item
              name="countyLeaderContactId"
              label="县级领导联系人"
              extra={canPickLeader ? '特殊困难家庭由县卫健部门领导直接联系' : '特殊困难家庭的县级领导联系人由县级安排'}
            >
              {canPickLeader ? (
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  options={leaders.options}
                  loading={leaders.isLoading}
                  placeholder="选择县级领导"
                />
              ) : (
                <Input value={current.find((a) => a.post === 'county_leader')?.name ?? '尚未安排'} disabled />
              )}
            </Form.Item>
          </Col>
        )}
        <Col xs={24}>
          <Form.Item name="reason" label="变更原因" extra="更换联系人时填写，原联系人的岗位按此原因结束">
            <Input maxLength={LIMITS.shortText} placeholder="如：原联系人工作调动" />
          </Form.Item>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={setAssignments.isPending}>
        保存双岗安排
      </Button>
    </Form>
  );
}

function CurrentPosts({ current }: { current: Assignment[] }) {
  const hasTownship = current.some((a) => a.post === 'township_cadre');
  const hasVillage = current.some((a) => a.post === 'village_cadre');
  return (
    <>
      {(!hasTownship || !hasVillage) && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`双岗不全：${[!hasTownship && '缺乡镇岗', !hasVillage && '缺村级岗'].filter(Boolean).join('、')}`}
        />
      )}
      {current.length === 0 ? (
        <Empty description="尚未安排联系人" />
      ) : (
        <Descriptions
          size="small"
          column={1}
          bordered
          items={current.map((a) => ({
            key: a.id,
            label: POST_LABELS[a.post],
            children: (
              <>
                <Typography.Text strong>{a.name}</Typography.Text> {a.phone}
                {(a.organization || a.title) && (
                  <Typography.Text type="secondary">
                    {' '}
                    · {[a.organization, a.title].filter(Boolean).join(' ')}
                  </Typography.Text>
                )}
                <Typography.Text type="secondary"> · {formatDay(a.startedAt)}起</Typography.Text>
              </>
            ),
          }))}
        />
      )}
    </>
  );
}

const HISTORY_COLUMNS: TableColumnsType<AssignmentHistoryEntry> = [
  { title: '岗位', dataIndex: 'post', key: 'post', render: (post: Post) => POST_LABELS[post] ?? post },
  { title: '联系人', dataIndex: 'name', key: 'name' },
  { title: '开始', dataIndex: 'startedAt', key: 'startedAt', render: (d: string) => formatDay(d) },
  {
    title: '结束',
    dataIndex: 'endedAt',
    key: 'endedAt',
    render: (d: string | null) => (d ? formatDay(d) : <Tag color="green">在岗</Tag>),
  },
  { title: '变更原因', dataIndex: 'endReason', key: 'endReason', render: (r: string | null) => r ?? '' },
];

/** 联系卡 (R3): both contacts' names and full phones, left with the family; 打印 prints only this card. */
function ContactCardView({ familyId }: { familyId: string }) {
  const card = useContactCard(familyId);
  if (card.isPending) return <Skeleton active />;
  if (card.isError) return <Alert type="error" showIcon title={errorMessage(card.error)} />;
  const { data } = card;
  const content = (
    <>
      <h2 className="contact-card-title">计划生育特殊家庭联系卡</h2>
      <p className="contact-card-sub">
        <strong>{data.familyName || '—'}</strong> 家
      </p>
      <p className="contact-card-sub">
        {data.regionName} · 档案号 {data.archiveNo}
      </p>
      <p className="contact-card-sub">{data.address}</p>
      <ContactCardTable contacts={data.contacts} withTitles />
      <p className="contact-card-note">有困难请随时联系我们。</p>
    </>
  );
  return (
    <>
      <div className="contact-card" data-testid="contact-card">
        {content}
      </div>
      <Button icon={<PrinterOutlined />} onClick={() => window.print()} style={{ marginTop: 12 }}>
        打印联系卡
      </Button>
      {/* The printed copy sits directly under <body>, so printing can hide the whole app around it. */}
      {createPortal(
        <div className="contact-card-print-root">
          <div className="contact-card">{content}</div>
        </div>,
        document.body,
      )}
    </>
  );
}

/** 双岗联系人: assign a family's township and village posts (R1), helpers and a county leader (R2); the card (R3). */
export default function FamilyContactsPage() {
  const { id = '' } = useParams();
  const user = useCurrentUser();
  const family = useVisitFamily(id);
  const assignments = useAssignments(id);
  const canWrite = CAN_WRITE_CONTACTS.includes(user.role) && family.data?.status !== 'exited';
  usePageTitle(family.data ? `联系人 ${parentNames(family.data)}` : '双岗联系人');

  const error = family.error ?? assignments.error;
  if (error) {
    return <Alert type="error" showIcon title={errorMessage(error)} />;
  }
  if (!family.data || !assignments.data) return <Skeleton active paragraph={{ rows: 8 }} />;

  return (
    <>
      <div>
        <Link to={`/families/${id}`}>
          <LeftOutlined /> 返回家庭档案
        </Link>
        <Typography.Title level={3} style={{ margin: '8px 0 4px' }}>
          双岗联系人：{parentNames(family.data) || family.data.archiveNo}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {family.data.regionName} · 档案号 {family.data.archiveNo}
          {family.data.isSpecialDifficulty && (
            <Tag color="volcano" style={{ marginInlineStart: 8 }}>
              特殊困难家庭
            </Tag>
          )}
        </Typography.Paragraph>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title="当前联系人" style={{ marginBottom: 16 }}>
            <CurrentPosts current={assignments.data.current} />
          </Card>
          {canWrite && (
            <Card title="安排双岗" style={{ marginBottom: 16 }}>
              <AssignForm
                key={`${family.data.version}:${assignments.data.current.map((a) => a.id).join()}`}
                family={family.data}
                current={assignments.data.current}
              />
            </Card>
          )}
          <Card title="变更记录">
            <Table<AssignmentHistoryEntry>
              rowKey="id"
              size="small"
              columns={HISTORY_COLUMNS}
              dataSource={assignments.data.history}
              pagination={false}
              scroll={{ x: 'max-content' }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title="联系卡" className="contact-card-frame">
            <ContactCardView familyId={id} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
