import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import type { Role } from '../../../../common/roles';
import { useCreateUser, type UserCreate } from '../../api/users';
import { applyServerErrors } from '../../components/form-errors';
import { RoleRegionFields } from './role-region-fields';
import { PASSWORD_HINT, passwordPolicyRule } from './password-rules';

const FIELDS = ['username', 'displayName', 'password', 'role', 'regionCode'] as const;

interface CreateValues {
  username: string;
  displayName: string;
  password?: string;
  role: Role;
  regionCode: string;
}

export function UserCreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<CreateValues>();
  const createUser = useCreateUser();
  const { message, modal } = App.useApp();
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setError(null);
    form.resetFields();
    onClose();
  };

  const onFinish = (values: CreateValues) => {
    setError(null);
    const input: UserCreate = {
      ...values,
      password: values.password || undefined,
      username: values.username.trim(),
      displayName: values.displayName.trim(),
    };
    createUser.mutate(input, {
      onSuccess: (user) => {
        message.success(`已创建用户 ${user.username}，待安全管理员审批后可登录`);
        // A password the server chose is shown this once: it is not stored anywhere readable.
        if (user.initialPassword)
          modal.info({
            title: `${user.username} 的初始密码`,
            content: (
              <>
                <p>
                  <Typography.Text code copyable data-testid="initial-password">
                    {user.initialPassword}
                  </Typography.Text>
                </p>
                <p>只显示这一次。请当面或以密封方式交给本人；本人首次登录须修改密码。</p>
              </>
            ),
            okText: '我已记下',
          });
        close();
      },
      onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
    });
  };

  return (
    <Modal
      title="新建用户"
      open={open}
      onCancel={close}
      onOk={() => form.submit()}
      okText="创建"
      confirmLoading={createUser.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<CreateValues> form={form} layout="vertical" onFinish={onFinish} autoComplete="off">
        <Form.Item
          name="username"
          label="用户名"
          rules={[
            { required: true, whitespace: true, message: '请输入用户名' },
            { max: 64, message: '用户名最多 64 个字符' },
          ]}
        >
          <Input autoComplete="off" maxLength={64} />
        </Form.Item>
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 50, message: '姓名最多 50 个字符' },
          ]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="password"
          label="初始密码"
          extra={`${PASSWORD_HINT}；留空则由系统生成，仅显示一次`}
          rules={[passwordPolicyRule(() => form.getFieldValue('username') as string | undefined)]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <RoleRegionFields form={form} />
      </Form>
    </Modal>
  );
}
