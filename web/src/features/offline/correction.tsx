import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App } from 'antd';
import type { OutboxEntry, OutboxKind } from '../../offline/outbox';
import { QUEUED_MESSAGE, replaceEntry } from '../../offline/sync';

/**
 * Correcting a refused queued record (issue #17), one way for all five kinds: 待同步 opens the form that made
 * the record (`/visits/<family>?fix=<id>`: the visit form, or the drawer of the festival care, event, petition
 * risk or need), prefilled from the queued body, with the server's reason above it. Saving puts the record
 * back in line in its place — under a new Idempotency-Key if the body changed, its own if not
 * (`correctedEntry` in offline/outbox.ts) — and returns to 待同步.
 */
export function useCorrection(fixing: OutboxEntry | undefined) {
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  return {
    saving,
    /** Correcting: the body goes back to the queue and this answers true; otherwise false (send as usual). */
    resend(body: object, summary: string): boolean {
      if (!fixing) return false;
      setSaving(true);
      replaceEntry(fixing, { ...body }, summary).then(
        () => {
          message.info(QUEUED_MESSAGE, 4);
          void navigate('/outbox');
        },
        () => {
          setSaving(false);
          message.error('本机保存失败，请重试');
        },
      );
      return true;
    },
  };
}

/** The server's reason, in Chinese, above the form being corrected. */
export function RefusedNotice({ entry }: { entry: OutboxEntry | undefined }) {
  if (!entry) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="fix-reason"
      title={`服务器退回了这条待同步记录：${entry.error?.message ?? '原因未知'}`}
      description="改正后保存，记录回到待同步队列，按原来的先后发送。"
      style={{ marginBottom: 12 }}
    />
  );
}

/** The entry being corrected, if it is of this kind. */
export function fixingOf(entry: OutboxEntry | undefined, kind: OutboxKind): OutboxEntry | undefined {
  return entry?.kind === kind ? entry : undefined;
}

/** A queued body's field, if it is a string (prefilling a form from what was queued). */
export function bodyText(body: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = body?.[key];
  return typeof v === 'string' ? v : undefined;
}
