import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FESTIVALS } from '../../../common/festivals';
import type { CARE_MANNERS } from '../../../common/schemas/responses';
import { api, type Envelope } from './client';
import { todoKeys } from './todos';

export type Festival = (typeof FESTIVALS)[number];

/** A festival of a year with its care window; dates are `YYYY-MM-DD` (China time). */
export interface FestivalDate {
  festival: Festival;
  label: string;
  date: string;
  windowFrom: string;
  windowTo: string;
}

export interface FestivalCareCreate {
  year: number;
  festival: Festival;
  manner: (typeof CARE_MANNERS)[number];
  amount?: number | null;
  goods?: string | null;
  /** `YYYY-MM-DD` */
  caredOn: string;
  contactId?: string | null;
  /** Required when `caredOn` is outside the window. */
  outsideWindowReason?: string | null;
  note?: string | null;
}

export interface FestivalCare {
  id: string;
  campaignId: string;
  festival: string;
  year: number;
  manner: string;
  amount: number | null;
  caredOn: string;
  isOutsideWindow: boolean;
}

// Festival dates of a year never change.
export function useFestivals(year: number) {
  return useQuery({
    queryKey: ['festivals', year],
    queryFn: ({ signal }) => api.get<FestivalDate[]>('/festivals', { year }, signal),
    staleTime: Infinity,
  });
}

/** The festival whose care window contains `today` (`YYYY-MM-DD`), if any. */
export function openFestival(festivals: readonly FestivalDate[] | undefined, today: string): FestivalDate | undefined {
  return festivals?.find((f) => f.windowFrom <= today && today <= f.windowTo);
}

export function useRecordFestivalCare(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: FestivalCareCreate) =>
      (await api.post<Envelope<FestivalCare>>(`/families/${encodeURIComponent(familyId)}/festival-care`, input)).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: todoKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['supervision'] });
    },
  });
}
