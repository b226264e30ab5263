import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input, type FormInstance } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useLogin } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useAuth } from '../../app/auth-context';
import { safeNextPath } from '../../app/route-guards';
import { applyServerErrors } from '../../components/form-errors';
import { usePageTitle } from '../../components/use-page-title';
import { AuthCard } from './auth-card';

interface LoginValues {
  username: string;
  password: string;
}

const FIELDS = ['username', 'password'] as const;

function loginErrorText(err: unknown, form: FormInstance<LoginValues>): string | null {
  if (err instanceof ApiError) {
    if (err.code === 'INVALID_CREDENTIALS') return '用户名或密码错误';
    // The server says how long the lock lasts, e.g. 账户已锁定，请 15 分钟后再试或联系管理员.
    if (err.code === 'ACCOUNT_LOCKED') return err.message || '账户已锁定，请稍后再试或联系管理员';
  }
  return applyServerErrors(form, err, FIELDS);
}

export default function LoginPage() {
  usePageTitle('登录');
  const user = useAuth();
  const [searchParams] = useSearchParams();
  const [form] = Form.useForm<LoginValues>();
  const login = useLogin();
  const [error, setError] = useState<string | null>(null);

  if (user) return <Navigate to={safeNextPath(searchParams.get('next'))} replace />;

  const onFinish = (values: LoginValues) => {
    setError(null);
    login.mutate(
      { username: values.username.trim(), password: values.password },
      {
        onError: (err) => {
          setError(loginErrorText(err, form));
          form.setFieldValue('password', '');
        },
      },
    );
  };

  return (
    <AuthCard subtitle="湖北省计划生育特殊家庭联系人制度">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form<LoginValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        disabled={login.isPending}
      >
        <Form.Item
          name="username"
          label="用户名"
          rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} size="large" />
        </Form.Item>
        <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={128} size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
          登录
        </Button>
      </Form>
    </AuthCard>
  );
}
