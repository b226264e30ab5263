import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { idbOutboxStore, readOwner } from '../../offline/offline-db';
// Not the sync engine (sync.ts): the login page only counts what waits.
import { readOutbox } from '../../offline/outbox';

/**
 * On the login page (issue #17): records made on this phone wait for their account. The session ended
 * (offline, or the 30-minute idle timeout), so the owner signs in again — the username is filled in — and the
 * queue is sent; another account signing in clears them, and says so before.
 */
/** `fillUsername` gets the owner's username, to put in an empty username field. */
export function PendingNotice({ fillUsername }: { fillUsername: (username: string) => void }) {
  const [waiting, setWaiting] = useState<{ count: number; name: string; username: string } | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      const owner = await readOwner();
      if (!owner) return;
      const { entries } = await readOutbox(idbOutboxStore).catch(() => ({ entries: [] }));
      const count = entries.filter((e) => e.userId === owner.id).length;
      if (!live || count === 0) return;
      setWaiting({ count, name: owner.displayName, username: owner.username });
      fillUsername(owner.username);
    })();
    return () => {
      live = false;
    };
    // Once, when the page opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!waiting) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="pending-notice"
      style={{ marginBottom: 16 }}
      title={`本机有 ${waiting.count} 条待同步记录`}
      description={`请 ${waiting.name}（${waiting.username}）输入密码登录，登录后自动发送。用其他账户登录会清除这些记录。`}
    />
  );
}
