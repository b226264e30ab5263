import { useState } from 'react';
import { App, Form, Input, Typography } from 'antd';
import dayjs from 'dayjs';
import { LIMITS } from '../../../../common/limits';
import { useCreateNeed, type NeedCreate } from '../../api/needs';
import { applyServerErrors } from '../../components/form-errors';
import { ActionDrawer, type ActionDrawerProps } from './action-drawer';
import { ChipSelect } from './chip-group';
import { formatDay, todayLocal } from './visit-dates';
import { DEPARTMENT_LABELS, NEED_CATEGORY_LABELS, optionsOf, type Department, type NeedCategory } from './visit-labels';
import { isQueued, QUEUED_MESSAGE } from '../../offline/sync';
import { bodyText, RefusedNotice, useCorrection } from '../offline/correction';

const FIELDS = ['category', 'department', 'description', 'deadline'] as const;

/** How long a department gets by default; the cadre can change it. */
const DEFAULT_DAYS = 15;

interface NeedValues {
  category: NeedCategory | null;
  department: Department | null;
  description?: string;
  deadline: string;
}

/** 登记诉求 (R11): a demand routed to the responsible department with a deadline. */
function defaultDeadline(): string {
  return dayjs().add(DEFAULT_DAYS, 'day').format('YYYY-MM-DD');
}

/** The form's values from a queued record's body (correcting a refused record). */
function needValuesOf(body: Record<string, unknown>): NeedValues {
  return {
    category: (bodyText(body, 'category') as NeedCategory | undefined) ?? null,
    department: (bodyText(body, 'department') as Department | undefined) ?? null,
    description: bodyText(body, 'description'),
    deadline: bodyText(body, 'deadline') ?? defaultDeadline(),
  };
}

export default function NeedDrawer({ familyId, onClose, fixing }: ActionDrawerProps) {
  const [form] = Form.useForm<NeedValues>();
  const create = useCreateNeed();
  const correction = useCorrection(fixing);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);

  const onFinish = (values: NeedValues) => {
    if (!values.category || !values.department || !values.description) return;
    setError(null);
    const input: NeedCreate = {
      familyId,
      category: values.category,
      department: values.department,
      description: values.description.trim(),
      deadline: values.deadline,
    };
    const summary = `诉求：${NEED_CATEGORY_LABELS[input.category]}`;
    if (correction.resend(input, summary)) return;
    create.mutate(
      { ...input, summary },
      {
        onSuccess: (need) => {
          if (isQueued(need)) {
            message.info(QUEUED_MESSAGE, 4);
            onClose();
            return;
          }
          message.success(`已登记诉求，办理期限 ${formatDay(need.deadline)}`);
          onClose();
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <ActionDrawer
      title="登记诉求"
      submitText="登记"
      onClose={onClose}
      onSubmit={() => form.submit()}
      loading={create.isPending || correction.saving}
      error={error}
    >
      <RefusedNotice entry={fixing} />
      <Typography.Paragraph type="secondary">
        家庭提出的需要部门办理的困难，登记后转责任部门办理，办结后须与家庭确认。
      </Typography.Paragraph>
      <Form<NeedValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        initialValues={
          fixing ? needValuesOf(fixing.body) : { category: null, department: null, deadline: defaultDeadline() }
        }
      >
        <Form.Item name="category" label="诉求类别" rules={[{ required: true, message: '请选择诉求类别' }]}>
          <ChipSelect aria-label="诉求类别" options={optionsOf(NEED_CATEGORY_LABELS)} required />
        </Form.Item>
        <Form.Item name="department" label="责任部门" rules={[{ required: true, message: '请选择责任部门' }]}>
          <ChipSelect aria-label="责任部门" options={optionsOf(DEPARTMENT_LABELS)} columns={3} required />
        </Form.Item>
        <Form.Item
          name="description"
          label="诉求内容"
          rules={[{ required: true, whitespace: true, message: '请填写诉求内容' }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={LIMITS.longText} />
        </Form.Item>
        <Form.Item name="deadline" label="办理期限" rules={[{ required: true, message: '请填写办理期限' }]}>
          <Input type="date" min={todayLocal()} />
        </Form.Item>
      </Form>
    </ActionDrawer>
  );
}
