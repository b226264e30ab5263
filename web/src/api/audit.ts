import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { AuditEventView, AuditQuery, AuditVerification } from '../../../common/schemas/audit';
import { api, buildUrl, type Envelope, type ListEnvelope } from './client';

export type AuditEvent = AuditEventView;
export type { AuditVerification };

/** The list's filters (`from`/`to`: ISO-8601 instants) and page. */
export type AuditFilters = AuditQuery & { page: number; pageSize: number };

export function useAuditEvents(filters: AuditFilters) {
  return useQuery({
    queryKey: ['audit-events', filters],
    queryFn: ({ signal }) => api.get<ListEnvelope<AuditEvent>>('/audit-events', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

/** The filtered log as xlsx: a plain link, so the browser downloads it with the session cookie (the server audits it). */
export function auditExportUrl(filters: Omit<AuditFilters, 'page' | 'pageSize'>): string {
  return buildUrl('/audit-events.xlsx', { ...filters });
}

/** A read, but one the auditor starts by hand and may repeat, so it is a mutation rather than a cached query. */
export function useVerifyAuditChain() {
  return useMutation({
    mutationFn: async () => (await api.get<Envelope<AuditVerification>>('/audit-events/verify')).data,
  });
}
