import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Notification,
  NotificationKind,
  NotificationListFilters,
  NotificationPrefs,
  NotificationPrefsUpdate,
  ReadAllResult,
  UnreadCount,
} from '../../../common/schemas/notifications';
import { api, type Envelope, type ListEnvelope } from './client';

export type { Notification, NotificationKind, NotificationPrefs, NotificationPrefsUpdate };

/** Everything of the bell lives under this key: a write anywhere that rings (notices) invalidates it. */
export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread-count'] as const,
  list: (f: NotificationFilters) => ['notifications', 'list', f] as const,
  prefs: ['notifications', 'prefs'] as const,
};

/** The bell's filters (`unread` a boolean, sent as 'true') with the page. */
export type NotificationFilters = NotificationListFilters & { page: number; pageSize: number };

/** The bell's count, looked at again every 30 s and when the window gets focus. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<UnreadCount>>('/notifications/unread-count', undefined, signal)).data.unread,
    refetchInterval: 30_000,
  });
}

export function useNotifications(f: NotificationFilters, enabled = true) {
  return useQuery({
    queryKey: notificationKeys.list(f),
    queryFn: ({ signal }) =>
      api.get<ListEnvelope<Notification>>(
        '/notifications',
        { unread: f.unread ? 'true' : undefined, kind: f.kind, page: f.page, pageSize: f.pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => (await api.post<Envelope<Notification>>(`/notifications/${id}/read`)).data,
    onSuccess: () => void qc.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => (await api.post<Envelope<ReadAllResult>>('/notifications/read-all')).data.updated,
    onSuccess: () => void qc.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useNotificationPrefs() {
  return useQuery({
    queryKey: notificationKeys.prefs,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<NotificationPrefs>>('/notification-preferences', undefined, signal)).data,
  });
}

export function useUpdateNotificationPrefs() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: NotificationPrefsUpdate) =>
      (await api.put<Envelope<NotificationPrefs>>('/notification-preferences', body)).data,
    onSuccess: (prefs) => qc.setQueryData(notificationKeys.prefs, prefs),
  });
}
