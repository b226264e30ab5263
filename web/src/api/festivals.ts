import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FESTIVALS } from '../../../common/festivals';
import type { z } from 'zod';
import type {
  CareFamily,
  CareFigures,
  CareStatus,
  FamilyFestivalCare,
  FestivalCare,
  FestivalCareCreate as FestivalCareCreateSchema,
  FestivalCoverage,
  FestivalDate,
} from '../../../common/schemas/festivals';
import { api, type Envelope, type ListEnvelope } from './client';
import { festivalsMetaKey, isQueued, orOffline, submitPhoneWrite, type Queued } from '../offline/sync';
import { readMeta } from '../offline/offline-db';
import { todoKeys } from './todos';

export type Festival = (typeof FESTIVALS)[number];
export type { CareFamily, CareFigures, CareStatus, FamilyFestivalCare, FestivalCare, FestivalCoverage, FestivalDate };
export type FestivalCareCreate = z.input<typeof FestivalCareCreateSchema>;

/** One festival campaign of a year in a region, as the pages ask for it. */
export type CampaignQuery = Pick<FestivalCoverage, 'year' | 'festival' | 'regionCode'>;

export const festivalCareKeys = {
  all: ['festival-care'] as const,
  coverage: (q: CampaignQuery) => ['festival-care', 'coverage', q] as const,
  families: (q: CampaignQuery & { status: CareStatus; page: number; pageSize: number }) =>
    ['festival-care', 'families', q] as const,
};

// Festival dates of a year never change. Without signal: the dates the phone kept at its last sync (issue #17).
export function useFestivals(year: number) {
  return useQuery({
    queryKey: ['festivals', year],
    queryFn: ({ signal }) =>
      orOffline(
        () => api.get<FestivalDate[]>('/festivals', { year }, signal),
        async () => {
          const kept = await readMeta(festivalsMetaKey(year));
          return Array.isArray(kept) ? (kept as FestivalDate[]) : null;
        },
      ),
    staleTime: Infinity,
  });
}

/** The festival whose care window contains `today` (`YYYY-MM-DD`), if any. */
export function openFestival(festivals: readonly FestivalDate[] | undefined, today: string): FestivalDate | undefined {
  return festivals?.find((f) => f.windowFrom <= today && today <= f.windowTo);
}

/**
 * With no window open: the festival whose window closed last, for late care (the server takes it with
 * the reason it was late). Looks at this year's and last year's festivals.
 */
export function lastClosedFestival(festivals: readonly FestivalDate[], today: string): FestivalDate | undefined {
  return [...festivals].filter((f) => f.windowTo < today).sort((a, b) => b.windowTo.localeCompare(a.windowTo))[0];
}

/** The family's festival care so far (year, festival, manner, date), newest first. */
export function useFamilyFestivalCare(familyId: string, enabled = true) {
  return useQuery({
    queryKey: [...festivalCareKeys.all, 'family', familyId],
    queryFn: async ({ signal }) =>
      (
        await api.get<Envelope<FamilyFestivalCare[]>>(
          `/families/${encodeURIComponent(familyId)}/festival-care`,
          undefined,
          signal,
        )
      ).data,
    enabled,
  });
}

export function useFestivalCoverage(query: CampaignQuery) {
  return useQuery({
    queryKey: festivalCareKeys.coverage(query),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<FestivalCoverage>>('/festival-care/coverage', { ...query }, signal)).data,
    placeholderData: keepPreviousData,
  });
}

export function useCareFamilies(query: CampaignQuery & { status: CareStatus; page: number; pageSize: number }) {
  return useQuery({
    queryKey: festivalCareKeys.families(query),
    queryFn: ({ signal }) => api.get<ListEnvelope<CareFamily>>('/festival-care/families', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRecordFestivalCare(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // Through the outbox (issue #17): sent now when online, else kept and sent later.
    mutationFn: ({ summary, ...body }: FestivalCareCreate & { summary?: string }): Promise<FestivalCare | Queued> =>
      submitPhoneWrite<FestivalCare>({
        kind: 'festival_care',
        path: `/families/${encodeURIComponent(familyId)}/festival-care`,
        body,
        familyId,
        summary: summary ?? '',
      }),
    onSuccess: (answer) => {
      if (isQueued(answer)) return;
      void queryClient.invalidateQueries({ queryKey: todoKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['supervision'] });
      void queryClient.invalidateQueries({ queryKey: festivalCareKeys.all });
    },
  });
}
