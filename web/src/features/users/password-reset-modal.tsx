import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { isApiError } from '../../api/client';
import { userKeys, useUpdateUser, type User } from '../../api/users';
import { applyServerErrors } from '../../components/form-errors';
import { PASSWORD_HINT } from './user-labels';

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
        onSuccess: () => {
          message.success(`已重置 ${user.username} 的密码`);
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
        <Form.Item
          name="password"
          label="新密码"
          extra={PASSWORD_HINT}
          rules={[
            { required: true, message: '请输入新密码' },
            { min: 8, message: '密码至少 8 位' },
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="再次输入新密码"
          dependencies={['password']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: async (_, value: string | undefined) => {
                if (value && value !== getFieldValue('password')) throw new Error('两次输入的密码不一致');
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
