import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DuplicateListQuery, DuplicateResolve, DuplicateView } from '../../../common/schemas/duplicate-archives';
import { api, type Envelope, type ListEnvelope } from './client';
import { familyKeys } from './query-keys';

export type { DuplicateResolve, DuplicateView };
export type DuplicateFilters = DuplicateListQuery & { page: number; pageSize: number };

export const duplicateKeys = {
  all: ['duplicate-archives'] as const,
  list: (filters: DuplicateFilters) => ['duplicate-archives', 'list', filters] as const,
};

/** Cross-region duplicate archives supervised in the region (DESIGN.md §5.2). */
export function useDuplicates(filters: DuplicateFilters) {
  return useQuery({
    queryKey: duplicateKeys.list(filters),
    queryFn: ({ signal }) => api.get<ListEnvelope<DuplicateView>>('/duplicate-archives', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Transfer (the older archive exits as moved out) or reject (the new archive exits). */
export function useResolveDuplicate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...input }: DuplicateResolve & { id: string }) =>
      (await api.post<Envelope<DuplicateView>>(`/duplicate-archives/${id}/resolve`, input)).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: duplicateKeys.all });
      void queryClient.invalidateQueries({ queryKey: familyKeys.all });
    },
  });
}
