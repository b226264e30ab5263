import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { LIMITS } from '../../../../../common/limits';
import { revealReasonProblem } from '../../../../../common/schemas/reveals';
import { useRevealFamilyField, type RevealField } from '../../../api/families';
import { applyServerErrors } from '../../../components/form-errors';

interface RevealProps {
  familyId: string;
  field: RevealField;
  /** What is revealed, e.g. 母亲身份证号. */
  label: string;
  onClose: () => void;
}

/**
 * Asks why, then shows one full value in the modal only. The value lives in this modal's state and the
 * (uncached) mutation; closing the modal drops both.
 */
export default function RevealModal({ familyId, field, label, onClose }: RevealProps) {
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useRevealFamilyField(familyId);
  const [error, setError] = useState<string | null>(null);
  const value = reveal.data?.value;

  const close = () => {
    reveal.reset();
    onClose();
  };

  return (
    <Modal
      open
      title={`查看${label}`}
      onCancel={close}
      destroyOnHidden
      footer={
        value
          ? [
              <Button key="close" type="primary" onClick={close}>
                关闭
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={close}>
                取消
              </Button>,
              <Button key="ok" type="primary" loading={reveal.isPending} onClick={() => form.submit()}>
                查看
              </Button>,
            ]
      }
    >
      {value ? (
        <>
          <Typography.Paragraph type="secondary">{label}</Typography.Paragraph>
          <Typography.Paragraph
            data-testid="revealed-value"
            style={{ fontSize: 20, fontFamily: 'monospace', letterSpacing: 1, wordBreak: 'break-all' }}
          >
            {value}
          </Typography.Paragraph>
          <Alert type="info" showIcon title="本次查看已记录。关闭后不再显示，请勿截屏或外传。" />
        </>
      ) : (
        <>
          <Alert
            type="warning"
            showIcon
            title="完整号码属于个人敏感信息，查看人、时间和原因都会被记录。"
            style={{ marginBottom: 16 }}
          />
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Form
            form={form}
            layout="vertical"
            onFinish={({ reason }) => {
              setError(null);
              reveal.mutate(
                { field, reason: reason.trim() },
                { onError: (err) => setError(applyServerErrors(form, err, ['reason'])) },
              );
            }}
          >
            <Form.Item
              name="reason"
              label="查看原因"
              rules={[
                { required: true, whitespace: true, message: '请填写查看原因' },
                // The server's own rule: the auditor reads this reason, so ".." or "1234" is not one.
                {
                  validator: async (_, value: string | undefined) => {
                    const problem = value?.trim() ? revealReasonProblem(value) : null;
                    if (problem) throw new Error(problem);
                  },
                },
                { max: LIMITS.shortText, message: `查看原因不能超过 ${LIMITS.shortText} 个字` },
              ]}
            >
              <Input.TextArea
                rows={2}
                maxLength={LIMITS.shortText}
                placeholder="例如：办理特别扶助金发放，核对身份证号"
                autoFocus
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
