import { lazy, Suspense, useState } from 'react';
import { Badge, Button } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useUnreadCount } from '../../api/notifications';

// The drawer (list, items, empty and error states) is loaded on the first open: the bell in every page's
// header costs only the badge and the count.
const NotificationDrawer = lazy(() => import('./notification-drawer'));

/**
 * The bell in the header (R10): the unread count, and a drawer with the latest notifications — each
 * opens the work it links to and is marked read — 全部标为已读, the full 通知 page and 通知设置.
 */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const unread = useUnreadCount();
  const count = unread.data ?? 0;

  return (
    <>
      <Badge count={count} size="small" overflowCount={99} offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined style={{ fontSize: 18 }} />}
          aria-label={count ? `通知（${count} 条未读）` : '通知'}
          onClick={() => {
            setLoaded(true);
            setOpen(true);
          }}
        />
      </Badge>
      {loaded && (
        <Suspense fallback={null}>
          <NotificationDrawer open={open} count={count} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
