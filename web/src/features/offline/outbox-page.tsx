import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Empty, Flex, Popconfirm, Tag, Typography } from 'antd';
import { usePageTitle } from '../../components/use-page-title';
import { OUTBOX_KIND_LABELS, type CorruptEntry, type OutboxEntry } from '../../offline/outbox';
import { discardEntry, outboxContents, syncNow, useSyncState } from '../../offline/sync';
import { useCurrentUser } from '../../app/auth-context';
import { formatSyncTime } from './sync-time';

/**
 * 待同步 (issue #17): the records this phone keeps until the server has them, in sending order. A record the
 * server refused stays here with its reason in Chinese, to be corrected in the form that made it (the visit
 * form, or the festival care, event, petition risk or need drawer, prefilled) or discarded. A stored value that is not a record (a corrupted entry) is shown and can only be
 * discarded; nothing is dropped without the cadre seeing it.
 */
export default function OutboxPage() {
  usePageTitle('待同步');
  const user = useCurrentUser();
  const sync = useSyncState();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [items, setItems] = useState<{ entries: OutboxEntry[]; corrupt: CorruptEntry[] } | null>(null);

  const load = useCallback(() => {
    void outboxContents()
      .then((c) => setItems({ entries: c.entries.filter((e) => e.userId === user.id), corrupt: c.corrupt }))
      .catch(() => setItems({ entries: [], corrupt: [] }));
  }, [user.id]);
  // Reload whenever the counts move (a record sent, refused, discarded).
  useEffect(load, [load, sync.pending, sync.refused, sync.corrupt, sync.syncing]);

  const discard = async (id: string) => {
    await discardEntry(id);
    message.success('已放弃这条记录');
    load();
  };

  if (!items) return null;
  const empty = items.entries.length === 0 && items.corrupt.length === 0;
  return (
    <div style={{ maxWidth: 640, margin: '0 auto' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          待同步
        </Typography.Title>
        <Button
          type="primary"
          disabled={!sync.online || sync.offlineSession || sync.pending === 0}
          loading={sync.syncing}
          onClick={() => void syncNow()}
        >
          立即同步
        </Button>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        有信号时，这些记录会按登记的先后自动发送，每条只记一次。上次同步：
        {sync.lastSyncAt ? formatSyncTime(sync.lastSyncAt) : '尚未同步'}
      </Typography.Paragraph>
      {sync.needsLogin && <Alert type="warning" showIcon title="登录已过期：重新登录后，这些记录会自动发送" />}
      {empty && <Empty description="没有待同步的记录" />}
      <Flex vertical gap={8}>
        {items.entries.map((e) => (
          <Card key={e.id} size="small" data-testid="outbox-entry">
            <Flex justify="space-between" gap={8} wrap>
              <Typography.Text strong>{OUTBOX_KIND_LABELS[e.kind]}</Typography.Text>
              {e.status === 'refused' ? <Tag color="red">被退回</Tag> : <Tag color="blue">待发送</Tag>}
            </Flex>
            <div>{e.summary}</div>
            <Typography.Text type="secondary">登记于 {formatSyncTime(e.createdAt)}</Typography.Text>
            {e.status === 'refused' && e.error && (
              <Alert
                type="error"
                showIcon
                title={e.error.message}
                style={{ marginTop: 8 }}
                data-testid="outbox-reason"
              />
            )}
            {e.status === 'refused' && (
              <Flex gap={8} style={{ marginTop: 8 }}>
                {/* Every kind opens the form that made it, prefilled (features/offline/correction.tsx). */}
                <Button size="small" onClick={() => void navigate(`/visits/${e.familyId}?fix=${e.id}`)}>
                  修改后重发
                </Button>
                <Popconfirm title="放弃后这条记录不会再发送，确定？" onConfirm={() => discard(e.id)}>
                  <Button size="small" danger>
                    放弃
                  </Button>
                </Popconfirm>
              </Flex>
            )}
          </Card>
        ))}
        {items.corrupt.map((c) => (
          <Card key={c.id} size="small" data-testid="outbox-corrupt">
            <Alert
              type="error"
              showIcon
              title="这条记录在本机已损坏，无法发送"
              description="请核对后重新登记，再放弃这条。"
            />
            <Popconfirm title="放弃这条损坏的记录？" onConfirm={() => discard(c.id)}>
              <Button size="small" danger style={{ marginTop: 8 }}>
                放弃
              </Button>
            </Popconfirm>
          </Card>
        ))}
      </Flex>
    </div>
  );
}
