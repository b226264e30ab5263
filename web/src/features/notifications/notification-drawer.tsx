import { Link } from 'react-router';
import { Alert, Button, Drawer, Empty, Flex, Grid, Skeleton } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useMarkAllRead, useNotifications } from '../../api/notifications';
import { NotificationItem } from './notification-item';

const LATEST = 10;

/** The bell's drawer: its own chunk, loaded the first time the bell is opened. */
export default function NotificationDrawer({
  open,
  count,
  onClose,
}: {
  open: boolean;
  count: number;
  onClose: () => void;
}) {
  const screens = Grid.useBreakpoint();
  const latest = useNotifications({ page: 1, pageSize: LATEST }, open);
  const markAll = useMarkAllRead();
  const close = onClose;
  return (
    <Drawer
      title={count ? `通知 · ${count} 条未读` : '通知'}
      placement="right"
      open={open}
      onClose={close}
      size={screens.sm ? 420 : '100%'}
      styles={{ body: { padding: 0 } }}
      extra={
        <Button size="small" disabled={!count} loading={markAll.isPending} onClick={() => markAll.mutate()}>
          全部标为已读
        </Button>
      }
      footer={
        <Flex justify="space-between">
          <Link to="/notifications" onClick={close}>
            查看全部通知
          </Link>
          <Link to="/notification-settings" onClick={close}>
            <SettingOutlined /> 通知设置
          </Link>
        </Flex>
      }
    >
      {latest.isPending ? (
        <Skeleton active style={{ padding: 16 }} />
      ) : latest.isError ? (
        <Alert type="error" showIcon title={errorMessage(latest.error)} style={{ margin: 12 }} />
      ) : latest.data.data.length === 0 ? (
        <Empty description="暂无通知" style={{ padding: 32 }} />
      ) : (
        <div role="list" aria-label="最新通知">
          {latest.data.data.map((n) => (
            <div role="listitem" key={n.id}>
              <NotificationItem n={n} onOpen={close} />
            </div>
          ))}
        </div>
      )}
    </Drawer>
  );
}
