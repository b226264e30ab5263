import { Button, Flex, Tag, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { NOTIFICATION_KIND_LABELS } from '../../../../common/labels';
import { useMarkRead, type Notification } from '../../api/notifications';

/** The kind's colour: urgent alerts red, due work orange, approvals blue, the rest grey. */
const KIND_COLOR: Record<string, string> = {
  event_escalated: 'red',
  petition_alert: 'red',
  need_overdue: 'orange',
  return_due: 'orange',
  return_review: 'blue',
  notice_awaiting_approval: 'blue',
  notice_returned: 'gold',
  notice_published: 'green',
  delivery_failed: 'volcano',
  digest: 'default',
};

/**
 * One notification: its kind, title, text and time; unread ones in bold with a dot. Opening it marks it
 * read and goes to the work it links to; 标为已读 marks it read where it stands.
 */
export function NotificationItem({ n, onOpen }: { n: Notification; onOpen?: () => void }) {
  const markRead = useMarkRead();
  const unread = !n.readAt;
  // The link navigates; this marks the notification read on the way (and closes the drawer).
  const open = () => {
    if (unread) markRead.mutate(n.id);
    onOpen?.();
  };
  return (
    <article
      className="notification-item"
      aria-label={`${unread ? '未读：' : ''}${n.title}`}
      data-unread={unread ? 'true' : 'false'}
      style={{
        padding: '10px 12px',
        borderBottom: '1px solid #f0f0f0',
        background: unread ? '#f6faff' : undefined,
      }}
    >
      <Flex gap={8} align="start" justify="space-between" wrap>
        <Flex vertical gap={2} style={{ minWidth: 0, flex: '1 1 220px' }}>
          <Flex gap={6} align="center" wrap>
            {unread && <span aria-hidden style={{ width: 8, height: 8, borderRadius: 4, background: '#1677ff' }} />}
            <Tag color={n.isUrgent ? 'red' : (KIND_COLOR[n.kind] ?? 'default')} style={{ marginInlineEnd: 0 }}>
              {n.isUrgent ? '紧急 · ' : ''}
              {NOTIFICATION_KIND_LABELS[n.kind]}
            </Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {dayjs(n.createdAt).format('MM-DD HH:mm')}
            </Typography.Text>
          </Flex>
          {n.link ? (
            <Link
              to={n.link}
              onClick={open}
              aria-label={`打开：${n.title}`}
              style={{ color: 'inherit', fontWeight: unread ? 600 : 400, wordBreak: 'break-all' }}
            >
              {n.title}
            </Link>
          ) : (
            <Typography.Text strong={unread} style={{ wordBreak: 'break-all' }}>
              {n.title}
            </Typography.Text>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 13, wordBreak: 'break-all' }}>
            {n.body}
          </Typography.Text>
        </Flex>
        <Flex gap={4} align="center">
          {unread && (
            <Button size="small" type="text" loading={markRead.isPending} onClick={() => markRead.mutate(n.id)}>
              标为已读
            </Button>
          )}
          {n.link && (
            <Link to={n.link} onClick={open} tabIndex={-1} aria-hidden>
              去处理 <RightOutlined />
            </Link>
          )}
        </Flex>
      </Flex>
    </article>
  );
}
