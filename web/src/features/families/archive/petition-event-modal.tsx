import { useState } from 'react';
import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { LIMITS } from '../../../../../common/limits';
import type { PetitionRisk } from '../../../api/families';
import { useRecordPetitionEvent, type PetitionEventCreate } from '../../../api/petitions';
import { applyServerErrors } from '../../../components/form-errors';
import { codeOptions, PETITION_FORM_LABELS, petitionRiskTitle, TARGET_LEVEL_LABELS } from '../family-labels';

const FIELDS = ['level', 'form', 'size', 'occurredOn', 'outcome', 'riskId'] as const;

interface Values {
  level: PetitionEventCreate['level'];
  form: PetitionEventCreate['form'];
  size: number;
  occurredOn: Dayjs;
  outcome?: string;
  riskId?: string;
}

/** 登记信访事件 (R7, R17): a petition that actually happened — where, how, how many — and the risk that foresaw it. */
export function PetitionEventModal({
  familyId,
  risks,
  onClose,
}: {
  familyId: string;
  risks: PetitionRisk[];
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const record = useRecordPetitionEvent(familyId);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);

  const onFinish = (values: Values) => {
    setError(null);
    record.mutate(
      {
        level: values.level,
        form: values.form,
        size: values.size,
        occurredOn: values.occurredOn.format('YYYY-MM-DD'),
        outcome: values.outcome?.trim() || null,
        riskId: values.riskId ?? null,
      },
      {
        onSuccess: () => {
          message.success('已登记信访事件');
          onClose();
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <Modal
      open
      title="登记信访事件"
      okText="保存"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={record.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ size: 1, occurredOn: dayjs(), riskId: risks.find((r) => r.status === 'open')?.id }}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="level" label="信访层级" rules={[{ required: true, message: '请选择信访层级' }]}>
              <Select placeholder="请选择" options={codeOptions(TARGET_LEVEL_LABELS)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="form" label="信访形式" rules={[{ required: true, message: '请选择信访形式' }]}>
              <Select placeholder="请选择" options={codeOptions(PETITION_FORM_LABELS)} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="occurredOn" label="信访日期" rules={[{ required: true, message: '请选择信访日期' }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="size" label="人数" rules={[{ required: true, message: '请填写人数' }]}>
              <InputNumber min={1} max={10_000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="riskId" label="关联信访苗头">
          <Select
            placeholder="不关联"
            allowClear
            options={risks.map((r) => ({ value: r.id, label: petitionRiskTitle(r) }))}
          />
        </Form.Item>
        <Form.Item
          name="outcome"
          label="处理结果"
          rules={[{ max: LIMITS.longText, message: `不能超过 ${LIMITS.longText} 个字` }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={LIMITS.longText} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
