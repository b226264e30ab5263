import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Segmented,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import {
  ACCOUNTABILITY_FINDING_LABELS,
  ACCOUNTABILITY_STATUS_LABELS,
  ACCOUNTABILITY_TRIGGER_LABELS,
  NEED_CATEGORY_LABELS,
  POST_LABELS,
  RISK_LEVEL_LABELS,
  TARGET_LEVEL_LABELS,
  EVENT_KIND_LABELS,
  PETITION_FORM_LABELS,
} from '../../../../common/labels';
import {
  useAccountabilityCases,
  useConcludeAccountabilityCase,
  useOpenAccountabilityCase,
  type AccountabilityCase,
} from '../../api/accountability';
import { errorMessage } from '../../api/client';
import { useCurrentUser } from '../../app/auth-context';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { RegionPicker } from '../../components/region-picker';

const label = <T extends string>(labels: Record<T, string>, v: string) => labels[v as T] ?? v;
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

function StatusTag({ c }: { c: AccountabilityCase }) {
  if (c.status === 'open') return <Tag color="orange">{ACCOUNTABILITY_STATUS_LABELS.open}</Tag>;
  return (
    <Tag color={c.finding === 'failed' ? 'red' : 'green'}>
      {c.finding ? ACCOUNTABILITY_FINDING_LABELS[c.finding] : ACCOUNTABILITY_STATUS_LABELS.concluded}
    </Tag>
  );
}

function OpenModal({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const user = useCurrentUser();
  const open = useOpenAccountabilityCase();
  const [form] = Form.useForm<{ regionCode: string; reason: string }>();
  const submit = async (v: { regionCode: string; reason: string }) => {
    try {
      await open.mutateAsync(v);
      message.success('已启动问责核查，证据已汇集');
      onClose();
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  return (
    <Modal open title="人工启动问责核查" onCancel={onClose} footer={null} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="regionCode"
          label="问责对象（县、乡镇或村）"
          rules={[{ required: true, message: '请选择单位' }]}
        >
          <RegionPicker rootCode={user.regionCode} selectableLevels={['county', 'township', 'village']} />
        </Form.Item>
        <Form.Item
          name="reason"
          label="启动理由"
          rules={[{ required: true, min: 4, message: '请写明启动理由（至少 4 个字）' }]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={open.isPending}>
          启动核查
        </Button>
      </Form>
    </Modal>
  );
}

function FindingForm({ c }: { c: AccountabilityCase }) {
  const { message } = App.useApp();
  const conclude = useConcludeAccountabilityCase();
  const [form] = Form.useForm<{ finding: 'performed' | 'failed'; measures: string; contactIds?: string[] }>();
  const submit = async (v: { finding: 'performed' | 'failed'; measures: string; contactIds?: string[] }) => {
    try {
      await conclude.mutateAsync({
        id: c.id,
        version: c.version,
        finding: v.finding,
        measures: v.measures,
        people: (v.contactIds ?? []).map((id) => {
          const person = c.evidence.contacts.find((x) => x.contactId === id)!;
          return { contactId: id, name: person.name, role: POST_LABELS[person.post] };
        }),
      });
      message.success('已记录核查结论，案件办结');
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  return (
    <Card size="small" title="核查结论">
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="finding" label="结论" rules={[{ required: true, message: '请选择结论' }]}>
          <Radio.Group
            options={(['performed', 'failed'] as const).map((f) => ({
              value: f,
              label: ACCOUNTABILITY_FINDING_LABELS[f],
            }))}
          />
        </Form.Item>
        <Form.Item name="contactIds" label="相关人员">
          <Select
            mode="multiple"
            aria-label="相关人员"
            placeholder="从证据中的联系人选择"
            options={c.evidence.contacts.map((x) => ({
              value: x.contactId,
              label: `${x.name}（${POST_LABELS[x.post]}）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="measures" label="处理措施" rules={[{ required: true, min: 2, message: '请写明处理措施' }]}>
          <Input.TextArea rows={3} maxLength={2000} placeholder="如：约谈、诫勉谈话、限期整改、通报批评" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={conclude.isPending}>
          记录结论并办结
        </Button>
      </Form>
    </Card>
  );
}

function CaseView({ c, onBack }: { c: AccountabilityCase; onBack: () => void }) {
  const e = c.evidence;
  return (
    <Flex vertical gap={12} data-testid="accountability-case">
      <Button icon={<ArrowLeftOutlined />} onClick={onBack} style={{ alignSelf: 'flex-start' }}>
        返回列表
      </Button>
      <Card
        size="small"
        title={
          <Flex gap={8} wrap align="center">
            <span>{c.unitName}</span>
            <StatusTag c={c} />
          </Flex>
        }
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label="启动方式">{ACCOUNTABILITY_TRIGGER_LABELS[c.trigger]}</Descriptions.Item>
          <Descriptions.Item label="责任县">{c.regionName}</Descriptions.Item>
          {c.archiveNo && <Descriptions.Item label="档案号">{c.archiveNo}</Descriptions.Item>}
          <Descriptions.Item label="启动">
            {day(c.openedAt)} · {c.openedByName}
          </Descriptions.Item>
          <Descriptions.Item label="事由">{c.reason}</Descriptions.Item>
          {e.petition && (
            <Descriptions.Item label="信访">
              {label(TARGET_LEVEL_LABELS, e.petition.level)} · {label(PETITION_FORM_LABELS, e.petition.form)} ·{' '}
              {e.petition.size} 人 · {e.petition.occurredOn}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="证据期间">
            {e.windowFrom} 至 {e.windowTo}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Alert
        type={c.finding === 'failed' ? 'error' : 'info'}
        showIcon
        title="证据摘要（启动时自动汇集）"
        description={
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {e.summary.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        }
      />
      <Card size="small" title="联系人">
        <Table
          rowKey="contactId"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={e.contacts}
          locale={{ emptyText: '没有联系人' }}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '岗位', dataIndex: 'post', render: (p: string) => label(POST_LABELS, p) },
            { title: '联系起始', dataIndex: 'since', render: day },
            { title: '90 天内登门', dataIndex: 'homeVisits', align: 'right' },
          ]}
        />
      </Card>
      {e.homeVisits.length > 0 && (
        <Card size="small" title={`登门走访（${e.homeVisits.length} 次）`}>
          <Table
            rowKey={(r) => `${r.occurredAt}${r.contactId}`}
            size="small"
            pagination={false}
            dataSource={e.homeVisits}
            columns={[
              { title: '日期', dataIndex: 'occurredAt', render: day },
              { title: '联系人', dataIndex: 'contactName' },
            ]}
          />
        </Card>
      )}
      <Card size="small" title="信访苗头与必访">
        <Table
          rowKey="riskId"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={e.petitionRisks}
          locale={{ emptyText: '未登记信访苗头' }}
          columns={[
            { title: '发现', dataIndex: 'identifiedAt', render: day },
            { title: '倾向', dataIndex: 'targetLevel', render: (v: string) => label(TARGET_LEVEL_LABELS, v) },
            { title: '等级', dataIndex: 'riskLevel', render: (v: string) => label(RISK_LEVEL_LABELS, v) },
            { title: '应登门', dataIndex: 'visitDueAt', render: day },
            { title: '登门', dataIndex: 'visitedAt', render: day },
            {
              title: '按时',
              dataIndex: 'visitOnTime',
              render: (v: boolean | null) =>
                v === null ? <Tag>未到期</Tag> : v ? <Tag color="green">按时</Tag> : <Tag color="red">未按时</Tag>,
            },
          ]}
        />
      </Card>
      <Card size="small" title="未办结诉求">
        <Table
          rowKey="needId"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={e.openNeeds}
          locale={{ emptyText: '无未办结诉求' }}
          columns={[
            { title: '类别', dataIndex: 'category', render: (v: string) => label(NEED_CATEGORY_LABELS, v) },
            { title: '登记', dataIndex: 'createdAt', render: day },
            { title: '已过天数', dataIndex: 'ageDays', align: 'right' },
            { title: '期限', dataIndex: 'deadline' },
            {
              title: '',
              dataIndex: 'isOverdue',
              render: (v: boolean) => (v ? <Tag color="red">逾期</Tag> : null),
            },
          ]}
        />
      </Card>
      {e.majorEvents.length > 0 && (
        <Card size="small" title="重大情况">
          <Table
            rowKey="eventId"
            size="small"
            pagination={false}
            dataSource={e.majorEvents}
            columns={[
              { title: '情况', dataIndex: 'kind', render: (v: string) => label(EVENT_KIND_LABELS, v) },
              { title: '发生', dataIndex: 'occurredAt', render: day },
              {
                title: '响应',
                dataIndex: 'respondedOnTime',
                render: (v: boolean | null) =>
                  v === null ? (
                    <Tag color="orange">未响应</Tag>
                  ) : v ? (
                    <Tag color="green">按时</Tag>
                  ) : (
                    <Tag color="red">超时</Tag>
                  ),
              },
            ]}
          />
        </Card>
      )}
      {c.status === 'concluded' ? (
        <Card size="small" title="核查结论">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label="结论">
              <StatusTag c={c} />
            </Descriptions.Item>
            <Descriptions.Item label="处理措施">{c.measures}</Descriptions.Item>
            <Descriptions.Item label="相关人员">
              {c.people.length ? c.people.map((p) => `${p.name}${p.role ? `（${p.role}）` : ''}`).join('、') : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="办结">
              {day(c.concludedAt)} · {c.concludedByName}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      ) : c.abilities.conclude ? (
        <FindingForm c={c} />
      ) : null}
    </Flex>
  );
}

/** 问责: cases opened by province-level petitions or by hand, each with its evidence and finding. */
export default function AccountabilityPage() {
  usePageTitle('问责核查');
  const user = useCurrentUser();
  const { params, setFilters } = useUrlFilters();
  const statusParam = params.get('status');
  const status = statusParam === 'open' || statusParam === 'concluded' ? statusParam : undefined;
  const cases = useAccountabilityCases();
  const [opening, setOpening] = useState(false);
  const selectedId = params.get('case');
  const selected = cases.data?.find((c) => c.id === selectedId);
  const shown = (cases.data ?? []).filter((c) => !status || c.status === status);
  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ marginTop: 0, fontSize: 24 }}>
          问责核查
        </Typography.Title>
        {user.abilities.includes('accountability.open') && !selected && (
          <Button icon={<PlusOutlined />} onClick={() => setOpening(true)}>
            人工启动
          </Button>
        )}
      </Flex>
      {cases.isError && <Alert type="error" showIcon title={errorMessage(cases.error)} />}
      {selected ? (
        <CaseView c={selected} onBack={() => setFilters({ case: undefined })} />
      ) : (
        <>
          <Segmented
            style={{ marginBottom: 12 }}
            value={status ?? 'all'}
            options={[
              { value: 'open', label: '核查中' },
              { value: 'concluded', label: '已办结' },
              { value: 'all', label: '全部' },
            ]}
            onChange={(v) => setFilters({ status: v === 'all' ? undefined : String(v) })}
          />
          <Typography.Paragraph type="secondary">
            家庭发生到省、省外或进京信访时自动启动核查，证据（联系人、90
            天内走访、信访苗头必访、诉求、重大情况）在启动时汇集；每次查看均留痕。
          </Typography.Paragraph>
          {cases.data && shown.length === 0 && <Empty description="没有问责核查" />}
          <Flex vertical gap={12}>
            {shown.map((c) => (
              <Card
                key={c.id}
                size="small"
                hoverable
                data-testid="accountability-item"
                onClick={() => setFilters({ case: c.id })}
                title={
                  <Flex gap={8} wrap align="center">
                    <span>{c.unitName}</span>
                    <StatusTag c={c} />
                  </Flex>
                }
              >
                <Typography.Text>
                  {ACCOUNTABILITY_TRIGGER_LABELS[c.trigger]} · {c.reason} · {day(c.openedAt)}
                </Typography.Text>
                <br />
                <Typography.Text type="secondary">{c.evidence.summary.slice(1, 3).join('；')}</Typography.Text>
              </Card>
            ))}
          </Flex>
        </>
      )}
      {opening && <OpenModal onClose={() => setOpening(false)} />}
    </>
  );
}
