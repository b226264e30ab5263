import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Notice,
  NoticeCreate,
  NoticeDelivery,
  NoticeListItem,
  NoticeReads,
  NoticeUpdate,
} from '../../../common/schemas/notices';
import type { NoticeStatus } from '../../../common/labels';
import { api, type Envelope, type ListEnvelope } from './client';
import { downloadFile, postMultipart } from './imports';

export type { Notice, NoticeCreate, NoticeDelivery, NoticeListItem, NoticeReads, NoticeUpdate };

/** The list's status filter: the notice's statuses, and 已退回 (a draft the leader sent back). */
export type NoticeFilterStatus = NoticeStatus | 'returned';

const enc = encodeURIComponent;

export const noticeKeys = {
  all: ['notices'] as const,
  list: (f: Record<string, string | number | undefined>) => ['notices', 'list', f] as const,
  board: (page: number) => ['notices', 'board', page] as const,
  one: (id: string) => ['notices', 'one', id] as const,
  deliveries: (id: string) => ['notices', 'deliveries', id] as const,
  reads: (id: string) => ['notices', 'reads', id] as const,
};

export function useNotices(f: {
  regionCode?: string;
  status?: NoticeFilterStatus;
  q?: string;
  page: number;
  pageSize: number;
}) {
  return useQuery({
    queryKey: noticeKeys.list(f),
    queryFn: ({ signal }) => api.get<ListEnvelope<NoticeListItem>>('/notices', f, signal),
  });
}

/** The county's published notices, for its contacts and staff. */
export function useNoticeBoard(page: number) {
  return useQuery({
    queryKey: noticeKeys.board(page),
    queryFn: ({ signal }) => api.get<ListEnvelope<NoticeListItem>>('/notice-board', { page, pageSize: 20 }, signal),
  });
}

export function useNotice(id: string | undefined) {
  return useQuery({
    queryKey: noticeKeys.one(id ?? ''),
    queryFn: async ({ signal }) => (await api.get<Envelope<Notice>>(`/notices/${enc(id!)}`, undefined, signal)).data,
    enabled: !!id,
  });
}

/**
 * Per-channel delivery. While a robot message is still pending the page asks again every few seconds:
 * the scheduler's outbox job sends it after the approval committed.
 */
export function useNoticeDeliveries(id: string, enabled: boolean) {
  return useQuery({
    queryKey: noticeKeys.deliveries(id),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<NoticeDelivery[]>>(`/notices/${enc(id)}/deliveries`, undefined, signal)).data,
    enabled,
    refetchInterval: (q) => (q.state.data?.some((d) => d.mode === 'robot' && d.status === 'pending') ? 3_000 : false),
  });
}

export function useNoticeReads(id: string, enabled: boolean) {
  return useQuery({
    queryKey: noticeKeys.reads(id),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<NoticeReads>>(`/notices/${enc(id)}/reads`, undefined, signal)).data,
    enabled,
  });
}

function useSettle() {
  const queryClient = useQueryClient();
  return (notice: Notice) => {
    // The answer is the new state: its version is what the next step must carry.
    queryClient.setQueryData(noticeKeys.one(notice.id), notice);
    void queryClient.invalidateQueries({ queryKey: ['notices', 'list'] });
    void queryClient.invalidateQueries({ queryKey: ['notices', 'board'] });
    void queryClient.invalidateQueries({ queryKey: noticeKeys.deliveries(notice.id) });
    void queryClient.invalidateQueries({ queryKey: ['notifications'] });
  };
}

export function useSaveNotice() {
  const settle = useSettle();
  return useMutation({
    mutationFn: async (input: { id?: undefined; body: NoticeCreate } | { id: string; body: NoticeUpdate }) =>
      input.id
        ? (await api.patch<Envelope<Notice>>(`/notices/${enc(input.id)}`, input.body)).data
        : (await api.post<Envelope<Notice>>('/notices', input.body)).data,
    onSuccess: settle,
  });
}

export type NoticeStepInput =
  | { step: 'submit' | 'approve'; body: { version: number } }
  | { step: 'return' | 'withdraw'; body: { version: number; reason: string } };

/** A step of the approval chain; a stale version answers 409 VERSION_CONFLICT, a wrong state INVALID_STATE. */
export function useNoticeStep(id?: string) {
  const settle = useSettle();
  return useMutation({
    // `noticeId`: a notice saved a moment ago, before the page knew its id (the editor's 提交审批).
    mutationFn: async ({ step, body, noticeId }: NoticeStepInput & { noticeId?: string }) =>
      (await api.post<Envelope<Notice>>(`/notices/${enc(noticeId ?? id ?? '')}/${step}`, body)).data,
    onSuccess: settle,
  });
}

export function useMarkNoticeRead(id: string) {
  const settle = useSettle();
  return useMutation({
    mutationFn: async () => (await api.post<Envelope<Notice>>(`/notices/${enc(id)}/read`)).data,
    onSuccess: settle,
  });
}

export function useUploadAttachment(id: string) {
  const settle = useSettle();
  return useMutation({
    mutationFn: async ({ file, version }: { file: File; version: number }) => {
      const form = new FormData();
      form.append('version', String(version));
      form.append('file', file, file.name);
      return postMultipart<Notice>(`/notices/${enc(id)}/attachments`, form);
    },
    onSuccess: settle,
  });
}

export function useRemoveAttachment(id: string) {
  const settle = useSettle();
  return useMutation({
    mutationFn: async ({ attachmentId, version }: { attachmentId: string; version: number }) =>
      (await api.delete<Envelope<Notice>>(`/notices/${enc(id)}/attachments/${enc(attachmentId)}?version=${version}`))
        .data,
    onSuccess: settle,
  });
}

export const downloadAttachment = (noticeId: string, attachmentId: string, fileName: string) =>
  downloadFile(`/notices/${enc(noticeId)}/attachments/${enc(attachmentId)}`, fileName);

/** A QQ / WeChat group's administrator pasted the notice into the group. */
export function useMarkPosted(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (channelId: string) =>
      (await api.post<Envelope<NoticeDelivery[]>>(`/notices/${enc(id)}/deliveries/${enc(channelId)}/posted`)).data,
    onSuccess: (deliveries) => {
      queryClient.setQueryData(noticeKeys.deliveries(id), deliveries);
      void queryClient.invalidateQueries({ queryKey: noticeKeys.one(id) });
    },
  });
}
