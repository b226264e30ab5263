import { useState } from 'react';
import { useParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  message,
} from 'antd';
import { ROLE_LABELS, type Role } from '../../../../common/roles';
import { errorMessage } from '../../api/client';
import {
  useReportingRates,
  useStatReturn,
  useStatReturnChanges,
  useStatReturnStep,
  useStatTemplates,
  useUpdateStatReturn,
  type StatReturnDetail,
} from '../../api/stat-returns';
import { PageSpin } from '../../components/page-spin';
import { ReasonModal } from '../../components/reason-modal';
import { usePageTitle } from '../../components/use-page-title';
import { StatReturnDownloads } from './stat-return-downloads';
import {
  Countdown,
  dueLabel,
  formatFigure,
  periodLabel,
  StatusTag,
  STAT_TEMPLATE_LABELS,
  TimelinessTag,
} from './stat-return-labels';

const ACTION_LABELS: Record<string, string> = {
  created: '创建草稿',
  updated: '修改',
  submitted: '上报',
  approved: '审核通过',
  imported: '接收报表包',
  returned: '退回',
  reopened: '重新打开',
};

type Row = { code: string; name: string; unit: string; manual: boolean; value: number | undefined };

/** The submit dialog: a written explanation for each warning, a reason for each child not approved. */
function SubmitModal({ r, open, onClose }: { r: StatReturnDetail; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm();
  const step = useStatReturnStep(r.id);
  const warnings = r.checks.filter((c) => c.severity === 'warning');
  const missing = r.checks.filter((c) => c.code.startsWith('child_missing.'));
  const blocking = r.checks.filter((c) => c.severity === 'error' && !c.code.startsWith('child_missing.'));
  const submit = async () => {
    const values = (await form.validateFields()) as Record<string, string>;
    const explanations = Object.fromEntries(warnings.map((w) => [w.code, values[`w:${w.code}`]]));
    const missingReasons = Object.fromEntries(
      missing.map((m) => [m.code.slice('child_missing.'.length), values[`m:${m.code}`]]),
    );
    try {
      await step.mutateAsync({ step: 'submit', body: { version: r.version, explanations, missingReasons } });
      void message.success('已上报，数据已冻结');
      onClose();
    } catch (err) {
      void message.error(errorMessage(err));
    }
  };
  return (
    <Modal
      title="上报报表"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="确认上报"
      okButtonProps={{ disabled: blocking.length > 0, loading: step.isPending }}
      destroyOnHidden
    >
      {blocking.length > 0 ? (
        <Alert type="error" showIcon title="有审核错误，须先更正数据才能上报" />
      ) : (
        <Typography.Paragraph>上报后报表数据冻结，等待上级审核。</Typography.Paragraph>
      )}
      {/* A return sent back and handed in again keeps what was written the first time, to be corrected. */}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          ...Object.fromEntries(missing.map((m) => [`m:${m.code}`, r.missingReasons[m.code.slice(14)]])),
          ...Object.fromEntries(warnings.map((w) => [`w:${w.code}`, r.explanations[w.code]])),
        }}
      >
        {missing.map((m) => (
          <Form.Item
            key={m.code}
            name={`m:${m.code}`}
            label={m.message}
            rules={[{ required: true, whitespace: true, message: '请填写未报原因' }]}
          >
            <Input maxLength={2000} placeholder="未报原因" />
          </Form.Item>
        ))}
        {warnings.map((w) => (
          <Form.Item
            key={w.code}
            name={`w:${w.code}`}
            label={w.message}
            rules={[{ required: true, whitespace: true, message: '请填写说明' }]}
          >
            <Input.TextArea maxLength={2000} rows={2} placeholder="情况说明" />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

/** A reason for sending back or reopening. */
function ReturnReasonModal({
  r,
  step: kind,
  onClose,
}: {
  r: StatReturnDetail;
  step: 'return' | 'reopen' | null;
  onClose: () => void;
}) {
  const step = useStatReturnStep(r.id);
  return (
    <ReasonModal
      open={kind !== null}
      title={kind === 'return' ? '退回报表' : '重新打开报表'}
      okText={kind === 'return' ? '退回' : '重新打开'}
      danger
      description="原因将显示给填报单位。"
      maxLength={2000}
      placeholder={kind === 'return' ? '退回原因' : '重新打开原因'}
      loading={step.isPending}
      onSubmit={async (reason) => {
        if (!kind) return;
        await step.mutateAsync({ step: kind, body: { version: r.version, reason } });
        void message.success(kind === 'return' ? '已退回' : '已重新打开');
        onClose();
      }}
      onClose={onClose}
    />
  );
}

/** The reasons given for the children not approved at submission, by the children's names. */
function MissingReasonsCard({ r }: { r: StatReturnDetail }) {
  const rates = useReportingRates({ template: r.template, period: r.period, regionCode: r.regionCode });
  const names = new Map((rates.data?.children ?? []).map((c) => [c.regionCode, c.name]));
  return (
    <Card title="下级未报原因" size="small" data-testid="missing-reasons">
      <List
        size="small"
        dataSource={Object.entries(r.missingReasons)}
        renderItem={([code, reason]) => (
          <List.Item>
            {names.get(code) ?? code}：{reason}
          </List.Item>
        )}
      />
    </Card>
  );
}

function ChangesCard({ r }: { r: StatReturnDetail }) {
  const frozen = r.status === 'submitted' || r.status === 'approved';
  const changes = useStatReturnChanges(r.id, frozen);
  if (!frozen) return null;
  return (
    <Card title="提交后实时数据的变化" size="small" data-testid="changes">
      {changes.isPending ? (
        <Typography.Text type="secondary">正在计算…</Typography.Text>
      ) : changes.isError ? (
        <Alert type="error" title={errorMessage(changes.error)} />
      ) : changes.data.changes.length === 0 ? (
        <Typography.Text type="success">提交后实时数据没有变化。</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={changes.data.changes}
          renderItem={(c) => {
            const delta = c.live - c.frozen;
            return (
              <List.Item>
                提交后{c.name}
                {delta > 0 ? '增加' : '减少'} {formatFigure(Math.abs(Math.round(delta * 10) / 10), c.unit)} {c.unit}
                （上报 {formatFigure(c.frozen, c.unit)}，现 {formatFigure(c.live, c.unit)}）
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}

/**
 * One return (R9): its figures grouped as on the paper 统计表, the failed checks, the manual fields and
 * 填报说明 while it is a draft, the steps the signed-in user may take, what changed since submission,
 * and its history.
 */
export default function StatReturnPage() {
  const { id = '' } = useParams();
  const query = useStatReturn(id);
  const templates = useStatTemplates();
  const update = useUpdateStatReturn(id);
  const step = useStatReturnStep(id);
  const [form] = Form.useForm();
  const [submitting, setSubmitting] = useState(false);
  const [reasonStep, setReasonStep] = useState<'return' | 'reopen' | null>(null);
  const r = query.data;
  usePageTitle(r ? `${r.regionName}${periodLabel(r.period)}统计报表` : '统计报表');
  if (query.isPending || templates.isPending) return <PageSpin />;
  if (query.isError) return <Alert type="error" showIcon title={errorMessage(query.error)} />;
  if (!r) return null;
  const info = templates.data?.find((t) => t.template === r.template);
  const editable = r.abilities.edit;

  const save = async () => {
    const values = (await form.validateFields()) as Record<string, unknown>;
    const manual = Object.fromEntries(
      Object.entries(values)
        .filter(([k, v]) => k.startsWith('manual_') && typeof v === 'number')
        .map(([k, v]) => [k, v as number]),
    );
    try {
      await update.mutateAsync({
        version: r.version,
        manual,
        remarks: (values.remarks as string) || null,
        preparedBy: (values.preparedBy as string) || null,
        responsiblePerson: (values.responsiblePerson as string) || null,
      });
      void message.success('已保存');
    } catch (err) {
      void message.error(errorMessage(err));
    }
  };

  const approve = async () => {
    try {
      await step.mutateAsync({ step: 'approve', body: { version: r.version } });
      void message.success('已审核通过');
    } catch (err) {
      void message.error(errorMessage(err));
    }
  };

  const errors = r.checks.filter((c) => c.severity === 'error');
  const warnings = r.checks.filter((c) => c.severity === 'warning');

  return (
    <Flex vertical gap={16} data-testid="stat-return-page">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {r.regionName} {periodLabel(r.period)}
        </Typography.Title>
        <Space wrap data-testid="stat-return-actions">
          {editable && (
            <Button onClick={() => void save()} loading={update.isPending}>
              保存
            </Button>
          )}
          {r.abilities.submit && (
            <Button
              type="primary"
              onClick={() => {
                // Unsaved manual figures go in first: the submission computes from what is stored.
                if (form.isFieldsTouched()) void save().then(() => setSubmitting(true));
                else setSubmitting(true);
              }}
            >
              上报
            </Button>
          )}
          {r.abilities.approve && (
            <Button type="primary" onClick={() => void approve()} loading={step.isPending}>
              审核通过
            </Button>
          )}
          {r.abilities.return && (
            <Button danger onClick={() => setReasonStep('return')}>
              退回
            </Button>
          )}
          {r.abilities.reopen && <Button onClick={() => setReasonStep('reopen')}>重新打开</Button>}
        </Space>
      </Flex>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label="报表">{STAT_TEMPLATE_LABELS[r.template]}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <span data-testid="stat-return-status">
              <StatusTag status={r.status} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label="报送时限">
            <Space size={4}>
              {dueLabel(r.dueAt)}
              <Countdown dueAt={r.dueAt} done={r.status === 'submitted' || r.status === 'approved'} />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label="报出日期">{r.submittedAt ? dueLabel(r.submittedAt) : '—'}</Descriptions.Item>
          <Descriptions.Item label="及时性">
            <TimelinessTag timeliness={r.timeliness} />
          </Descriptions.Item>
          <Descriptions.Item label="数据时间">
            {new Date(r.computedAt).toLocaleString('zh-CN')}
            {editable ? '（实时）' : '（已冻结）'}
          </Descriptions.Item>
        </Descriptions>
        <StatReturnDownloads statReturn={r} />
      </Card>
      {r.returnReason && (r.status === 'returned' || r.status === 'draft') && (
        <Alert type="warning" showIcon title={`上级退回：${r.returnReason}`} data-testid="return-reason" />
      )}
      {errors.length === 0 && warnings.length === 0 && (
        <Alert type="success" showIcon title="审核：全部通过（无错误、无提示）" data-testid="checks" />
      )}
      {(errors.length > 0 || warnings.length > 0) && (
        <Card title="审核" size="small" data-testid="checks">
          <List
            size="small"
            dataSource={r.checks}
            renderItem={(c) => (
              <List.Item>
                <Space align="start">
                  <Tag color={c.severity === 'error' ? 'red' : 'orange'}>
                    {c.severity === 'error' ? '错误' : '提示'}
                  </Tag>
                  <span>
                    {c.message}
                    {r.explanations[c.code] ? `（说明：${r.explanations[c.code]}）` : ''}
                    {c.code.startsWith('child_missing.') && r.missingReasons[c.code.slice(14)]
                      ? `（上次上报时的未报原因：${r.missingReasons[c.code.slice(14)]}）`
                      : ''}
                  </span>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
      <Form
        form={form}
        layout="vertical"
        disabled={!editable}
        initialValues={{
          ...r.manual,
          remarks: r.remarks,
          preparedBy: r.preparedBy,
          responsiblePerson: r.responsiblePerson,
        }}
        key={r.version}
      >
        <Flex vertical gap={16}>
          {info?.sections.map((s) => (
            <Card key={s.key} title={s.title} size="small" styles={{ body: { padding: 0 } }}>
              <Table<Row>
                rowKey="code"
                size="small"
                pagination={false}
                dataSource={s.indicators.map((i) => ({ ...i, value: r.figures[i.code] }))}
                columns={[
                  { title: '指标', dataIndex: 'name', key: 'name' },
                  { title: '单位', dataIndex: 'unit', key: 'unit', width: 80 },
                  {
                    title: '数值',
                    key: 'value',
                    align: 'right',
                    width: 160,
                    render: (_, row) =>
                      row.manual && editable ? (
                        <Form.Item name={row.code} style={{ margin: 0 }}>
                          <InputNumber min={0} max={999_999_999_999} aria-label={row.name} style={{ width: 140 }} />
                        </Form.Item>
                      ) : (
                        <span data-testid={`figure-${row.code}`}>{formatFigure(row.value, row.unit)}</span>
                      ),
                  },
                ]}
              />
            </Card>
          ))}
          <Card title="填报说明与签署" size="small">
            <Form.Item name="remarks" label="填报说明">
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Flex gap={16} wrap>
              <Form.Item name="responsiblePerson" label="负责人">
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="preparedBy" label="填表人">
                <Input maxLength={200} />
              </Form.Item>
            </Flex>
          </Card>
        </Flex>
      </Form>
      {Object.keys(r.missingReasons).length > 0 && <MissingReasonsCard r={r} />}
      <ChangesCard r={r} />
      <Card title="办理记录" size="small" data-testid="history">
        <Timeline
          items={r.history.map((h) => ({
            content: (
              <span>
                {new Date(h.occurredAt).toLocaleString('zh-CN')} {h.actorName}（
                {ROLE_LABELS[h.actorRole as Role] ?? h.actorRole}）{ACTION_LABELS[h.action] ?? h.action}
                {h.reason ? `：${h.reason}` : ''}
              </span>
            ),
          }))}
        />
      </Card>
      <SubmitModal r={r} open={submitting} onClose={() => setSubmitting(false)} />
      <ReturnReasonModal r={r} step={reasonStep} onClose={() => setReasonStep(null)} />
    </Flex>
  );
}
