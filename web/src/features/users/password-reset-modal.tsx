import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Modal, Typography } from 'antd';
import { isApiError } from '../../api/client';
import { userKeys, useUpdateUser, type User } from '../../api/users';
import { applyServerErrors } from '../../components/form-errors';
import { NewPasswordFields } from './new-password-fields';

interface PasswordValues {
  password: string;
  confirm: string;
}

export function PasswordResetModal({ user, onClose }: { user: User; onClose: () => void }) {
  const [form] = Form.useForm<PasswordValues>();
  const updateUser = useUpdateUser();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);

  const onFinish = ({ password }: PasswordValues) => {
    setError(null);
    updateUser.mutate(
      { id: user.id, version: user.version, password },
      {
        onSuccess: (saved) => {
          // Another 三员's password changes only once the third approves.
          message.success(
            saved.pendingChange?.passwordReset
              ? `${user.username} 的新密码已提交，待审批后生效`
              : `已重置 ${user.username} 的密码`,
          );
          onClose();
        },
        onError: (err) => {
          if (isApiError(err, 'VERSION_CONFLICT')) void queryClient.invalidateQueries({ queryKey: userKeys.all });
          setError(applyServerErrors(form, err, ['password']));
        },
      },
    );
  };

  return (
    <Modal
      title={`重置密码：${user.displayName}（${user.username}）`}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="重置密码"
      confirmLoading={updateUser.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">请把新密码当面或电话告知本人，不要通过群聊发送。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<PasswordValues> form={form} layout="vertical" onFinish={onFinish} autoComplete="off">
        <NewPasswordFields name="password" username={user.username} />
      </Form>
    </Modal>
  );
}
