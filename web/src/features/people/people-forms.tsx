import { useState, type ReactNode } from 'react';
import { Alert, App, Form, Modal } from 'antd';
import type { FormInstance } from 'antd';
import { applyServerErrors } from '../../components/form-errors';

/**
 * A small form in a modal: the server's field errors land on the fields, anything else above them, and a
 * success closes the modal with a message. Every form of these pages is one of these (usable on a phone).
 */
export function FormModal<V extends object>({
  title,
  fields,
  okText = '保存',
  initialValues,
  onSubmit,
  onClose,
  done,
  children,
  testId,
}: {
  title: ReactNode;
  fields: readonly string[];
  okText?: string;
  initialValues?: Partial<V>;
  onSubmit: (values: V) => Promise<unknown>;
  onClose: () => void;
  done: string;
  children: (form: FormInstance<V>) => ReactNode;
  testId?: string;
}) {
  const [form] = Form.useForm<V>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const finish = async (values: V) => {
    setError(null);
    setBusy(true);
    try {
      await onSubmit(values);
      message.success(done);
      onClose();
    } catch (err) {
      setError(applyServerErrors(form, err, fields));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      okText={okText}
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={520}
      data-testid={testId}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<V> form={form} layout="vertical" initialValues={initialValues} onFinish={finish} requiredMark>
        {children(form)}
      </Form>
    </Modal>
  );
}

/** Empty optional text as absent, so the server stores null rather than ''. */
export function optional(value: string | undefined | null): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}
