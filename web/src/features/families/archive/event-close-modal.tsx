import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { LIMITS } from '../../../../../common/limits';
import { isApiError } from '../../../api/client';
import { useCloseEvent, type MajorEvent } from '../../../api/events';
import { applyServerErrors } from '../../../components/form-errors';
import { EVENT_KIND_LABELS, formatDateTime } from '../family-labels';
import { label } from './related-sections';
import { CONFLICT_MESSAGE } from './status-rules';

/** 结案: a visited major event closes with what is being done for the family afterwards (后续帮扶情况). */
export function EventCloseModal({
  event,
  familyId,
  onClose,
  onConflict,
}: {
  event: MajorEvent;
  familyId: string;
  onClose: () => void;
  /** Reloads the events: the dialog then carries the current version. */
  onConflict: () => void;
}) {
  const [form] = Form.useForm<{ followUp: string }>();
  const close = useCloseEvent(familyId);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);

  const onFinish = ({ followUp }: { followUp: string }) => {
    setError(null);
    close.mutate(
      { id: event.id, version: event.version, followUp: followUp.trim() },
      {
        onSuccess: () => {
          message.success('已结案');
          onClose();
        },
        onError: (err) => {
          if (isApiError(err, 'VERSION_CONFLICT')) {
            setError(`${CONFLICT_MESSAGE}。已载入最新情况，请核对后再提交。`);
            onConflict();
            return;
          }
          setError(applyServerErrors(form, err, ['followUp']));
        },
      },
    );
  };

  return (
    <Modal
      open
      title="重大情况结案"
      okText="结案"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={close.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {label(EVENT_KIND_LABELS, event.kind)}，发生于 {formatDateTime(event.occurredAt)}
        {event.responseVisit &&
          `；${formatDateTime(event.responseVisit.occurredAt)} 由${event.responseVisit.contactName}登门走访`}
        。结案后不再列入待办，后续帮扶情况记入档案。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<{ followUp: string }> form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item
          name="followUp"
          label="后续帮扶情况"
          rules={[
            { required: true, whitespace: true, message: '请填写后续帮扶情况' },
            { max: LIMITS.longText, message: `不能超过 ${LIMITS.longText} 个字` },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={LIMITS.longText}
            placeholder="例如：协调医保报销，家庭医生每周上门随访"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
