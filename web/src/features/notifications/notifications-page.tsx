import { Alert, Button, Card, Empty, Flex, Pagination, Segmented, Select, Skeleton, Typography } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { NOTIFICATION_KINDS, NOTIFICATION_KIND_LABELS, type NotificationKind } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useMarkAllRead, useNotifications, useUnreadCount } from '../../api/notifications';
import { usePageTitle } from '../../components/use-page-title';
import { NotificationItem } from './notification-item';

const isKind = (k: string | null): k is NotificationKind =>
  !!k && (NOTIFICATION_KINDS as readonly string[]).includes(k);

/** 通知: every notification of the signed-in user, unread or all, by kind, with the filters in the address bar. */
export default function NotificationsPage() {
  usePageTitle('通知');
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get('filter') !== 'all';
  const kindParam = params.get('kind');
  const kind = isKind(kindParam) ? kindParam : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = 20;
  const list = useNotifications({ unread: unreadOnly, kind, page, pageSize });
  const unread = useUnreadCount();
  const markAll = useMarkAllRead();

  const set = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined) p.delete(k);
      else p.set(k, v);
    }
    if (!('page' in next)) p.delete('page');
    setParams(p, { replace: true });
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          通知
        </Typography.Title>
        <Flex gap={8} wrap>
          <Button disabled={!unread.data} loading={markAll.isPending} onClick={() => markAll.mutate()}>
            全部标为已读
          </Button>
          <Link to="/notification-settings">
            <Button icon={<SettingOutlined />}>通知设置</Button>
          </Link>
        </Flex>
      </Flex>
      <Card size="small">
        <Flex gap={12} wrap align="center">
          <Segmented
            aria-label="已读状态"
            value={unreadOnly ? 'unread' : 'all'}
            options={[
              { value: 'unread', label: `未读${unread.data ? ` ${unread.data}` : ''}` },
              { value: 'all', label: '全部' },
            ]}
            onChange={(v) => set({ filter: v === 'all' ? 'all' : undefined })}
          />
          <Select<NotificationKind>
            aria-label="通知类型"
            allowClear
            placeholder="全部类型"
            value={kind}
            style={{ minWidth: 180, maxWidth: '100%' }}
            options={NOTIFICATION_KINDS.map((k) => ({ value: k, label: NOTIFICATION_KIND_LABELS[k] }))}
            onChange={(v) => set({ kind: v })}
          />
        </Flex>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        {list.isPending ? (
          <Skeleton active style={{ padding: 16 }} />
        ) : list.isError ? (
          <Alert type="error" showIcon title={errorMessage(list.error)} style={{ margin: 12 }} />
        ) : list.data.data.length === 0 ? (
          <Empty description={unreadOnly ? '没有未读通知' : '暂无通知'} style={{ padding: 32 }} />
        ) : (
          <div role="list" aria-label="通知列表">
            {list.data.data.map((n) => (
              <div role="listitem" key={n.id}>
                <NotificationItem n={n} />
              </div>
            ))}
          </div>
        )}
      </Card>
      {list.data && list.data.page.total > pageSize && (
        <Pagination
          align="center"
          size="small"
          current={page}
          pageSize={pageSize}
          total={list.data.page.total}
          showSizeChanger={false}
          onChange={(p) => set({ page: String(p) })}
        />
      )}
    </Flex>
  );
}
