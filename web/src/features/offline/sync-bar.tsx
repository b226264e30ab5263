import { Link } from 'react-router';
import { Button, Flex, Typography } from 'antd';
import { CloudSyncOutlined, DisconnectOutlined } from '@ant-design/icons';
import { useCurrentUser } from '../../app/auth-context';
import { OFFLINE_ROLES, syncNow, useSyncState } from '../../offline/sync';
import { applyUpdate } from '../../offline/sw-register';
import { formatSyncTime } from './sync-time';

/**
 * The strip under the header (issue #17): offline or not, how many records wait to be sent (a badge, to
 * 待同步), when the phone last synced, and a new version ready to use (reloads only when asked, so a
 * half-filled form is never lost).
 */
export function SyncBar() {
  const user = useCurrentUser();
  const s = useSyncState();
  const waiting = s.pending + s.refused + s.corrupt;
  const logs = OFFLINE_ROLES.includes(user.role);
  if (!s.updateReady && !logs && waiting === 0 && s.online) return null;
  const offline = !s.online || s.offlineSession;
  return (
    <Flex
      wrap
      align="center"
      gap={8}
      data-testid="sync-bar"
      style={{
        padding: '6px 12px',
        background: offline ? '#fff7e6' : '#f6ffed',
        borderBottom: '1px solid #f0f0f0',
        fontSize: 13,
      }}
    >
      {offline ? (
        <Typography.Text data-testid="offline-flag">
          <DisconnectOutlined /> 离线，记录会保存在本机
        </Typography.Text>
      ) : null}
      {logs && (
        <Typography.Text type="secondary" data-testid="last-sync">
          上次同步：{s.lastSyncAt ? formatSyncTime(s.lastSyncAt) : '尚未同步'}
        </Typography.Text>
      )}
      {waiting > 0 && (
        <Link to="/outbox" data-testid="outbox-link">
          待同步 {/* A plain badge: antd's Badge would add its animated counter to every page's first load. */}
          <span
            data-testid="outbox-badge"
            aria-label={`${waiting} 条`}
            style={{
              display: 'inline-block',
              minWidth: 18,
              padding: '0 6px',
              borderRadius: 9,
              background: '#ff4d4f',
              color: '#fff',
              fontSize: 12,
              lineHeight: '18px',
              textAlign: 'center',
            }}
          >
            {waiting}
          </span>
        </Link>
      )}
      {s.refused > 0 && <Typography.Text type="danger">{s.refused} 条被退回</Typography.Text>}
      {s.needsLogin && <Typography.Text type="warning">登录已过期，请重新登录后发送</Typography.Text>}
      {waiting > 0 && !offline && (
        <Button size="small" icon={<CloudSyncOutlined />} loading={s.syncing} onClick={() => void syncNow()}>
          立即同步
        </Button>
      )}
      {s.updateReady && (
        <Button size="small" type="primary" onClick={applyUpdate} data-testid="update-ready">
          新版本已就绪，点此刷新
        </Button>
      )}
    </Flex>
  );
}
