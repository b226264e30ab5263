import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Typography } from 'antd';
import { LIMITS } from '../../../../../common/limits';
import { revealReasonProblem } from '../../../../../common/reveal-reason';
import { isApiError } from '../../../api/client';
import { useRevealFamilyField, type RevealField } from '../../../api/families';
import { useFileRevealRequest, useRevealRequests, type RevealRequestView } from '../../../api/reveal-requests';
import { applyServerErrors } from '../../../components/form-errors';
import { formatDateTime } from '../family-labels';

/** Where the requester's latest request for this value stands, beyond the hourly limit. */
function RequestState({ request }: { request: RevealRequestView }) {
  const common = { showIcon: true, style: { marginBottom: 16 }, 'data-testid': 'reveal-request-state' };
  switch (request.status) {
    case 'pending':
      return (
        <Alert
          {...common}
          type="info"
          title={`已申请乡镇（街道）批准，等待审批（${formatDateTime(request.requestedAt)} 提出）`}
        />
      );
    case 'approved':
      return (
        <Alert
          {...common}
          type="success"
          title={`${request.decidedByName ?? '乡镇'}已批准：${request.expiresAt ? `${formatDateTime(request.expiresAt)} 前` : ''}可查看一次，填写查看原因后点击“查看”。`}
        />
      );
    case 'rejected':
      return (
        <Alert
          {...common}
          type="warning"
          title={`申请已被驳回${request.decisionReason ? `：${request.decisionReason}` : ''}`}
        />
      );
    default:
      return null;
  }
}

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
  // 429: this account has seen its hour's worth of full values; the township may allow one more.
  const [limited, setLimited] = useState(false);
  const { message } = App.useApp();
  const requests = useRevealRequests({ familyId, mine: true, page: 1, pageSize: 20 });
  const fileRequest = useFileRevealRequest(familyId);
  const latest = requests.data?.data.find((r) => r.field === field);
  const isOpen = latest?.status === 'pending' || latest?.status === 'approved';
  const value = reveal.data?.value;

  const askTownship = async () => {
    const { reason } = await form.validateFields();
    setError(null);
    fileRequest.mutate(
      { field, reason: reason.trim() },
      {
        onSuccess: () => {
          message.success('已提交乡镇（街道）审批');
          void requests.refetch();
        },
        onError: (err) => setError(applyServerErrors(form, err, ['reason'])),
      },
    );
  };

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
              ...(limited && !isOpen
                ? [
                    <Button key="ask" loading={fileRequest.isPending} onClick={() => void askTownship()}>
                      申请乡镇批准
                    </Button>,
                  ]
                : []),
              <Button
                key="ok"
                type="primary"
                loading={reveal.isPending}
                disabled={limited && latest?.status !== 'approved'}
                onClick={() => form.submit()}
              >
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
          {latest && (limited || isOpen) && <RequestState request={latest} />}
          <Form
            form={form}
            layout="vertical"
            onFinish={({ reason }) => {
              setError(null);
              reveal.mutate(
                { field, reason: reason.trim() },
                {
                  onError: (err) => {
                    if (isApiError(err, 'RATE_LIMITED')) {
                      setLimited(true);
                      void requests.refetch();
                    }
                    setError(applyServerErrors(form, err, ['reason']));
                  },
                },
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
