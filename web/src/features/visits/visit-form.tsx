import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Form, Input } from 'antd';
import { LIMITS } from '../../../../common/limits';
import type { Role } from '../../../../common/roles';
import type { Assignment } from '../../api/contacts';
import { useCreateContactLog, type ContactLogCreate, type VisitFamily } from '../../api/contact-logs';
import { applyServerErrors } from '../../components/form-errors';
import { ChipMulti, ChipSelect } from './chip-group';
import { isFuture, isoToLocalMinute, localMinuteToIso, nowLocalMinute } from './visit-dates';
import { CAN_CREATE_NEED } from './visit-roles';
import {
  CONTACT_MODE_LABELS,
  MENTAL_STATE_LABELS,
  optionsOf,
  POST_SHORT_LABELS,
  PROBLEM_AREA_LABELS,
  SELF_CARE_LABELS,
  type ContactMode,
  type Direction,
  type MentalState,
  type ProblemArea,
  type SelfCare,
} from './visit-labels';
import { isQueued, QUEUED_MESSAGE } from '../../offline/sync';
import type { OutboxEntry } from '../../offline/outbox';
import { bodyText, RefusedNotice, useCorrection } from '../offline/correction';

const FIELDS = [
  'contactId',
  'mode',
  'direction',
  'occurredAt',
  'health',
  'selfCare',
  'mentalState',
  'demands',
  'policiesExplained',
  'problemsCoordinated',
  'followUps',
] as const;

interface VisitValues {
  contactId: string | null;
  mode: ContactMode | null;
  direction: Direction;
  /** `datetime-local` value. */
  occurredAt: string;
  health?: string;
  selfCare?: SelfCare | null;
  mentalState?: MentalState | null;
  demands?: string;
  policiesExplained?: string;
  problemsCoordinated?: ProblemArea[];
  followUps?: string;
}

const MODE_OPTIONS = optionsOf(CONTACT_MODE_LABELS);
const DIRECTION_OPTIONS: Array<{ value: Direction; label: string }> = [
  { value: 'outreach', label: '联系人主动' },
  { value: 'family_initiated', label: '家庭主动' },
];
const SELF_CARE_OPTIONS = optionsOf(SELF_CARE_LABELS);
const MENTAL_OPTIONS = optionsOf(MENTAL_STATE_LABELS);
const PROBLEM_OPTIONS = optionsOf(PROBLEM_AREA_LABELS);

/** The contact a staff member most likely logs for: their own level's post. */
const STAFF_POST: Partial<Record<Role, Assignment['post']>> = {
  village_staff: 'village_cadre',
  township_staff: 'township_cadre',
};

/**
 * The contacts the user may log as: a contact only as themself (`isMine`), staff on behalf of any of the
 * family's current contacts.
 */
export function loggableContacts(role: Role, current: readonly Assignment[]): Assignment[] {
  return role === 'contact' ? current.filter((a) => a.isMine) : [...current];
}

export function defaultContactId(role: Role, choices: readonly Assignment[]): string | null {
  const mine = choices.find((a) => a.isMine);
  if (mine) return mine.contactId;
  const post = STAFF_POST[role];
  return (choices.find((a) => a.post === post) ?? choices[0])?.contactId ?? null;
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** The form's values from a queued log's body (correcting a refused record). */
function valuesOf(body: Record<string, unknown>): Partial<VisitValues> {
  const local = isoToLocalMinute(body.occurredAt);
  const text = (k: string) => bodyText(body, k);
  return {
    contactId: text('contactId') ?? null,
    mode: (text('mode') as ContactMode | undefined) ?? null,
    direction: (text('direction') as Direction | undefined) ?? 'outreach',
    ...(local ? { occurredAt: local } : {}),
    health: text('health'),
    selfCare: (text('selfCare') as SelfCare | undefined) ?? null,
    mentalState: (text('mentalState') as MentalState | undefined) ?? null,
    demands: text('demands'),
    policiesExplained: text('policiesExplained'),
    problemsCoordinated: Array.isArray(body.problemsCoordinated) ? (body.problemsCoordinated as ProblemArea[]) : [],
    followUps: text('followUps'),
  };
}

export function VisitForm({
  family,
  role,
  contacts,
  fixing,
}: {
  family: VisitFamily;
  role: Role;
  /** From loggableContacts. */
  contacts: Assignment[];
  /** A refused queued log being corrected (from 待同步): saving puts it back in the queue. */
  fixing?: OutboxEntry;
}) {
  const [form] = Form.useForm<VisitValues>();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const createLog = useCreateContactLog(family.id);
  const correction = useCorrection(fixing);
  const [error, setError] = useState<string | null>(null);
  /** The log just saved had demands: the page stays, so that 登记诉求 below is where the hint said. */
  const [savedWithDemands, setSavedWithDemands] = useState<string | null>(null);
  const isStaff = role !== 'contact';
  const isExited = family.status === 'exited';

  const onFinish = (values: VisitValues) => {
    setError(null);
    const occurredAt = localMinuteToIso(values.occurredAt);
    if (!values.contactId || !values.mode || !occurredAt) return;
    const input: ContactLogCreate = {
      contactId: values.contactId,
      mode: values.mode,
      direction: values.direction,
      occurredAt,
      health: blankToNull(values.health),
      selfCare: values.selfCare ?? null,
      mentalState: values.mentalState ?? null,
      demands: blankToNull(values.demands),
      policiesExplained: blankToNull(values.policiesExplained),
      problemsCoordinated: values.problemsCoordinated?.length ? values.problemsCoordinated : null,
      followUps: blankToNull(values.followUps),
    };
    const summary = `${CONTACT_MODE_LABELS[input.mode]} · ${family.members.map((m) => m.name).join('、') || family.archiveNo}`;
    if (correction.resend(input, summary)) return;
    createLog.mutate(
      { ...input, summary },
      {
        onSuccess: (log) => {
          if (isQueued(log)) {
            message.info(QUEUED_MESSAGE, 4);
            navigate('/');
            return;
          }
          message.success(`已登记${CONTACT_MODE_LABELS[input.mode]}`);
          if (input.demands && CAN_CREATE_NEED.includes(role)) {
            form.resetFields();
            setSavedWithDemands(input.demands);
            window.scrollTo({ top: 0 });
          } else navigate('/');
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  if (contacts.length === 0) {
    return (
      <Alert
        type="warning"
        showIcon
        title={isStaff ? '该家庭还没有联系人，请先安排双岗联系人' : '您不是该家庭当前的联系人，不能登记联系记录'}
      />
    );
  }

  const textArea = (placeholder: string, max: number = LIMITS.longText) => (
    <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={max} placeholder={placeholder} />
  );

  return (
    <Form<VisitValues>
      form={form}
      layout="vertical"
      onFinish={onFinish}
      disabled={isExited}
      initialValues={{
        contactId: defaultContactId(role, contacts),
        mode: null,
        direction: 'outreach',
        occurredAt: nowLocalMinute(),
        problemsCoordinated: [],
        ...(fixing ? valuesOf(fixing.body) : {}),
      }}
      requiredMark={false}
      style={{ marginTop: 12 }}
    >
      {isExited && (
        <Alert type="warning" showIcon title="该家庭已退出档案，不能再登记联系记录" style={{ marginBottom: 12 }} />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <RefusedNotice entry={fixing} />
      {savedWithDemands && (
        <Alert
          type="success"
          showIcon
          data-testid="visit-saved-with-demands"
          title="联系记录已保存"
          description={`提出的诉求：${savedWithDemands}。需要部门办理的，请点下方“登记诉求”。`}
          action={
            <Button size="small" onClick={() => navigate('/')}>
              返回待办
            </Button>
          }
          style={{ marginBottom: 12 }}
        />
      )}

      {contacts.length === 1 && !isStaff ? (
        <Form.Item name="contactId" hidden>
          <Input />
        </Form.Item>
      ) : (
        <Form.Item
          name="contactId"
          label={isStaff ? '代哪位联系人登记' : '以哪个岗位登记'}
          extra={isStaff ? '工作人员代为登记，记录上会注明“代登记”' : undefined}
          rules={[{ required: true, message: '请选择联系人' }]}
        >
          <ChipSelect
            aria-label="联系人"
            required
            options={contacts.map((a) => ({ value: a.contactId, label: `${a.name} · ${POST_SHORT_LABELS[a.post]}` }))}
          />
        </Form.Item>
      )}

      <Form.Item name="mode" label="联系方式" rules={[{ required: true, message: '请选择联系方式' }]}>
        <ChipSelect aria-label="联系方式" options={MODE_OPTIONS} size="large" columns={2} required />
      </Form.Item>

      <Form.Item name="direction" label="由谁发起">
        <ChipSelect aria-label="由谁发起" options={DIRECTION_OPTIONS} columns={2} required />
      </Form.Item>

      <Form.Item
        name="occurredAt"
        label="联系时间"
        rules={[
          { required: true, message: '请填写联系时间' },
          {
            validator: (_, value: string) =>
              isFuture(value) ? Promise.reject(new Error('联系时间不能晚于现在')) : Promise.resolve(),
          },
        ]}
      >
        <Input type="datetime-local" max={nowLocalMinute()} />
      </Form.Item>

      <Form.Item name="health" label="身体状况">
        <Input maxLength={LIMITS.shortText} placeholder="如：血压偏高，按时服药" />
      </Form.Item>

      <Form.Item name="selfCare" label="生活自理">
        <ChipSelect aria-label="生活自理" options={SELF_CARE_OPTIONS} />
      </Form.Item>

      <Form.Item name="mentalState" label="精神状态">
        <ChipSelect aria-label="精神状态" options={MENTAL_OPTIONS} />
      </Form.Item>

      <Form.Item name="demands" label="提出的诉求" extra="需要部门办理的，提交后可在下方“登记诉求”">
        {textArea('家庭提出的困难和要求')}
      </Form.Item>

      <Form.Item name="policiesExplained" label="宣传解释的政策">
        {textArea('如：特别扶助金标准、医疗保险报销')}
      </Form.Item>

      <Form.Item name="problemsCoordinated" label="协调解决的问题">
        <ChipMulti aria-label="协调解决的问题" options={PROBLEM_OPTIONS} />
      </Form.Item>

      <Form.Item name="followUps" label="后续事项">
        {textArea('下次需要跟进的事')}
      </Form.Item>

      <div className="visit-submit-bar">
        <Button type="primary" htmlType="submit" size="large" block loading={createLog.isPending || correction.saving}>
          提交联系记录
        </Button>
      </div>
    </Form>
  );
}
