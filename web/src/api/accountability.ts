import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AccountabilityCase,
  AccountabilityCaseCreate,
  AccountabilityConclude,
} from '../../../common/schemas/accountability';
import { api, type Envelope } from './client';

export type { AccountabilityCase };

/** 问责 (R17): every read is audited on the server. */
export function useAccountabilityCases(status?: 'open' | 'concluded') {
  return useQuery({
    queryKey: ['accountability-cases', status ?? ''] as const,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<AccountabilityCase[]>>('/accountability-cases', { status }, signal)).data,
  });
}

function useCaseMutation<I>(fn: (input: I) => Promise<AccountabilityCase>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['accountability-cases'] }),
        queryClient.invalidateQueries({ queryKey: ['todos'] }),
      ]),
  });
}

export function useOpenAccountabilityCase() {
  return useCaseMutation(
    async (input: AccountabilityCaseCreate) =>
      (await api.post<Envelope<AccountabilityCase>>('/accountability-cases', input)).data,
  );
}

export function useConcludeAccountabilityCase() {
  return useCaseMutation(
    async ({ id, ...body }: AccountabilityConclude & { id: string }) =>
      (await api.post<Envelope<AccountabilityCase>>(`/accountability-cases/${encodeURIComponent(id)}/conclude`, body))
        .data,
  );
}
