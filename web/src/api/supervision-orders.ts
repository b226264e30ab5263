import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Ranking,
  RankingFigure,
  SupervisionOrder,
  SupervisionOrderCreate,
} from '../../../common/schemas/supervision-orders';
import { api, type Envelope } from './client';

export type { Ranking, RankingFigure, SupervisionOrder };

/** 通报 and 督办 (issue 11 item 13). */
export function useRanking(figure: RankingFigure, regionCode?: string) {
  return useQuery({
    queryKey: ['rankings', figure, regionCode ?? ''] as const,
    queryFn: async ({ signal }) => (await api.get<Envelope<Ranking>>('/rankings', { figure, regionCode }, signal)).data,
    placeholderData: keepPreviousData,
  });
}

export function useSupervisionOrders(box: 'sent' | 'received', enabled = true) {
  return useQuery({
    queryKey: ['supervision-orders', box] as const,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<SupervisionOrder[]>>('/supervision-orders', { box }, signal)).data,
    enabled,
  });
}

function useOrderMutation<I>(fn: (input: I) => Promise<SupervisionOrder>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['supervision-orders'] }),
        queryClient.invalidateQueries({ queryKey: ['todos'] }),
      ]),
  });
}

export function useSendSupervisionOrder() {
  return useOrderMutation(
    async (input: SupervisionOrderCreate) =>
      (await api.post<Envelope<SupervisionOrder>>('/supervision-orders', input)).data,
  );
}

export function useReplySupervisionOrder() {
  return useOrderMutation(
    async ({ id, ...body }: { id: string; reply: string; version: number }) =>
      (await api.post<Envelope<SupervisionOrder>>(`/supervision-orders/${encodeURIComponent(id)}/reply`, body)).data,
  );
}
