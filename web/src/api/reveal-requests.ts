import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  RevealRequestApprove,
  RevealRequestCreate,
  RevealRequestListQuery,
  RevealRequestReject,
  RevealRequestStatus,
  RevealRequestView,
} from '../../../common/schemas/reveals';
import { api, type Envelope, type ListEnvelope } from './client';

export type { RevealRequestStatus, RevealRequestView };
/** The list's filters (`mine` a boolean, sent as text) with the page. */
export type RevealRequestFilters = RevealRequestListQuery & { page: number; pageSize: number };

export const revealRequestKeys = {
  all: ['reveal-requests'] as const,
  list: (filters: RevealRequestFilters) => ['reveal-requests', 'list', filters] as const,
};

/** Requests to reveal a value beyond the hourly limit: over the approver's region, or the reader's own. */
export function useRevealRequests(filters: RevealRequestFilters, enabled = true) {
  return useQuery({
    queryKey: revealRequestKeys.list(filters),
    queryFn: ({ signal }) =>
      api.get<ListEnvelope<RevealRequestView>>(
        '/reveal-requests',
        { ...filters, mine: filters.mine === undefined ? undefined : String(filters.mine) },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: revealRequestKeys.all });
    void queryClient.invalidateQueries({ queryKey: ['todos'] });
  };
}

/** 申请乡镇批准: after the hour's reveals are used up. */
export function useFileRevealRequest(familyId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (input: RevealRequestCreate) =>
      (await api.post<Envelope<RevealRequestView>>(`/families/${familyId}/reveal-requests`, input)).data,
    onSuccess: invalidate,
  });
}

export function useDecideRevealRequest() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({
      id,
      decision,
      ...input
    }: { id: string; decision: 'approve' | 'reject' } & (RevealRequestApprove | RevealRequestReject)) =>
      (await api.post<Envelope<RevealRequestView>>(`/reveal-requests/${id}/${decision}`, input)).data,
    onSuccess: invalidate,
  });
}
