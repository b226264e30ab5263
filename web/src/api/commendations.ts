import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CommendationCandidate, CommendationList, NominationCreate } from '../../../common/schemas/commendations';
import { api, type Envelope } from './client';

export type { CommendationCandidate, CommendationList };

/** 表彰 (R17). */
export function useCommendationCandidates(regionCode: string | undefined, year: number) {
  return useQuery({
    queryKey: ['commendation-candidates', regionCode ?? '', year] as const,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<CommendationCandidate[]>>('/commendation-candidates', { regionCode, year }, signal)).data,
    enabled: !!regionCode,
  });
}

export function useCommendationList(regionCode: string | undefined, year: number) {
  return useQuery({
    queryKey: ['commendation-list', regionCode ?? '', year] as const,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<CommendationList | null>>('/commendation-lists', { regionCode, year }, signal)).data,
    enabled: !!regionCode,
  });
}

function useListMutation<I>(fn: (input: I) => Promise<CommendationList>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['commendation-list'] }),
  });
}

export function useNominate() {
  return useListMutation(
    async (input: NominationCreate) =>
      (await api.post<Envelope<CommendationList>>('/commendation-nominations', input)).data,
  );
}

export function useWithdrawNomination() {
  return useListMutation(
    async ({ id, contactId }: { id: string; contactId: string }) =>
      (
        await api.delete<Envelope<CommendationList>>(
          `/commendation-lists/${encodeURIComponent(id)}/nominations/${encodeURIComponent(contactId)}`,
        )
      ).data,
  );
}

export function useListStep() {
  return useListMutation(
    async ({ id, action, version }: { id: string; action: 'submit' | 'approve' | 'publish'; version: number }) =>
      (
        await api.post<Envelope<CommendationList>>(`/commendation-lists/${encodeURIComponent(id)}/${action}`, {
          version,
        })
      ).data,
  );
}
