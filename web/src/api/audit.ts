import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { Role } from '../../../common/roles';
import { api, type Envelope, type ListEnvelope } from './client';

export interface AuditEvent {
  seq: number;
  occurredAt: string;
  actorUsername: string | null;
  actorRole: Role | null;
  actorRegionCode: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  requestId: string | null;
  changes: unknown;
}

export interface AuditFilters {
  action?: string;
  actor?: string;
  /** ISO-8601 instants. */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  brokenAt: number | null;
}

export function useAuditEvents(filters: AuditFilters) {
  return useQuery({
    queryKey: ['audit-events', filters],
    queryFn: ({ signal }) => api.get<ListEnvelope<AuditEvent>>('/audit-events', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

/** A read, but one the auditor starts by hand and may repeat, so it is a mutation rather than a cached query. */
export function useVerifyAuditChain() {
  return useMutation({
    mutationFn: async () => (await api.get<Envelope<AuditVerification>>('/audit-events/verify')).data,
  });
}
