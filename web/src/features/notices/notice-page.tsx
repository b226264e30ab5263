import { useState } from 'react';
import { useParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  List,
  Modal,
  Progress,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  message,
} from 'antd';
import type { TableColumnsType } from 'antd';
import {
  CheckOutlined,
  CopyOutlined,
  EditOutlined,
  PaperClipOutlined,
  PrinterOutlined,
  RollbackOutlined,
  SendOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { ROLE_LABELS, type Role } from '../../../../common/roles';
import { CHANNEL_KIND_LABELS, type ChannelKind } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useChannels } from '../../api/channels';
import {
  downloadAttachment,
  useMarkNoticeRead,
  useMarkPosted,
  useNotice,
  useNoticeDeliveries,
  useNoticeReads,
  useNoticeStep,
  type Notice,
  type NoticeDelivery,
} from '../../api/notices';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { PageSpin } from '../../components/page-spin';
import { ReasonModal } from '../../components/reason-modal';
import { usePageTitle } from '../../components/use-page-title';
import { Markdown } from './markdown';
import {
  CONFIDENTIALITY_LABELS,
  DeliveryStatusTag,
  formatSize,
  formatTime,
  isReturned,
  NoticeStatusTag,
} from './notice-labels';

type ReasonStep = 'return' | 'withdraw';

function NoticeReasonModal({
  notice,
  step: kind,
  onClose,
}: {
  notice: Notice;
  step: ReasonStep | null;
  onClose: () => void;
}) {
  const step = useNoticeStep(notice.id);
  return (
    <ReasonModal
      open={kind !== null}
      title={kind === 'return' ? '退回公告' : '撤回公告'}
      okText={kind === 'return' ? '退回' : '撤回'}
      danger
      description={
        kind === 'return'
          ? '公告回到草稿，原因将显示给起草人。'
          : '撤回后公告栏不再显示；尚未发出的推送不再发送。已贴到群里的内容请群管理员在群内说明。'
      }
      maxLength={500}
      placeholder={kind === 'return' ? '退回原因' : '撤回原因'}
      loading={step.isPending}
      onSubmit={async (reason) => {
        if (!kind) return;
        await step.mutateAsync({ step: kind, body: { version: notice.version, reason: reason.trim() } });
        void message.success(kind === 'return' ? '已退回起草人' : '已撤回');
        onClose();
      }}
      onClose={onClose}
    />
  );
}

/** The county leader's view of a notice waiting for approval: what will go where, then approve or return. */
function ApprovalCard({ notice, onReturn }: { notice: Notice; onReturn: () => void }) {
  const step = useNoticeStep(notice.id);
  const channels = useChannels(notice.regionCode);
  const targets = (channels.data ?? []).filter((c) => notice.channelIds.includes(c.id));
  const approve = () =>
    Modal.confirm({
      title: '审批通过并发布？',
      content: '通过后公告立即发布到本县公告栏，并推送到所选的企业微信群；QQ群、微信群由群管理员张贴。',
      okText: '审批通过',
      cancelText: '取消',
      onOk: async () => {
        try {
          await step.mutateAsync({ step: 'approve', body: { version: notice.version } });
          void message.success('已审批通过并发布');
        } catch (err) {
          void message.error(errorMessage(err));
        }
      },
    });
  return (
    <Card title="县级领导审批" data-testid="approval-card" styles={{ header: { background: '#e6f4ff' } }}>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'author', label: '起草人', children: notice.authorName },
          { key: 'submitted', label: '提交时间', children: formatTime(notice.submittedAt) },
          { key: 'conf', label: '公开范围', children: CONFIDENTIALITY_LABELS[notice.confidentiality] },
          {
            key: 'targets',
            label: '发布渠道',
            children: (
              <Flex vertical gap={2}>
                <span>本县公告栏（联系人和工作人员）</span>
                {targets.map((c) => (
                  <span key={c.id}>
                    {c.name}
                    <Tag style={{ marginInlineStart: 6 }}>{CHANNEL_KIND_LABELS[c.kind]}</Tag>
                    {c.kind === 'wecom_group' && c.hasRobotKey ? '自动推送' : '群管理员张贴'}
                  </span>
                ))}
              </Flex>
            ),
          },
          { key: 'files', label: '附件', children: `${notice.attachments.length} 个` },
          { key: 'declared', label: '保密声明', children: '起草人已声明不含涉密内容；平台已检查密级标志' },
        ]}
      />
      <Flex gap={8} wrap style={{ marginTop: 12 }}>
        <Button type="primary" icon={<CheckOutlined />} onClick={approve} loading={step.isPending}>
          审批通过
        </Button>
        <Button danger icon={<RollbackOutlined />} onClick={onReturn}>
          退回修改
        </Button>
      </Flex>
    </Card>
  );
}

/** The clipboard exists only in a secure context (https or localhost): elsewhere the text is shown to copy by hand. */
function copy(text: string, showText: () => void) {
  const byHand = () => {
    showText();
    void message.warning('无法自动复制，请在下方张贴文本中手工选择复制');
  };
  if (!navigator.clipboard?.writeText) return byHand();
  navigator.clipboard.writeText(text).then(() => void message.success('已复制，可粘贴到群里'), byHand);
}

/** Per group: pushed by the WeCom robot, or pasted by a QQ / WeChat group's administrator (who, when). */
function DeliveriesCard({ notice }: { notice: Notice }) {
  const user = useCurrentUser();
  const deliveries = useNoticeDeliveries(notice.id, true);
  const posted = useMarkPosted(notice.id);
  const canMark = user.abilities.includes('notice.write') && notice.status === 'published';
  const [open, setOpen] = useState<string | null>(null);
  const list = deliveries.data ?? [];
  const markPosted = (d: NoticeDelivery) =>
    Modal.confirm({
      title: `确认已贴到“${d.channelName}”？`,
      content: '将记录张贴人（您）和时间。',
      okText: '标记已发布',
      cancelText: '取消',
      onOk: () =>
        posted
          .mutateAsync(d.channelId)
          .then(() => void message.success('已标记'))
          .catch((err: unknown) => void message.error(errorMessage(err))),
    });
  return (
    <Card title="各群发布情况" size="small" data-testid="deliveries">
      {deliveries.isError && <Alert type="error" showIcon title={errorMessage(deliveries.error)} />}
      {!deliveries.isPending && list.length === 0 && (
        <Typography.Text type="secondary">只发布在平台公告栏，没有发到群。</Typography.Text>
      )}
      <List
        dataSource={list}
        renderItem={(d) => (
          <List.Item data-testid={`delivery-${d.channelId}`} style={{ display: 'block' }}>
            <Flex justify="space-between" wrap gap={8} align="start">
              <Space size={6} wrap>
                <Typography.Text strong>{d.channelName}</Typography.Text>
                <Tag>{CHANNEL_KIND_LABELS[d.kind as ChannelKind] ?? d.kind}</Tag>
                <span data-testid="delivery-status">
                  <DeliveryStatusTag delivery={d} />
                </span>
              </Space>
              {d.mode === 'manual' && (
                <Space size={4} wrap>
                  <Button
                    size="small"
                    icon={<CopyOutlined />}
                    onClick={() => copy(d.pasteText ?? '', () => setOpen(d.channelId))}
                  >
                    复制文本
                  </Button>
                  <LinkButton
                    size="small"
                    icon={<PrinterOutlined />}
                    to={`/notices/${notice.id}/sheet?channel=${encodeURIComponent(d.channelId)}`}
                  >
                    张贴单
                  </LinkButton>
                  {canMark && d.status !== 'sent' && (
                    <Button size="small" type="primary" onClick={() => markPosted(d)} loading={posted.isPending}>
                      标记已发布
                    </Button>
                  )}
                </Space>
              )}
            </Flex>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
              {d.mode === 'robot'
                ? `企业微信群机器人推送 · 尝试 ${d.attempts} 次 · 更新于 ${formatTime(d.updatedAt)}`
                : d.postedByName
                  ? `${d.postedByName} 于 ${formatTime(d.postedAt)} 贴到群里`
                  : '没有推送接口：请复制文本或打印张贴单，贴到群里后标记已发布'}
            </Typography.Paragraph>
            {d.lastError && (
              <Typography.Paragraph type={d.status === 'failed' ? 'danger' : 'warning'} style={{ margin: 0 }}>
                {d.status === 'failed' ? '失败原因：' : '上次出错：'}
                {d.lastError}
              </Typography.Paragraph>
            )}
            {d.mode === 'manual' && d.pasteText && (
              <>
                <Typography.Link onClick={() => setOpen(open === d.channelId ? null : d.channelId)}>
                  {open === d.channelId ? '收起张贴文本' : '查看张贴文本'}
                </Typography.Link>
                {open === d.channelId && (
                  <Input.TextArea
                    readOnly
                    aria-label={`${d.channelName}张贴文本`}
                    value={d.pasteText}
                    autoSize={{ minRows: 4, maxRows: 14 }}
                    style={{ marginTop: 6 }}
                  />
                )}
              </>
            )}
          </List.Item>
        )}
      />
    </Card>
  );
}

function ReadsCard({ notice }: { notice: Notice }) {
  const reads = useNoticeReads(notice.id, true);
  const columns: TableColumnsType<NonNullable<typeof reads.data>['readers'][number]> = [
    { title: '姓名', dataIndex: 'displayName', key: 'name' },
    { title: '角色', key: 'role', render: (_, r) => ROLE_LABELS[r.role as Role] ?? r.role },
    { title: '所属区划', dataIndex: 'regionName', key: 'region' },
    {
      title: '阅读时间',
      key: 'readAt',
      render: (_, r) => (r.readAt ? formatTime(r.readAt) : <Typography.Text type="secondary">未读</Typography.Text>),
    },
  ];
  const data = reads.data;
  return (
    <Card title="阅读情况" size="small" data-testid="reads">
      {reads.isError && <Alert type="error" showIcon title={errorMessage(reads.error)} />}
      {data && (
        <Flex align="center" gap={12} wrap style={{ marginBottom: 8 }}>
          <Progress type="circle" size={48} percent={data.total ? Math.round((data.read / data.total) * 100) : 0} />
          <span>
            已读 {data.read} 人，共 {data.total} 人（本县联系人和工作人员）
          </span>
        </Flex>
      )}
      <Table
        rowKey="userId"
        size="small"
        loading={reads.isPending}
        columns={columns}
        dataSource={[...(data?.readers ?? [])].sort((a, b) => (b.readAt ?? '').localeCompare(a.readAt ?? ''))}
        pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
        scroll={{ x: 480 }}
      />
    </Card>
  );
}

/** Draft → approval → deliveries: the notice's steps, and each robot push once it was sent or failed. */
function HistoryCard({ notice }: { notice: Notice }) {
  const published = notice.status === 'published' || notice.status === 'withdrawn';
  const deliveries = useNoticeDeliveries(notice.id, published);
  const pushes = (deliveries.data ?? [])
    .filter((d) => d.mode === 'robot' && d.status !== 'pending')
    .map((d) => ({
      at: d.updatedAt,
      text: `${d.channelName} 群机器人推送${d.status === 'sent' ? '已送达' : `失败：${d.lastError ?? ''}`}`,
      color: d.status === 'sent' ? 'green' : 'red',
    }));
  const steps = notice.history.map((h) => ({
    at: h.at,
    text: `${h.actorName} ${h.action}${h.reason ? `：${h.reason}` : ''}`,
    color: h.action === '退回修改' || h.action === '撤回' ? 'orange' : 'blue',
  }));
  const items = [...steps, ...pushes].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Card size="small" title="公告记录" data-testid="history">
      <Timeline
        items={items.map((h, i) => ({
          key: i,
          color: h.color,
          content: (
            <span>
              {formatTime(h.at)} {h.text}
            </span>
          ),
        }))}
      />
    </Card>
  );
}

/**
 * One notice: its text and files, the steps the signed-in user may take (edit, submit; the county leader's
 * approve or return; withdraw), each group's delivery, who has read it, and its history from draft to
 * deliveries. A contact or a township cadre sees what was published and marks it read.
 */
export default function NoticePage() {
  const { id = '' } = useParams();
  const user = useCurrentUser();
  const query = useNotice(id);
  const step = useNoticeStep(id);
  const read = useMarkNoticeRead(id);
  const [reason, setReason] = useState<ReasonStep | null>(null);
  usePageTitle(query.data?.title ?? '公告');
  if (query.isPending) return <PageSpin />;
  if (query.isError) return <Alert type="error" showIcon title={errorMessage(query.error)} />;
  const n = query.data;
  const manages = user.abilities.includes('notice.read');
  const isLeader = user.abilities.includes('notice.approve');
  const submitNow = async () => {
    try {
      await step.mutateAsync({ step: 'submit', body: { version: n.version } });
      void message.success('已提交县级领导审批');
    } catch (err) {
      void message.error(errorMessage(err));
    }
  };

  return (
    <Flex vertical gap={16} data-testid="notice-page">
      <Flex justify="space-between" align="start" wrap gap={8}>
        <Flex vertical gap={4}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {n.title}
          </Typography.Title>
          <Space size={6} wrap>
            <span data-testid="notice-status">
              <NoticeStatusTag notice={n} />
            </span>
            <Tag>{CONFIDENTIALITY_LABELS[n.confidentiality]}</Tag>
            <Typography.Text type="secondary">
              {n.regionName} · {n.publishedAt ? `发布于 ${formatTime(n.publishedAt)}` : `起草人 ${n.authorName}`}
            </Typography.Text>
          </Space>
        </Flex>
        <Space wrap data-testid="notice-actions">
          {n.abilities.edit && (
            <LinkButton icon={<EditOutlined />} to={`/notices/${n.id}/edit`}>
              修改
            </LinkButton>
          )}
          {n.abilities.submit && (
            <Button type="primary" icon={<SendOutlined />} onClick={() => void submitNow()} loading={step.isPending}>
              提交审批
            </Button>
          )}
          {n.abilities.withdraw && (
            <Button danger icon={<StopOutlined />} onClick={() => setReason('withdraw')}>
              撤回
            </Button>
          )}
          {!manages && n.status === 'published' && (
            <Button
              type={n.isRead ? 'default' : 'primary'}
              icon={<CheckOutlined />}
              disabled={n.isRead}
              loading={read.isPending}
              onClick={() => read.mutate(undefined, { onError: (err) => void message.error(errorMessage(err)) })}
            >
              {n.isRead ? '已阅读' : '我已阅读'}
            </Button>
          )}
        </Space>
      </Flex>
      {isReturned(n) && (
        <Alert type="warning" showIcon title={`县级领导退回：${n.statusReason}`} data-testid="return-reason" />
      )}
      {n.status === 'withdrawn' && (
        <Alert type="info" showIcon title={`已于 ${formatTime(n.withdrawnAt)} 撤回：${n.statusReason ?? ''}`} />
      )}
      {n.status === 'submitted' && isLeader && !n.abilities.approve && (
        <Alert type="info" showIcon title="这是您起草的公告：须由本县其他县级领导审批，不能审批自己起草的公告。" />
      )}
      {n.status === 'submitted' && !isLeader && manages && (
        <Alert type="info" showIcon title="已提交，等待县级领导审批。" />
      )}
      {n.abilities.approve && <ApprovalCard notice={n} onReturn={() => setReason('return')} />}
      <Card size="small" title="正文">
        <Markdown source={n.body} />
        {n.attachments.length > 0 && (
          <Flex vertical gap={4} style={{ marginTop: 12 }}>
            <Typography.Text strong>附件</Typography.Text>
            {n.attachments.map((a) => (
              <Typography.Link
                key={a.id}
                onClick={() =>
                  void downloadAttachment(n.id, a.id, a.fileName).catch((err: unknown) =>
                    message.error(errorMessage(err)),
                  )
                }
              >
                <PaperClipOutlined /> {a.fileName}（{formatSize(a.size)}）
              </Typography.Link>
            ))}
          </Flex>
        )}
      </Card>
      {manages && (n.status === 'published' || n.status === 'withdrawn') && <DeliveriesCard notice={n} />}
      {manages && (n.status === 'published' || n.status === 'withdrawn') && <ReadsCard notice={n} />}
      {manages && <HistoryCard notice={n} />}
      <NoticeReasonModal notice={n} step={reason} onClose={() => setReason(null)} />
    </Flex>
  );
}
