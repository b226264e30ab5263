import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Flex, Form, Input } from 'antd';
import { useChangePassword, useLogout } from '../../api/auth';
import { useAuth } from '../../app/auth-context';
import { safeNextPath } from '../../app/route-guards';
import { applyServerErrors } from '../../components/form-errors';
import { usePageTitle } from '../../components/use-page-title';
import { NewPasswordFields } from '../users/new-password-fields';
import { AuthCard } from './auth-card';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

const FIELDS = ['currentPassword', 'newPassword'] as const;

/** 修改密码: by choice from the header, or required after a new, reset or expired password. */
export default function PasswordPage() {
  usePageTitle('修改密码');
  const user = useAuth();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const [form] = Form.useForm<PasswordValues>();
  const changePassword = useChangePassword();
  const logout = useLogout(() => navigate('/login', { replace: true }));
  const [error, setError] = useState<string | null>(null);

  if (!user) return <Navigate to="/login?next=%2Fpassword" replace />;
  const isRequired = user.mustChangePassword === true;
  const next = safeNextPath(searchParams.get('next'));

  const onFinish = ({ currentPassword, newPassword }: PasswordValues) => {
    setError(null);
    changePassword.mutate(
      { currentPassword, newPassword },
      {
        // The session stays; useChangePassword has reloaded it, so the guard lets the user through.
        onSuccess: () => navigate(next, { replace: true }),
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <AuthCard subtitle={`修改密码 · ${user.displayName}（${user.username}）`}>
      {isRequired && (
        <Alert
          type="info"
          showIcon
          title="请先修改密码"
          description="首次登录、密码被管理员重置或已到期时，需要设置新密码后才能继续使用。"
          style={{ marginBottom: 16 }}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<PasswordValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        disabled={changePassword.isPending}
      >
        <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" maxLength={128} />
        </Form.Item>
        <NewPasswordFields name="newPassword" username={user.username} />
        <Button type="primary" htmlType="submit" block loading={changePassword.isPending}>
          修改密码
        </Button>
      </Form>
      <Flex justify="space-between" style={{ marginTop: 16 }}>
        {isRequired ? <span /> : <Link to={next}>返回</Link>}
        <Button type="link" style={{ padding: 0 }} onClick={() => logout.mutate()}>
          退出登录
        </Button>
      </Flex>
    </AuthCard>
  );
}
