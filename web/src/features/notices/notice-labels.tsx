import { Tag } from 'antd';
import dayjs from 'dayjs';
import type { FormInstance } from 'antd';
import {
  CONFIDENTIALITY_LABELS,
  DELIVERY_STATUS_LABELS,
  NOTICE_STATUS_LABELS,
  type NoticeStatus,
} from '../../../../common/labels';
import { ApiError, errorMessage } from '../../api/client';
import type { NoticeDelivery, NoticeListItem } from '../../api/notices';

export { CONFIDENTIALITY_LABELS, DELIVERY_STATUS_LABELS, NOTICE_STATUS_LABELS };

/** The list's tabs: a returned notice is a draft carrying the leader's reason. */
export const STATUS_TABS = [
  { key: '', label: '全部' },
  { key: 'draft', label: '草稿' },
  { key: 'submitted', label: '待审批' },
  { key: 'published', label: '已发布' },
  { key: 'returned', label: '已退回' },
  { key: 'withdrawn', label: '已撤回' },
] as const;

const STATUS_COLORS: Record<NoticeStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'cyan',
  published: 'success',
  withdrawn: 'default',
};

export const isReturned = (n: Pick<NoticeListItem, 'status' | 'statusReason'>) =>
  n.status === 'draft' && !!n.statusReason;

export function NoticeStatusTag({ notice }: { notice: Pick<NoticeListItem, 'status' | 'statusReason'> }) {
  if (isReturned(notice)) return <Tag color="warning">已退回</Tag>;
  return <Tag color={STATUS_COLORS[notice.status]}>{NOTICE_STATUS_LABELS[notice.status]}</Tag>;
}

export function DeliveryStatusTag({ delivery }: { delivery: Pick<NoticeDelivery, 'status' | 'mode'> }) {
  const color = delivery.status === 'sent' ? 'success' : delivery.status === 'failed' ? 'error' : 'processing';
  const label =
    delivery.mode === 'manual' && delivery.status === 'sent'
      ? '已张贴'
      : delivery.mode === 'manual' && delivery.status === 'pending'
        ? '待群管理员张贴'
        : DELIVERY_STATUS_LABELS[delivery.status];
  return <Tag color={color}>{label}</Tag>;
}

export const formatTime = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
export const formatDate = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD') : '—');

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Puts the server's `details[].path` messages on the form's fields, nested paths included
 * (`admins.0.userId` → the first administrator's account, `channelIds.1` → the channels).
 * `fields` maps a path's first segment to the form's field name; returns what could not be placed.
 */
export function placeServerErrors(
  form: FormInstance,
  err: unknown,
  fields: Record<string, 'nested' | string>,
): string | null {
  if (!(err instanceof ApiError) || err.details.length === 0) return errorMessage(err);
  const placed = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const unplaced: string[] = [];
  for (const d of err.details) {
    const [head, ...rest] = d.path.split('.');
    const target = fields[head];
    if (!target) {
      unplaced.push(d.message);
      continue;
    }
    const name: (string | number)[] =
      target === 'nested' ? [head, ...rest.map((p) => (/^\d+$/.test(p) ? Number(p) : p))] : [target];
    const key = JSON.stringify(name);
    placed.set(key, { name, errors: [...(placed.get(key)?.errors ?? []), d.message] });
  }
  form.setFields([...placed.values()]);
  if (unplaced.length) return unplaced.join('；');
  return placed.size ? null : errorMessage(err);
}
