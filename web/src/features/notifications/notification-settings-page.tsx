import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, Select, Skeleton, Switch, Typography } from 'antd';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_KIND_LABELS,
  NOTIFY_CHANNEL_LABELS,
  type NotificationKind,
  type NotifyChannel,
} from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useNotificationPrefs, useUpdateNotificationPrefs, type NotificationPrefs } from '../../api/notifications';
import { applyServerErrors } from '../../components/form-errors';
import { usePageTitle } from '../../components/use-page-title';

interface Values {
  kinds: NotificationKind[];
  channels: NotifyChannel[];
  quiet: boolean;
  quietFrom: string;
  quietTo: string;
  digest: boolean;
  /** Absent when the deployment has no SMS / WeCom provider (the fields are not shown). */
  phone?: string;
  wecomUserId?: string;
}

const FIELDS = ['kinds', 'channels', 'quietFrom', 'quietTo', 'digest', 'phone', 'wecomUserId'] as const;
const HALF_HOURS = Array.from({ length: 48 }, (_, i) => {
  const v = `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`;
  return { value: v, label: v };
});
const SMS_NAMES = { aliyun: '阿里云短信', tencent: '腾讯云短信' } as const;

/** What this deployment can push, said plainly: none configured means the bell only. */
export function providerSummary(p: NotificationPrefs['providers']): { configured: boolean; text: string } {
  const names = [...(p.wecomApp ? ['企业微信应用消息'] : []), ...(p.sms ? [`短信（${SMS_NAMES[p.sms]}）`] : [])];
  if (!names.length)
    return {
      configured: false,
      text: '本平台未配置企业微信应用消息或短信服务：所有提醒只在平台内（页面右上角的铃铛）显示，不会推送到手机。如需推送，请联系系统管理员配置。',
    };
  return {
    configured: true,
    text: `本平台已配置：${names.join('、')}。推送的内容不含身份证号、电话和完整姓名（如“张某英”），免打扰时段内的推送在时段结束后发出。`,
  };
}

/** 通知设置: which kinds ring, through which channels, quiet hours, the 8:00 digest, and where pushes go. */
export default function NotificationSettingsPage() {
  usePageTitle('通知设置');
  const { message } = App.useApp();
  const prefs = useNotificationPrefs();
  const save = useUpdateNotificationPrefs();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const channels = Form.useWatch('channels', form) ?? [];
  const quiet = Form.useWatch('quiet', form) ?? false;

  const p = prefs.data;
  useEffect(() => {
    if (!p) return;
    form.setFieldsValue({
      kinds: p.kinds,
      channels: p.channels,
      quiet: !!p.quietFrom,
      quietFrom: p.quietFrom ?? '22:00',
      quietTo: p.quietTo ?? '07:00',
      digest: p.digest,
      phone: '',
      wecomUserId: p.wecomUserId ?? '',
    });
  }, [p, form]);

  if (prefs.isPending) return <Skeleton active />;
  if (prefs.isError) return <Alert type="error" showIcon title={errorMessage(prefs.error)} />;
  const prefsData = prefs.data;
  const summary = providerSummary(prefsData.providers);
  const available: Record<NotifyChannel, boolean> = {
    in_app: true,
    wecom_app: prefsData.providers.wecomApp,
    sms: !!prefsData.providers.sms,
  };

  const onFinish = (v: Values) => {
    setError(null);
    save.mutate(
      {
        version: prefsData.version,
        kinds: v.kinds,
        channels: v.channels.filter((c) => available[c]),
        quietFrom: v.quiet ? v.quietFrom : null,
        quietTo: v.quiet ? v.quietTo : null,
        digest: v.digest,
        ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
        ...(available.wecom_app ? { wecomUserId: v.wecomUserId?.trim() || null } : {}),
      },
      {
        onSuccess: () => {
          form.setFieldValue('phone', '');
          void message.success('通知设置已保存');
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <Flex vertical gap={16} style={{ maxWidth: 720 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        通知设置
      </Typography.Title>
      <Alert
        type={summary.configured ? 'success' : 'info'}
        showIcon
        title={summary.configured ? '推送服务' : '只在平台内提醒'}
        description={summary.text}
        data-testid="provider-summary"
      />
      {error && <Alert type="error" showIcon title={error} />}
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Card size="small" title="接收哪些提醒" style={{ marginBottom: 16 }}>
          <Form.Item name="kinds" extra="信访苗头（赴省进京或红色风险）等紧急预警无论此处如何设置都会提醒。">
            <Checkbox.Group
              style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 8 }}
              options={NOTIFICATION_KINDS.map((k) => ({ value: k, label: NOTIFICATION_KIND_LABELS[k] }))}
            />
          </Form.Item>
        </Card>
        <Card size="small" title="提醒方式" style={{ marginBottom: 16 }}>
          <Form.Item name="channels">
            <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
              {(['in_app', 'wecom_app', 'sms'] as const).map((c) => (
                <Checkbox key={c} value={c} disabled={c === 'in_app' || !available[c]}>
                  {NOTIFY_CHANNEL_LABELS[c]}
                  {c === 'in_app' && <Typography.Text type="secondary">（始终开启）</Typography.Text>}
                  {c !== 'in_app' && !available[c] && (
                    <Typography.Text type="secondary">（本平台未配置）</Typography.Text>
                  )}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
          {available.sms && (
            <Form.Item
              name="phone"
              label="接收短信的手机号"
              extra={
                prefsData.phone
                  ? `当前：${prefsData.phone}（加密保存；留空则不修改）`
                  : '加密保存，只用于发送本账号的提醒短信'
              }
              rules={[
                { required: channels.includes('sms') && !prefsData.phone, message: '选择短信提醒须填写本人手机号' },
              ]}
            >
              <Input inputMode="numeric" autoComplete="tel" maxLength={20} placeholder="11 位手机号" />
            </Form.Item>
          )}
          {available.wecom_app && (
            <Form.Item
              name="wecomUserId"
              label="企业微信账号（userid）"
              extra="在企业微信管理后台“通讯录”中可以查到"
              rules={[
                { required: channels.includes('wecom_app'), message: '选择企业微信提醒须填写本人的企业微信账号' },
              ]}
            >
              <Input maxLength={64} autoComplete="off" />
            </Form.Item>
          )}
        </Card>
        <Card size="small" title="免打扰与每日汇总" style={{ marginBottom: 16 }}>
          <Form.Item
            name="quiet"
            label="免打扰时段"
            valuePropName="checked"
            extra="时段内不推送到手机，结束后再发出；平台内的铃铛照常显示。"
          >
            <Switch checkedChildren="开" unCheckedChildren="关" />
          </Form.Item>
          {quiet && (
            <Flex gap={8} align="center" wrap>
              <Form.Item name="quietFrom" label="从" style={{ marginBottom: 0 }}>
                <Select options={HALF_HOURS} style={{ width: 110 }} aria-label="免打扰开始" />
              </Form.Item>
              <Form.Item name="quietTo" label="到" style={{ marginBottom: 0 }}>
                <Select options={HALF_HOURS} style={{ width: 110 }} aria-label="免打扰结束" />
              </Form.Item>
            </Flex>
          )}
          <Form.Item
            name="digest"
            label="每日 8:00 待办汇总"
            valuePropName="checked"
            style={{ marginTop: 16, marginBottom: 0 }}
          >
            <Switch checkedChildren="开" unCheckedChildren="关" />
          </Form.Item>
        </Card>
        <Button type="primary" htmlType="submit" loading={save.isPending} block={false}>
          保存设置
        </Button>
      </Form>
    </Flex>
  );
}
