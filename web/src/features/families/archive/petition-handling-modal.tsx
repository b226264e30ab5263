import { useState } from 'react';
import { Alert, App, Checkbox, DatePicker, Form, Input, Modal, Radio, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { LIMITS } from '../../../../../common/limits';
import type { PetitionRisk } from '../../../api/families';
import { useAddPetitionHandling, type PetitionHandlingCreate } from '../../../api/petitions';
import { applyServerErrors } from '../../../components/form-errors';
import { codeOptions, formatDate, HANDLING_KIND_LABELS, petitionRiskTitle } from '../family-labels';

const FIELDS = ['kind', 'note', 'reviewDate', 'resolve'] as const;

interface Values {
  kind: PetitionHandlingCreate['kind'];
  note: string;
  reviewDate?: Dayjs | null;
  resolve?: boolean;
}

/** 处置记录 (R7): what was done about a petition tendency, when to look again, and whether it is defused. */
export function PetitionHandlingModal({
  risk,
  familyId,
  onClose,
}: {
  risk: PetitionRisk;
  familyId: string;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const add = useAddPetitionHandling(familyId);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const resolve = Form.useWatch('resolve', form);

  const onFinish = (values: Values) => {
    setError(null);
    add.mutate(
      {
        riskId: risk.id,
        kind: values.kind,
        note: values.note.trim(),
        ...(values.reviewDate ? { reviewDate: values.reviewDate.format('YYYY-MM-DD') } : {}),
        resolve: values.resolve ?? false,
      },
      {
        onSuccess: (saved) => {
          message.success(saved.status === 'resolved' ? '已记录处置，信访苗头已化解' : '已记录处置');
          onClose();
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <Modal
      open
      title="处置记录"
      okText="保存"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={add.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {petitionRiskTitle(risk)}：{risk.signals}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} initialValues={{ resolve: false }}>
        <Form.Item name="kind" label="处置方式" rules={[{ required: true, message: '请选择处置方式' }]}>
          <Radio.Group optionType="button" options={codeOptions(HANDLING_KIND_LABELS)} />
        </Form.Item>
        <Form.Item
          name="note"
          label="处置情况"
          rules={[
            { required: true, whitespace: true, message: '请填写处置情况' },
            { max: LIMITS.longText, message: `不能超过 ${LIMITS.longText} 个字` },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={LIMITS.longText}
            placeholder="例如：上门了解诉求，解释特扶金调整政策，情绪平稳"
          />
        </Form.Item>
        {!resolve && (
          <Form.Item
            name="reviewDate"
            label="下次复查日期"
            extra={risk.reviewDate ? `当前为 ${formatDate(risk.reviewDate)}，不填则不变` : undefined}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
        )}
        <Form.Item
          name="resolve"
          valuePropName="checked"
          extra={risk.visitedAt ? undefined : '尚未登门走访，走访后才能标记已化解'}
        >
          <Checkbox disabled={!risk.visitedAt}>已化解（结束跟进）</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
