import { useMutation, useQuery } from '@tanstack/react-query';
import type { ImportJob, ImportMode, ImportRowError } from '../../../common/schemas/family-imports';
import { api, ApiError, buildUrl, type Envelope, type QueryValue } from './client';

/** Family import jobs (docs/imports.md) and spreadsheet downloads (template, error list, masked export). */

export type { ImportJob, ImportMode };
export type RowError = ImportRowError;

export const IMPORT_TEMPLATE_PATH = '/family-imports/template.xlsx';
export const FAMILY_EXPORT_PATH = '/families/export.xlsx';
export const importErrorsPath = (id: string) => `/family-imports/${encodeURIComponent(id)}/errors.xlsx`;

export const importKeys = {
  job: (id: string) => ['family-imports', id] as const,
};

const POLL_MS = 1000;

export function isFinished(job: ImportJob | undefined): boolean {
  return job?.status === 'done' || job?.status === 'failed';
}

/** The job, asked again every second until it is done or failed. */
export function useImportJob(id: string | undefined) {
  return useQuery({
    queryKey: importKeys.job(id ?? ''),
    queryFn: ({ signal }) =>
      api.get<Envelope<ImportJob>>(`/family-imports/${encodeURIComponent(id!)}`, undefined, signal).then((r) => r.data),
    enabled: !!id,
    staleTime: 0,
    refetchInterval: (query) => (isFinished(query.state.data) ? false : POLL_MS),
  });
}

/**
 * The one multipart request of the app. client.ts speaks JSON only, so this one sends the same CSRF token
 * itself: the session's token, which `/auth/me` hands out (it is fixed for the session).
 */
export async function postMultipart<T>(path: string, form: FormData): Promise<T> {
  const { data } = await api.get<Envelope<{ csrfToken: string }>>('/auth/me');
  let response: Response;
  try {
    response = await fetch(buildUrl(path), {
      method: 'POST',
      headers: { Accept: 'application/json', 'X-CSRF-Token': data.csrfToken },
      credentials: 'same-origin',
      body: form,
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
  }
  const body = (await response.json().catch(() => undefined)) as
    | { data?: T; error?: { code?: string; message?: string; details?: ApiError['details']; requestId?: string } }
    | undefined;
  if (!response.ok) {
    const error = body?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'BAD_RESPONSE',
      error?.message ?? `服务器暂时无法处理请求（${response.status}），请稍后再试`,
      error?.details ?? [],
      error?.requestId,
    );
  }
  return body?.data as T;
}

export function useStartImport() {
  return useMutation({
    mutationFn: ({ file, mode }: { file: File; mode: ImportMode }) => {
      const form = new FormData();
      form.append('mode', mode);
      form.append('file', file, file.name);
      return postMultipart<ImportJob>('/family-imports', form);
    },
  });
}

/**
 * Downloads a spreadsheet the server builds (with the session cookie) and hands it to the browser as a file.
 * Fetched rather than linked so a refusal shows as a message instead of a page of JSON.
 */
export async function downloadFile(path: string, fallbackName: string, query?: Record<string, QueryValue>) {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string } } | undefined;
    throw new ApiError(response.status, body?.error?.code ?? 'BAD_RESPONSE', body?.error?.message ?? '');
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('Content-Disposition')) ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `attachment; filename="x.xlsx"; filename*=UTF-8''%E7%89%B9…` → the UTF-8 name when there is one. */
function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      return undefined;
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1];
}
