import { useState } from 'react';
import { FileExcelOutlined, LockOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Space } from 'antd';
import { STAT_TEMPLATE_LABELS } from '../../../../common/labels';
import { holdsKey } from '../../../../common/reporting-levels';
import { XLSX_PASSWORD_MAX, XLSX_PASSWORD_MIN } from '../../../../common/schemas/stat-packages';
import type { StatReturn } from '../../../../common/schemas/stat-returns';
import { errorMessage } from '../../api/client';
import { downloadEncryptedXlsx, downloadPackage } from '../../api/stat-packages';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';

/**
 * The return page's download area: print; the encrypted, signed package for the level above (a county's,
 * a city's or a province-direct unit's submitted or approved return); the password-protected workbook.
 */
export function StatReturnDownloads({ statReturn }: { statReturn: StatReturn }) {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [askPassword, setAskPassword] = useState(false);
  const baseName = `${statReturn.regionName}-${STAT_TEMPLATE_LABELS[statReturn.template]}-${statReturn.period}`;
  const mayPackage =
    user.abilities.includes('statPackage.export') &&
    holdsKey(statReturn.regionCode) &&
    (statReturn.status === 'submitted' || statReturn.status === 'approved');

  const fetchPackage = async () => {
    setBusy(true);
    try {
      await downloadPackage(statReturn.id, `统计报表包-${baseName}.der`);
    } catch (err) {
      void message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space wrap data-testid="stat-return-downloads">
      <LinkButton icon={<PrinterOutlined />} to={`/stat-returns/${statReturn.id}/print`}>
        打印报表
      </LinkButton>
      {mayPackage && (
        <Button icon={<LockOutlined />} loading={busy} onClick={() => void fetchPackage()}>
          下载加密包
        </Button>
      )}
      <Button icon={<FileExcelOutlined />} onClick={() => setAskPassword(true)}>
        下载加密Excel
      </Button>
      <PasswordDialog
        open={askPassword}
        onClose={() => setAskPassword(false)}
        onConfirm={(password) => downloadEncryptedXlsx(statReturn.id, password, `${baseName}.xlsx`)}
      />
    </Space>
  );
}

/** The password is typed twice, kept only in this dialog's state, and cleared when it closes. */
function PasswordDialog(props: { open: boolean; onClose: () => void; onConfirm: (password: string) => Promise<void> }) {
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };
  return (
    <Modal
      title="下载加密 Excel"
      open={props.open}
      onCancel={close}
      okText="下载"
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="文件用 Office 标准加密（AES-256），打开时输入此密码。平台不保存密码，忘记后无法找回。"
      />
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ password }) => {
          setBusy(true);
          setError(null);
          try {
            await props.onConfirm(password);
            close();
          } catch (err) {
            setError(errorMessage(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="password"
          label="打开密码"
          rules={[
            { required: true, message: '请设置打开密码' },
            { min: XLSX_PASSWORD_MIN, message: `密码至少 ${XLSX_PASSWORD_MIN} 位` },
            { max: XLSX_PASSWORD_MAX, message: `密码不能超过 ${XLSX_PASSWORD_MAX} 位` },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="再次输入密码"
          dependencies={['password']}
          rules={[
            { required: true, message: '请再次输入密码' },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('password')
                  ? Promise.resolve()
                  : Promise.reject(new Error('两次输入的密码不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={error} />}
    </Modal>
  );
}
