import { useState } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { STATUS_REASON } from '../../../../../common/code-lists';
import { LIMITS } from '../../../../../common/limits';
import type { Role } from '../../../../../common/roles';
import { isApiError } from '../../../api/client';
import { useChangeFamilyStatus, type FamilyDetail, type FamilyStatus } from '../../../api/families';
import { applyServerErrors } from '../../../components/form-errors';
import { familyStatusLabel, STATUS_REASONS_FOR } from '../family-labels';
import { ACTION_LABEL, CONFLICT_MESSAGE, targetsFor } from './status-rules';

const FIELDS = ['status', 'reason', 'effectiveDate', 'note'] as const;
interface Values {
  status: FamilyStatus;
  reason: string;
  effectiveDate: Dayjs;
  note?: string;
}

/** 状态变更: exit (再生育/收养, both parents deceased, moved out …), pause, resume — with reason and date. */
export function StatusChangeModal({
  family,
  role,
  onClose,
  onConflict,
}: {
  family: FamilyDetail;
  role: Role;
  onClose: () => void;
  onConflict: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const change = useChangeFamilyStatus(family.id);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const targets = targetsFor(family.status, role);
  const status = Form.useWatch('status', form);
  const reasons = (status ? STATUS_REASONS_FOR[status] : []).filter(
    (r) => r !== 'recovered' || family.familyType === 'disabled',
  );

  const onFinish = (values: Values) => {
    setError(null);
    change.mutate(
      {
        version: family.version,
        status: values.status,
        reason: values.reason,
        effectiveDate: values.effectiveDate.format('YYYY-MM-DD'),
        note: values.note?.trim() || null,
      },
      {
        onSuccess: (updated) => {
          message.success(`档案已${ACTION_LABEL[updated.status]}`);
          onClose();
        },
        onError: (err) => {
          if (isApiError(err, 'VERSION_CONFLICT')) {
            setError(CONFLICT_MESSAGE);
            onConflict();
            return;
          }
          setError(applyServerErrors(form, err, FIELDS));
        },
      },
    );
  };

  return (
    <Modal
      open
      title="档案状态变更"
      okText="确定"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={change.isPending}
      destroyOnHidden
    >
      <Alert
        type="info"
        showIcon
        title={`当前状态：${familyStatusLabel(family.status)}`}
        description="退出后不再计入走访和特别扶助；如情况变化可恢复在册。"
        style={{ marginBottom: 16 }}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ status: targets[0], effectiveDate: dayjs() }}
        onValuesChange={(changed: Partial<Values>) => {
          if ('status' in changed) form.setFieldValue('reason', undefined);
        }}
      >
        <Form.Item name="status" label="变更为" rules={[{ required: true, message: '请选择变更后的状态' }]}>
          <Radio.Group optionType="button" options={targets.map((s) => ({ value: s, label: ACTION_LABEL[s] }))} />
        </Form.Item>
        <Form.Item name="reason" label="变更原因" rules={[{ required: true, message: '请选择变更原因' }]}>
          <Select placeholder="请选择" options={reasons.map((r) => ({ value: r, label: STATUS_REASON[r] ?? r }))} />
        </Form.Item>
        <Form.Item name="effectiveDate" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => d.isAfter(dayjs(), 'day') || d.isBefore(dayjs(family.enteredAt), 'day')}
          />
        </Form.Item>
        <Form.Item
          name="note"
          label="说明"
          rules={[{ max: LIMITS.shortText, message: `说明不能超过 ${LIMITS.shortText} 个字` }]}
        >
          <Input.TextArea rows={2} maxLength={LIMITS.shortText} placeholder="例如：迁往外省居住" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
