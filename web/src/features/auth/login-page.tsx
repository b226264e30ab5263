import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { Alert, Button, Form, Input, type FormInstance } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useLogin, useVerifyMfa } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useAuth } from '../../app/auth-context';
import { safeNextPath } from '../../app/route-guards';
import { applyServerErrors } from '../../components/form-errors';
import { usePageTitle } from '../../components/use-page-title';
import { AuthCard } from './auth-card';
import { PendingNotice } from '../offline/pending-notice';

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
    // Too many failures from this address: the server says how long to wait.
    if (err.code === 'RATE_LIMITED') return err.message || '登录失败次数过多，请稍后再试';
    if (err.details[0]?.code === 'ACCOUNT_PENDING') return err.message;
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
  // Set when the password was right and the account has a second factor.
  const [challenge, setChallenge] = useState<string | null>(null);

  if (user) return <Navigate to={safeNextPath(searchParams.get('next'))} replace />;
  if (challenge) return <MfaStepForm challenge={challenge} onRestart={() => setChallenge(null)} />;

  const onFinish = (values: LoginValues) => {
    setError(null);
    login.mutate(
      { username: values.username.trim(), password: values.password },
      {
        onSuccess: (answer) => {
          if ('mfaRequired' in answer) setChallenge(answer.challenge);
        },
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
      <PendingNotice fillUsername={(u) => !form.getFieldValue('username') && form.setFieldValue('username', u)} />
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

/** The second login step: a 6-digit code from the phone, or one of the recovery codes. */
function MfaStepForm({ challenge, onRestart }: { challenge: string; onRestart: () => void }) {
  const verify = useVerifyMfa();
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ code: string }>();
  const onFinish = ({ code }: { code: string }) => {
    setError(null);
    verify.mutate(
      { challenge, code: code.trim() },
      {
        onError: (err) => {
          form.setFieldValue('code', '');
          if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') return onRestart();
          if (err instanceof ApiError && err.details[0]?.code === 'MFA_CODE_WRONG') return setError('动态验证码不正确');
          setError(err instanceof ApiError ? err.message : '验证失败，请重试');
        },
      },
    );
  };
  return (
    <AuthCard subtitle="请输入手机身份验证器上的动态验证码">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form<{ code: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        disabled={verify.isPending}
      >
        <Form.Item
          name="code"
          label="动态验证码"
          extra="手机不在身边时，可输入一个恢复码"
          rules={[{ required: true, whitespace: true, message: '请输入动态验证码' }]}
        >
          <Input inputMode="numeric" autoComplete="one-time-code" autoFocus maxLength={16} size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={verify.isPending}>
          验证并登录
        </Button>
      </Form>
      <Button type="link" block style={{ marginTop: 8 }} onClick={onRestart}>
        返回重新输入密码
      </Button>
    </AuthCard>
  );
}
