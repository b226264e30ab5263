import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Form,
  Grid,
  Input,
  List,
  Radio,
  Row,
  Space,
  Tabs,
  Tag,
  Typography,
  Upload,
  message,
} from 'antd';
import { DeleteOutlined, PaperClipOutlined, SendOutlined, UploadOutlined } from '@ant-design/icons';
import { CHANNEL_KIND_LABELS } from '../../../../common/labels';
import { NOTICE_LIMITS } from '../../../../common/schemas/notices';
import { errorMessage } from '../../api/client';
import { useChannels } from '../../api/channels';
import {
  useNotice,
  useNoticeStep,
  useRemoveAttachment,
  useSaveNotice,
  useUploadAttachment,
  type Notice,
  type NoticeCreate,
} from '../../api/notices';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { PageSpin } from '../../components/page-spin';
import { usePageTitle } from '../../components/use-page-title';
import { Markdown } from './markdown';
import { formatSize, placeServerErrors } from './notice-labels';

interface Values {
  title: string;
  body: string;
  confidentiality: 'public' | 'internal';
  channelIds: string[];
  declaredNotClassified: boolean;
  /** Only carries the upload's errors. */
  attachments?: unknown;
}

const FIELDS = {
  title: 'title',
  body: 'body',
  confidentiality: 'confidentiality',
  channelIds: 'channelIds',
  declaredNotClassified: 'declaredNotClassified',
  attachments: 'attachments',
  file: 'attachments',
} as const;

const ACCEPT = '.pdf,.xlsx,.docx';

/** The body with its preview: side by side on a wide screen, as two tabs on a phone. */
function BodyField() {
  const screens = Grid.useBreakpoint();
  const form = Form.useFormInstance<Values>();
  const body = (Form.useWatch('body', form) as string | undefined) ?? '';
  const editor = (
    <Form.Item
      name="body"
      label="正文（Markdown）"
      rules={[{ required: true, whitespace: true, message: '请填写正文' }]}
      extra="支持 # 标题、**加粗**、- 列表、[链接](https://…)。"
    >
      <Input.TextArea rows={14} maxLength={NOTICE_LIMITS.body} showCount />
    </Form.Item>
  );
  const preview = (
    <Card size="small" title="预览" data-testid="notice-preview" style={{ minHeight: 200 }}>
      {body.trim() ? <Markdown source={body} /> : <Typography.Text type="secondary">正文预览</Typography.Text>}
    </Card>
  );
  if (screens.lg)
    return (
      <Row gutter={16}>
        <Col span={12}>{editor}</Col>
        <Col span={12} style={{ paddingTop: 30 }}>
          {preview}
        </Col>
      </Row>
    );
  return (
    <Tabs
      items={[
        { key: 'edit', label: '编辑', children: editor, forceRender: true },
        { key: 'preview', label: '预览', children: preview },
      ]}
    />
  );
}

function Attachments({ notice, onError }: { notice: Notice; onError: (err: unknown) => void }) {
  const upload = useUploadAttachment(notice.id);
  const remove = useRemoveAttachment(notice.id);
  const full = notice.attachments.length >= NOTICE_LIMITS.attachments;
  return (
    <Flex vertical gap={8}>
      {notice.attachments.length > 0 && (
        <List
          size="small"
          bordered
          dataSource={notice.attachments}
          renderItem={(a) => (
            <List.Item
              actions={[
                <Button
                  key="del"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`删除附件 ${a.fileName}`}
                  loading={remove.isPending}
                  onClick={() =>
                    remove.mutate({ attachmentId: a.id, version: notice.version }, { onError: (e) => onError(e) })
                  }
                />,
              ]}
            >
              <Space size={6} wrap>
                <PaperClipOutlined />
                {a.fileName}
                <Tag bordered={false}>{a.fileType.toUpperCase()}</Tag>
                <Typography.Text type="secondary">{formatSize(a.size)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      <Upload
        accept={ACCEPT}
        showUploadList={false}
        disabled={full || upload.isPending}
        beforeUpload={(file) => {
          if (file.size > NOTICE_LIMITS.attachmentBytes) {
            onError(new Error('附件过大，最大 10 MB'));
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={({ file, onSuccess, onError: failed }) => {
          upload.mutate(
            { file: file as File, version: notice.version },
            {
              onSuccess: (n) => {
                void message.success('附件已上传');
                onError(null);
                onSuccess?.(n);
              },
              onError: (e) => {
                onError(e);
                failed?.(e as Error);
              },
            },
          );
        }}
      >
        <Button icon={<UploadOutlined />} loading={upload.isPending} disabled={full}>
          上传附件
        </Button>
      </Upload>
      <Typography.Text type="secondary">
        PDF、xlsx 或 docx，每个不超过 10 MB，最多 {NOTICE_LIMITS.attachments} 个；按文件内容识别类型，并检查密级标志。
      </Typography.Text>
    </Flex>
  );
}

/**
 * The notice editor: title, Markdown body with its preview, attachments (once the draft is saved), the
 * target groups, 公开 / 内部 and the 不含涉密内容 declaration. Every refusal of the server — the marking
 * words 绝密 / 机密 / 秘密, a group of another county, an internal notice aimed at a group, a file that is
 * not what its name says — is shown on its field.
 */
export default function NoticeEditorPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const user = useCurrentUser();
  usePageTitle(id ? '修改公告' : '起草公告');
  const existing = useNotice(id);
  const notice = existing.data;
  const county = notice?.regionCode ?? user.regionCode;
  const channels = useChannels(county);
  const save = useSaveNotice();
  const step = useNoticeStep(id);
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const confidentiality = Form.useWatch('confidentiality', form);

  useEffect(() => {
    if (!notice) return;
    form.setFieldsValue({
      title: notice.title,
      body: notice.body,
      confidentiality: notice.confidentiality,
      channelIds: notice.channelIds,
      declaredNotClassified: false,
    });
    // Only when another notice is opened: a save must not undo what is being typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [notice?.id]);

  useEffect(() => {
    if (confidentiality === 'internal') form.setFieldValue('channelIds', []);
  }, [confidentiality, form]);

  if (id && existing.isPending) return <PageSpin />;
  if (id && existing.isError) return <Alert type="error" showIcon title={errorMessage(existing.error)} />;
  if (notice && !notice.abilities.edit)
    return (
      <Alert
        type="warning"
        showIcon
        title="只有草稿可以修改"
        action={<LinkButton to={`/notices/${notice.id}`}>查看公告</LinkButton>}
      />
    );

  const showError = (err: unknown) => {
    if (err === null) {
      form.setFields([{ name: 'attachments', errors: [] }]);
      return;
    }
    if (err instanceof Error && !('code' in err)) {
      form.setFields([{ name: 'attachments', errors: [err.message] }]);
      return;
    }
    setProblem(placeServerErrors(form, err, FIELDS));
  };

  /** Saves the draft; answers the saved notice, or null when the server refused (shown on the fields). */
  const persist = async (): Promise<Notice | null> => {
    const v = await form.validateFields();
    setProblem(null);
    const body = {
      title: v.title.trim(),
      body: v.body,
      confidentiality: v.confidentiality,
      channelIds: v.confidentiality === 'internal' ? [] : (v.channelIds ?? []),
      // Sent as ticked: the server refuses a missing declaration and says why, on the field.
      declaredNotClassified: v.declaredNotClassified === true,
    } as Omit<NoticeCreate, 'regionCode'>;
    try {
      return notice
        ? await save.mutateAsync({ id: notice.id, body: { version: notice.version, ...body } })
        : await save.mutateAsync({ body: { regionCode: user.regionCode, ...body } });
    } catch (err) {
      showError(err);
      return null;
    }
  };

  const saveDraft = async () => {
    const saved = await persist();
    if (!saved) return;
    void message.success(notice ? '草稿已保存' : '草稿已保存，可上传附件后提交审批');
    form.setFieldValue('declaredNotClassified', false);
    if (!notice) navigate(`/notices/${saved.id}/edit`, { replace: true });
  };

  const submit = async () => {
    const saved = await persist();
    if (!saved) return;
    try {
      await step.mutateAsync({ step: 'submit', body: { version: saved.version }, noticeId: saved.id });
    } catch (err) {
      // The draft was saved; submitting it was refused (markings in an attachment, say).
      showError(err);
      return;
    }
    void message.success('已提交县级领导审批');
    navigate(`/notices/${saved.id}`);
  };

  const active = (channels.data ?? []).filter((c) => c.isActive);
  return (
    <Flex vertical gap={16} data-testid="notice-editor">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {notice ? '修改公告' : '起草公告'}
      </Typography.Title>
      {notice?.statusReason && (
        <Alert type="warning" showIcon title={`县级领导退回：${notice.statusReason}`} data-testid="return-reason" />
      )}
      {problem && <Alert type="error" showIcon title={problem} />}
      <Card>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ confidentiality: 'public', channelIds: [], declaredNotClassified: false }}
        >
          <Form.Item name="title" label="标题" rules={[{ required: true, whitespace: true, message: '请填写标题' }]}>
            <Input maxLength={NOTICE_LIMITS.title} showCount />
          </Form.Item>
          <BodyField />
          <Form.Item name="confidentiality" label="公开范围">
            <Radio.Group
              options={[
                { value: 'public', label: '公开（可发到群，群里有家庭成员）' },
                { value: 'internal', label: '内部（只在平台公告栏，供联系人和工作人员）' },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="channelIds"
            label="发布到群"
            extra={
              confidentiality === 'internal'
                ? '内部公告不发到群。'
                : '企业微信群（已配置群机器人）自动推送；QQ群、微信群由群管理员手工张贴。'
            }
          >
            <Checkbox.Group disabled={confidentiality === 'internal'} style={{ width: '100%' }}>
              <Flex vertical gap={6}>
                {active.length === 0 && !channels.isPending && (
                  <Typography.Text type="secondary">
                    本县还没有登记在用的群，可在“渠道管理”登记；公告仍会发布到平台公告栏。
                  </Typography.Text>
                )}
                {active.map((c) => (
                  <Checkbox key={c.id} value={c.id}>
                    {c.name}
                    <Tag style={{ marginInlineStart: 6 }}>{CHANNEL_KIND_LABELS[c.kind]}</Tag>
                    {c.kind === 'wecom_group' && (
                      <Typography.Text type="secondary">{c.hasRobotKey ? '自动推送' : '未设群机器人'}</Typography.Text>
                    )}
                  </Checkbox>
                ))}
              </Flex>
            </Checkbox.Group>
          </Form.Item>
          <Form.Item name="attachments" label="附件">
            {notice ? (
              <Attachments notice={notice} onError={showError} />
            ) : (
              <Typography.Text type="secondary">保存草稿后即可上传附件。</Typography.Text>
            )}
          </Form.Item>
          <Form.Item name="declaredNotClassified" valuePropName="checked">
            <Checkbox>本人确认：公告正文及附件不含涉密内容（不含绝密、机密、秘密文件和信息）</Checkbox>
          </Form.Item>
          <Flex gap={8} wrap>
            <Button onClick={() => void saveDraft()} loading={save.isPending && !step.isPending}>
              保存草稿
            </Button>
            <Button
              type="primary"
              icon={<SendOutlined />}
              onClick={() => void submit()}
              loading={step.isPending}
              disabled={!!notice && !notice.abilities.submit}
            >
              提交审批
            </Button>
            {notice && <LinkButton to={`/notices/${notice.id}`}>查看公告</LinkButton>}
          </Flex>
        </Form>
      </Card>
    </Flex>
  );
}
