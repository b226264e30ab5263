import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AFFECTED, EVENT_KINDS } from '../../../common/schemas/responses';
import { api, type Envelope } from './client';
import { todoKeys } from './todos';

/** 重大情况 (R5): accident, serious illness, disaster or death, with a deadline for a home visit. */
export interface MajorEventCreate {
  kind: (typeof EVENT_KINDS)[number];
  affectedRelation?: (typeof AFFECTED)[number];
  affected?: string | null;
  /** ISO instant, not in the future. */
  occurredAt: string;
  description?: string | null;
}

export interface MajorEvent {
  id: string;
  familyId: string;
  kind: string;
  occurredAt: string;
  responseDueAt: string;
  status: string;
  escalationLevel: number;
  version: number;
}

export function useReportEvent(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: MajorEventCreate) =>
      (await api.post<Envelope<MajorEvent>>(`/families/${encodeURIComponent(familyId)}/events`, input)).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: todoKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['supervision'] });
    },
  });
}
