import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ReportingRates,
  StatReturn,
  StatReturnChanges,
  StatReturnDetail,
  StatReturnSubmit,
  StatReturnUpdate,
  StatTemplateInfo,
} from '../../../common/schemas/stat-returns';
import type { StatTemplate } from '../../../common/labels';
import { api, type Envelope, type ListEnvelope } from './client';
import { todoKeys } from './todos';

export type { ReportingRates, StatReturn, StatReturnDetail, StatTemplateInfo };

export const statReturnKeys = {
  all: ['stat-returns'] as const,
  list: (filter: Record<string, string | undefined>) => ['stat-returns', 'list', filter] as const,
  one: (id: string) => ['stat-returns', 'one', id] as const,
  changes: (id: string) => ['stat-returns', 'changes', id] as const,
  rates: (q: Record<string, string | undefined>) => ['stat-returns', 'rates', q] as const,
  templates: ['stat-return-templates'] as const,
};

export function useStatTemplates() {
  return useQuery({
    queryKey: statReturnKeys.templates,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<StatTemplateInfo[]>>('/stat-return-templates', undefined, signal)).data,
    staleTime: 10 * 60_000,
  });
}

export function useStatReturns(filter: { regionCode?: string; template?: StatTemplate; period?: string }) {
  return useQuery({
    queryKey: statReturnKeys.list(filter),
    queryFn: async ({ signal }) => (await api.get<ListEnvelope<StatReturn>>('/stat-returns', filter, signal)).data,
  });
}

export function useStatReturn(id: string) {
  return useQuery({
    queryKey: statReturnKeys.one(id),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<StatReturnDetail>>(`/stat-returns/${encodeURIComponent(id)}`, undefined, signal)).data,
  });
}

export function useStatReturnChanges(id: string, enabled: boolean) {
  return useQuery({
    queryKey: statReturnKeys.changes(id),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<StatReturnChanges>>(`/stat-returns/${encodeURIComponent(id)}/changes`, undefined, signal))
        .data,
    enabled,
  });
}

export function useReportingRates(q: { template: StatTemplate; period: string; regionCode?: string }) {
  return useQuery({
    queryKey: statReturnKeys.rates(q),
    queryFn: async ({ signal }) => (await api.get<Envelope<ReportingRates>>('/reporting-rates', q, signal)).data,
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return (detail?: StatReturnDetail) => {
    // The answer is the new state: show it at once (its version is what the next step must carry).
    if (detail) queryClient.setQueryData(statReturnKeys.one(detail.id), detail);
    void queryClient.invalidateQueries({ queryKey: statReturnKeys.all });
    void queryClient.invalidateQueries({ queryKey: todoKeys.all });
  };
}

export function useCreateStatReturn() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (input: { template: StatTemplate; period: string; regionCode: string }) =>
      (await api.post<Envelope<StatReturnDetail>>('/stat-returns', input)).data,
    onSuccess: invalidate,
  });
}

export type StatStep =
  | { step: 'submit'; body: StatReturnSubmit }
  | { step: 'approve'; body: { version: number } }
  | { step: 'return' | 'reopen'; body: { version: number; reason: string } };

/** One step of the approval chain; a stale version answers 409 VERSION_CONFLICT, a wrong state INVALID_STATE. */
export function useStatReturnStep(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ step, body }: StatStep) =>
      (await api.post<Envelope<StatReturnDetail>>(`/stat-returns/${encodeURIComponent(id)}/${step}`, body)).data,
    onSuccess: invalidate,
  });
}

export function useUpdateStatReturn(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (body: StatReturnUpdate) =>
      (await api.patch<Envelope<StatReturnDetail>>(`/stat-returns/${encodeURIComponent(id)}`, body)).data,
    onSuccess: invalidate,
  });
}
