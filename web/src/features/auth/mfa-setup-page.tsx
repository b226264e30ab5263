import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, Input, QRCode, Typography } from 'antd';
import { authKeys, useBeginMfaEnrolment, useConfirmMfaEnrolment, useLogout } from '../../api/auth';
import { ApiError, errorMessage } from '../../api/client';
import { useAuth } from '../../app/auth-context';
import { safeNextPath } from '../../app/route-guards';
import { usePageTitle } from '../../components/use-page-title';
import { AuthCard } from './auth-card';

/**
 * 绑定动态验证码 (TOTP): required at first login for the roles of MFA_REQUIRED_ROLES, open to anyone else
 * who wants it. The QR code is drawn here from the otpauth:// URI: nothing leaves for another origin.
 */
export default function MfaSetupPage() {
  usePageTitle('绑定动态验证码');
  const user = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [searchParams] = useSearchParams();
  const begin = useBeginMfaEnrolment();
  const confirm = useConfirmMfaEnrolment();
  const logout = useLogout(() => navigate('/login', { replace: true }));
  const [codeError, setCodeError] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const next = safeNextPath(searchParams.get('next'));
  const canBegin = Boolean(user && !user.mfaEnabled && !user.mustChangePassword);

  const { mutate: start } = begin;
  useEffect(() => {
    if (canBegin) start();
  }, [canBegin, start]);

  if (!user) return <Navigate to="/login?next=%2Fmfa-setup" replace />;
  if (user.mustChangePassword) return <Navigate to="/password?next=%2Fmfa-setup" replace />;

  const finish = async () => {
    await queryClient.invalidateQueries({ queryKey: authKeys.me });
    navigate(next, { replace: true });
  };

  if (recoveryCodes) {
    return (
      <AuthCard subtitle="动态验证码已绑定">
        <Alert
          type="warning"
          showIcon
          title="请抄写或打印下面的恢复码，妥善保管"
          description="手机丢失或无法使用时，每个恢复码可代替动态验证码登录一次。恢复码只显示这一次。"
          style={{ marginBottom: 16 }}
        />
        <ol data-testid="recovery-codes" style={{ fontFamily: 'monospace', fontSize: 16, columns: 2 }}>
          {recoveryCodes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ol>
        <Button type="primary" block onClick={finish}>
          我已保存恢复码，继续
        </Button>
      </AuthCard>
    );
  }

  if (user.mfaEnabled) {
    return (
      <AuthCard subtitle="绑定动态验证码">
        <Alert
          type="success"
          showIcon
          title="本账户已绑定动态验证码"
          description="如需更换手机，请联系安全管理员重置。"
        />
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Link to={next}>返回</Link>
        </Flex>
      </AuthCard>
    );
  }

  const onFinish = ({ code }: { code: string }) => {
    setCodeError(null);
    confirm.mutate(code.trim(), {
      onSuccess: (answer) => setRecoveryCodes(answer.recoveryCodes),
      onError: (err) =>
        setCodeError(
          err instanceof ApiError && err.details[0]?.path === 'code' ? err.details[0].message : errorMessage(err),
        ),
    });
  };

  return (
    <AuthCard subtitle={`绑定动态验证码 · ${user.displayName}（${user.username}）`}>
      {user.mfaEnrolmentDue && (
        <Alert
          type="info"
          showIcon
          title="请先绑定动态验证码"
          description="本账户须使用密码和手机动态验证码两种方式登录（双因素认证），绑定后才能继续使用。"
          style={{ marginBottom: 16 }}
        />
      )}
      {begin.isError && <Alert type="error" showIcon title={errorMessage(begin.error)} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph>
        1. 在手机上打开身份验证器应用（如"腾讯身份验证器"、Microsoft Authenticator、FreeOTP），扫描下面的二维码：
      </Typography.Paragraph>
      <Flex vertical align="center" gap={8} style={{ marginBottom: 16 }}>
        <QRCode
          value={begin.data?.uri ?? '-'}
          status={begin.data ? 'active' : 'loading'}
          size={200}
          bordered={false}
          aria-label="动态验证码绑定二维码"
        />
        {begin.data && (
          <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all', textAlign: 'center' }}>
            无法扫码时手动输入密钥：
            <Typography.Text code copyable data-testid="mfa-secret">
              {begin.data.secret}
            </Typography.Text>
          </Typography.Text>
        )}
      </Flex>
      <Typography.Paragraph>2. 输入应用显示的 6 位数字：</Typography.Paragraph>
      {codeError && <Alert type="error" showIcon title={codeError} style={{ marginBottom: 16 }} />}
      <Form<{ code: string }>
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        disabled={!begin.data || confirm.isPending}
      >
        <Form.Item
          name="code"
          label="动态验证码"
          rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: '请输入 6 位数字' }]}
        >
          <Input inputMode="numeric" autoComplete="one-time-code" maxLength={8} size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={confirm.isPending}>
          完成绑定
        </Button>
      </Form>
      <Flex justify="space-between" style={{ marginTop: 16 }}>
        {user.mfaEnrolmentDue ? <span /> : <Link to={next}>返回</Link>}
        <Button type="link" style={{ padding: 0 }} onClick={() => logout.mutate()}>
          退出登录
        </Button>
      </Flex>
    </AuthCard>
  );
}
