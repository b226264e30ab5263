import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  PackageAcceptResult,
  PackageImportResult,
  RegionPublicKey,
  RegionPublicKeyRegister,
} from '../../../common/schemas/stat-packages';
import { api, ApiError, buildUrl, type Envelope } from './client';
import { downloadFile, postMultipart } from './imports';

/** The signed, enveloped packages of the returns and the levels' SM2 public keys (docs/crypto-inventory.md). */

export function downloadPackage(returnId: string, fallbackName: string) {
  return downloadFile(`/stat-returns/${encodeURIComponent(returnId)}/package`, fallbackName);
}

/** POST, not a link: the password travels in the body, never in a URL (and so never in a log). */
export async function downloadEncryptedXlsx(returnId: string, password: string, fallbackName: string) {
  const { data } = await api.get<Envelope<{ csrfToken: string }>>('/auth/me');
  let response: Response;
  try {
    response = await fetch(buildUrl(`/stat-returns/${encodeURIComponent(returnId)}/xlsx`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': data.csrfToken },
      credentials: 'same-origin',
      body: JSON.stringify({ password }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string; details?: ApiError['details'] } } | undefined;
    throw new ApiError(
      response.status,
      body?.error?.code ?? 'BAD_RESPONSE',
      body?.error?.message ?? '',
      body?.error?.details ?? [],
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function useImportPackage() {
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return postMultipart<PackageImportResult>('/stat-return-packages', form);
    },
  });
}

/** 作为下级上报接收: the verified package becomes the child's submitted return at this level. */
export function useAcceptPackage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return postMultipart<PackageAcceptResult>('/stat-return-packages/accept', form);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['stat-returns'] }),
  });
}

export function useRegionPublicKey(code: string | undefined) {
  return useQuery({
    queryKey: ['region-public-key', code],
    queryFn: () => api.get<Envelope<RegionPublicKey>>(`/regions/${code}/public-key`).then((r) => r.data),
    enabled: !!code,
    retry: false,
  });
}

export function useRegisterPublicKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: RegionPublicKeyRegister }) =>
      api.put<Envelope<RegionPublicKey>>(`/regions/${code}/public-key`, body).then((r) => r.data),
    onSuccess: (key) => queryClient.invalidateQueries({ queryKey: ['region-public-key', key.regionCode] }),
  });
}
