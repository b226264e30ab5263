import { useState } from 'react';
import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ASSISTANCE_ITEM, FUND_SOURCE } from '../../../../../common/code-lists';
import { LIMITS } from '../../../../../common/limits';
import { useAddAssistance } from '../../../api/families';
import { applyServerErrors } from '../../../components/form-errors';
import { codeOptions } from '../family-labels';

const FIELDS = ['item', 'periodFrom', 'periodTo', 'amount', 'source', 'note'] as const;

interface Values {
  item: string;
  periodFrom: Dayjs;
  periodTo?: Dayjs | null;
  amount: number;
  source?: string;
  note?: string;
}

/** 扶助记录: an item received for a period (township staff). */
export function AssistanceModal({ familyId, onClose }: { familyId: string; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const add = useAddAssistance(familyId);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);

  const onFinish = (values: Values) => {
    setError(null);
    add.mutate(
      {
        item: values.item,
        periodFrom: values.periodFrom.format('YYYY-MM'),
        periodTo: values.periodTo ? values.periodTo.format('YYYY-MM') : null,
        amount: values.amount,
        source: values.source ?? null,
        note: values.note?.trim() || null,
      },
      {
        onSuccess: () => {
          message.success('已登记扶助记录');
          onClose();
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <Modal
      open
      title="登记扶助记录"
      okText="保存"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={add.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} initialValues={{ periodFrom: dayjs() }}>
        <Form.Item name="item" label="扶助项目" rules={[{ required: true, message: '请选择扶助项目' }]}>
          <Select placeholder="请选择" options={codeOptions(ASSISTANCE_ITEM)} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="periodFrom" label="起始年月" rules={[{ required: true, message: '请选择起始年月' }]}>
              <DatePicker picker="month" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="periodTo"
              label="截止年月"
              dependencies={['periodFrom']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_, value: Dayjs | null | undefined) => {
                    const from = getFieldValue('periodFrom') as Dayjs | undefined;
                    if (value && from && value.isBefore(from, 'month')) throw new Error('截止年月早于起始年月');
                  },
                }),
              ]}
            >
              <DatePicker picker="month" style={{ width: '100%' }} placeholder="长期可不填" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="amount" label="金额（元）" rules={[{ required: true, message: '请填写金额' }]}>
              <InputNumber min={0} max={10_000_000} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="source" label="资金来源">
              <Select placeholder="请选择" allowClear options={codeOptions(FUND_SOURCE)} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label="说明" rules={[{ max: LIMITS.shortText, message: '说明过长' }]}>
          <Input.TextArea rows={2} maxLength={LIMITS.shortText} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
