import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Switch,
  Typography,
  message,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { CHANNEL_KIND_LABELS, CHANNEL_KINDS, type ChannelKind } from '../../../../common/labels';
import {
  useChannelAdminCandidates,
  useSaveChannel,
  type Channel,
  type ChannelCreate,
  type ChannelUpdate,
} from '../../api/channels';
import { placeServerErrors } from '../notices/notice-labels';

interface AdminRow {
  kind: 'staff' | 'family';
  userId?: string;
  name?: string;
  phone?: string;
  /** Position in the stored list: a family administrator left without a new phone keeps the stored one. */
  from?: number;
  phoneMask?: string | null;
}

interface Values {
  kind: ChannelKind;
  name: string;
  number?: string;
  size?: number | null;
  createdOn?: Dayjs | null;
  admins?: AdminRow[];
  robotKey?: string;
  removeKey?: boolean;
  isActive?: boolean;
}

const FIELDS = {
  kind: 'kind',
  name: 'name',
  number: 'number',
  size: 'size',
  createdOn: 'createdOn',
  robotKey: 'robotKey',
  admins: 'nested',
} as const;

/**
 * A county's QQ / WeChat / WeCom group: number, administrators (the county's staff accounts, and family
 * members who co-administer — their phones only ever come back masked), size and date. A WeCom group's
 * robot key is typed once; afterwards only its last 4 characters are shown, and it can be replaced or
 * removed. The server checks the key (a whole webhook address is refused with the reason) and its message
 * lands on the field.
 */
export function ChannelForm({
  open,
  regionCode,
  channel,
  onClose,
}: {
  open: boolean;
  regionCode: string;
  channel: Channel | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const save = useSaveChannel();
  const candidates = useChannelAdminCandidates(regionCode, open);
  const [problem, setProblem] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form);
  const removeKey = Form.useWatch('removeKey', form);

  useEffect(() => {
    if (!open) return;
    setProblem(null);
    form.resetFields();
    form.setFieldsValue(
      channel
        ? {
            kind: channel.kind,
            name: channel.name,
            number: channel.number ?? undefined,
            size: channel.size,
            createdOn: channel.createdOn ? dayjs(channel.createdOn) : null,
            admins: channel.admins.map((a, i) => ({
              kind: a.kind,
              userId: a.userId ?? undefined,
              name: a.name,
              from: i,
              phoneMask: a.phoneMask,
            })),
            isActive: channel.isActive,
          }
        : { kind: 'qq_group', admins: [] },
    );
  }, [open, channel, form]);

  const admins = (rows: AdminRow[] = []) =>
    rows.map((a) => {
      if (a.kind === 'staff') {
        const who = candidates.data?.find((c) => c.userId === a.userId);
        return { kind: 'staff' as const, userId: a.userId ?? null, name: who?.displayName ?? a.name ?? '' };
      }
      const phone = a.phone?.trim() || undefined;
      return {
        kind: 'family' as const,
        name: a.name?.trim() ?? '',
        ...(phone ? { phone } : a.from !== undefined && a.phoneMask ? { keepPhoneOf: a.from } : {}),
      };
    });

  const submit = async () => {
    const v = await form.validateFields();
    setProblem(null);
    const common = {
      name: v.name.trim(),
      number: v.number?.trim() || null,
      size: v.size ?? null,
      createdOn: v.createdOn ? v.createdOn.format('YYYY-MM-DD') : null,
      // The whole stored rows: `from` and `phoneMask` are no fields, so validateFields leaves them out.
      admins: admins(form.getFieldValue('admins') as AdminRow[] | undefined),
    };
    const key = v.robotKey?.trim();
    try {
      if (channel) {
        const body: ChannelUpdate = {
          version: channel.version,
          ...common,
          isActive: v.isActive ?? true,
          ...(v.removeKey ? { robotKey: null } : key ? { robotKey: key } : {}),
        };
        await save.mutateAsync({ id: channel.id, body });
      } else {
        const body: ChannelCreate = {
          regionCode,
          kind: v.kind,
          ...common,
          ...(key ? { robotKey: key } : {}),
        };
        await save.mutateAsync({ body });
      }
      void message.success(channel ? '已保存' : '已登记');
      onClose();
    } catch (err) {
      setProblem(placeServerErrors(form, err, FIELDS));
    }
  };

  const isWecom = (channel?.kind ?? kind) === 'wecom_group';
  return (
    <Modal
      title={channel ? `编辑：${channel.name}` : '登记群'}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
      width={640}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark="optional">
        <Form.Item name="kind" label="群类型" rules={[{ required: true, message: '请选择群类型' }]}>
          <Radio.Group
            disabled={!!channel}
            options={CHANNEL_KINDS.map((k) => ({ value: k, label: CHANNEL_KIND_LABELS[k] }))}
          />
        </Form.Item>
        <Form.Item name="name" label="群名称" rules={[{ required: true, whitespace: true, message: '请填写群名称' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="number" label="群号" style={{ flex: '1 1 160px' }}>
            <Input maxLength={50} placeholder="QQ群号、微信群名片号等" />
          </Form.Item>
          <Form.Item name="size" label="人数" style={{ flex: '1 1 100px' }}>
            <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="createdOn" label="建群日期" style={{ flex: '1 1 140px' }}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
          </Form.Item>
        </Flex>

        <Typography.Text strong>管理员</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          县级工作人员账户，或协助管理的家庭成员（电话加密保存，只显示掩码）。
        </Typography.Paragraph>
        <Form.List name="admins">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} style={{ marginBottom: 16 }}>
              {fields.map((field) => (
                <AdminFields
                  key={field.key}
                  index={field.name}
                  onRemove={() => remove(field.name)}
                  candidates={(candidates.data ?? []).map((c) => ({ value: c.userId, label: c.displayName }))}
                  loading={candidates.isPending}
                />
              ))}
              {fields.length < 20 && (
                <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'staff' })} style={{ alignSelf: 'start' }}>
                  添加管理员
                </Button>
              )}
            </Flex>
          )}
        </Form.List>

        {isWecom && (
          <>
            {channel?.hasRobotKey && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                title={`已设置群机器人 key（末四位 ${channel.robotKeyLast4 ?? '****'}）`}
                description="key 保存后不再显示。填写新的 key 将替换原 key。"
              />
            )}
            <Form.Item
              name="robotKey"
              label={channel?.hasRobotKey ? '新的群机器人 key' : '群机器人 key'}
              extra="在企业微信群的“群机器人”里复制 Webhook 地址，只填写“key=”后面的那一串。"
            >
              <Input.Password
                visibilityToggle
                autoComplete="off"
                disabled={!!removeKey}
                placeholder="例如 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
              />
            </Form.Item>
            {channel?.hasRobotKey && (
              <Form.Item name="removeKey" valuePropName="checked">
                <Checkbox>删除群机器人 key（此后不再自动推送，改为手工张贴）</Checkbox>
              </Form.Item>
            )}
          </>
        )}
        {channel && (
          <Form.Item name="isActive" label="在用" valuePropName="checked">
            <Switch checkedChildren="在用" unCheckedChildren="停用" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function AdminFields({
  index,
  onRemove,
  candidates,
  loading,
}: {
  index: number;
  onRemove: () => void;
  candidates: { value: string; label: string }[];
  loading: boolean;
}) {
  const form = Form.useFormInstance<Values>();
  const kind = Form.useWatch(['admins', index, 'kind'], form) as AdminRow['kind'] | undefined;
  // Not a field of the form (only what came from the server): `preserve` watches the stored value.
  const mask = Form.useWatch(['admins', index, 'phoneMask'], { form, preserve: true }) as string | null | undefined;
  return (
    <Flex gap={8} wrap align="start" data-testid={`channel-admin-${index}`}>
      <Form.Item name={[index, 'kind']} noStyle>
        <Select
          aria-label="管理员类型"
          style={{ width: 120 }}
          options={[
            { value: 'staff', label: '工作人员' },
            { value: 'family', label: '家庭成员' },
          ]}
        />
      </Form.Item>
      {kind === 'family' ? (
        <>
          <Form.Item
            name={[index, 'name']}
            rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
            style={{ flex: '1 1 120px', marginBottom: 0 }}
          >
            <Input aria-label="家庭成员姓名" placeholder="姓名" maxLength={50} />
          </Form.Item>
          <Form.Item name={[index, 'phone']} style={{ flex: '1 1 150px', marginBottom: 0 }}>
            <Input
              aria-label="家庭成员电话"
              inputMode="tel"
              placeholder={mask ? `已存 ${mask}，留空保留` : '手机号（选填）'}
              maxLength={20}
            />
          </Form.Item>
        </>
      ) : (
        <Form.Item
          name={[index, 'userId']}
          rules={[{ required: true, message: '请选择工作人员账户' }]}
          style={{ flex: '1 1 200px', marginBottom: 0 }}
        >
          <Select
            aria-label="工作人员账户"
            placeholder="选择本县工作人员账户"
            loading={loading}
            options={candidates}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
      )}
      <Space>
        <Button aria-label="删除管理员" icon={<DeleteOutlined />} onClick={onRemove} />
      </Space>
    </Flex>
  );
}
