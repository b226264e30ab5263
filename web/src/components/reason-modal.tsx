import { useState, type ReactNode } from 'react';
import { App, Input, Modal, Typography } from 'antd';
import { errorMessage } from '../api/client';

/**
 * A confirm step that needs a written reason first (退回 / 撤回 / 重新打开 / 说明): a line of context, one
 * text box, and an OK button that stays disabled until something is written. `onSubmit` gets the text as
 * typed and does the request (its own success message and closing); a failure is shown as a message and the
 * text is kept. The text is cleared after a success; give the modal a `key` per subject to start each one
 * empty. Forms with more than a reason (a choice, a date, field-level server errors) keep their own modal.
 */
export function ReasonModal({
  open,
  title,
  okText,
  description,
  label = '原因',
  placeholder,
  maxLength,
  rows = 3,
  danger = false,
  loading,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: ReactNode;
  okText: string;
  description?: ReactNode;
  /** The text box's accessible name. */
  label?: string;
  placeholder?: string;
  maxLength: number;
  rows?: number;
  danger?: boolean;
  loading: boolean;
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const submit = async () => {
    try {
      await onSubmit(reason);
      setReason('');
    } catch (err) {
      void message.error(errorMessage(err));
    }
  };
  return (
    <Modal
      title={title}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={okText}
      okButtonProps={{ disabled: !reason.trim(), loading, danger }}
    >
      {description && <Typography.Paragraph type="secondary">{description}</Typography.Paragraph>}
      <Input.TextArea
        aria-label={label}
        rows={rows}
        maxLength={maxLength}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={placeholder}
      />
    </Modal>
  );
}
