import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  DiscrepancyListQuery,
  PhoneReveal,
  SampleSurvey,
  SampleSurveyCreate,
  SampleSurveyDraw,
  SampleSurveySummary,
  SurveyAnswers,
  SurveyAssign,
  SurveyAssignResult,
  SurveyDiscrepancy,
  SurveyEstimates,
  SurveyFamily,
  SurveyFamiliesQuery,
  SurveyFamilyDetail,
  SurveyResponseCreate,
  SurveyResponseResult,
  Surveyor,
} from '../../../common/schemas/sample-surveys';
import { api, type Envelope, type ListEnvelope } from './client';
import { todoKeys } from './todos';

export type {
  SampleSurvey,
  SampleSurveyDraw,
  SampleSurveySummary,
  SurveyAnswers,
  SurveyDiscrepancy,
  SurveyEstimates,
  SurveyFamily,
  SurveyFamilyDetail,
  SurveyResponseResult,
};

/** A draw or its dry run, as a client may send it (`rate`, `q`, `minPerCounty` … have defaults). */
export type DrawInput = z.input<typeof SampleSurveyCreate>;
/** One survey attempt: reached with the answers, or not reached and why. */
export type ResponseInput = z.input<typeof SurveyResponseCreate>;
export type AssignInput = z.input<typeof SurveyAssign>;

const enc = encodeURIComponent;

export const surveyKeys = {
  all: ['sample-surveys'] as const,
  list: ['sample-surveys', 'list'] as const,
  one: (id: string) => ['sample-surveys', 'one', id] as const,
  families: (id: string, q: Record<string, string | number | undefined>) =>
    ['sample-surveys', 'families', id, q] as const,
  family: (id: string, familyId: string) => ['sample-surveys', 'family', id, familyId] as const,
  estimates: (id: string, regionCode?: string) => ['sample-surveys', 'estimates', id, regionCode] as const,
  surveyors: (id: string) => ['sample-surveys', 'surveyors', id] as const,
  discrepancies: (q: Record<string, string | number | undefined>) => ['survey-discrepancies', q] as const,
};

export function useSampleSurveys() {
  return useQuery({
    queryKey: surveyKeys.list,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<SampleSurveySummary[]>>('/sample-surveys', undefined, signal)).data,
  });
}

export function useSampleSurvey(id: string) {
  return useQuery({
    queryKey: surveyKeys.one(id),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<SampleSurvey>>(`/sample-surveys/${enc(id)}`, undefined, signal)).data,
  });
}

export function useSurveyFamilies(id: string, q: SurveyFamiliesQuery & { page: number; pageSize: number }) {
  return useQuery({
    queryKey: surveyKeys.families(id, q),
    queryFn: async ({ signal }) =>
      await api.get<ListEnvelope<SurveyFamily>>(`/sample-surveys/${enc(id)}/families`, q, signal),
  });
}

export function useSurveyFamily(id: string, familyId: string) {
  return useQuery({
    queryKey: surveyKeys.family(id, familyId),
    queryFn: async ({ signal }) =>
      (
        await api.get<Envelope<SurveyFamilyDetail>>(
          `/sample-surveys/${enc(id)}/families/${enc(familyId)}`,
          undefined,
          signal,
        )
      ).data,
  });
}

export function useSurveyEstimates(id: string, regionCode?: string) {
  return useQuery({
    queryKey: surveyKeys.estimates(id, regionCode),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<SurveyEstimates>>(`/sample-surveys/${enc(id)}/estimates`, { regionCode }, signal)).data,
  });
}

export function useSurveyors(id: string, enabled: boolean) {
  return useQuery({
    queryKey: surveyKeys.surveyors(id),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<Surveyor[]>>(`/sample-surveys/${enc(id)}/surveyors`, undefined, signal)).data,
    enabled,
  });
}

export function useSurveyDiscrepancies(q: DiscrepancyListQuery & { page: number; pageSize: number }) {
  return useQuery({
    queryKey: surveyKeys.discrepancies(q),
    queryFn: async ({ signal }) => await api.get<ListEnvelope<SurveyDiscrepancy>>('/survey-discrepancies', q, signal),
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: surveyKeys.all });
    void queryClient.invalidateQueries({ queryKey: ['survey-discrepancies'] });
    void queryClient.invalidateQueries({ queryKey: todoKeys.all });
  };
}

/** A dry run (nothing stored) or the draw itself. */
export function useDrawSurvey() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (input: DrawInput) => (await api.post<Envelope<SampleSurveyDraw>>('/sample-surveys', input)).data,
    onSuccess: (d) => {
      if (d.id) invalidate();
    },
  });
}

export function useAssignSurveyor(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (body: AssignInput) =>
      (await api.post<Envelope<SurveyAssignResult>>(`/sample-surveys/${enc(id)}/assignments`, body)).data,
    onSuccess: invalidate,
  });
}

export function useRecordResponse(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (body: ResponseInput) =>
      (await api.post<Envelope<SurveyResponseResult>>(`/sample-surveys/${enc(id)}/responses`, body)).data,
    onSuccess: invalidate,
  });
}

export function useRevealSurveyPhone(id: string, familyId: string) {
  return useMutation({
    mutationFn: async () =>
      (
        await api.post<Envelope<PhoneReveal>>(`/sample-surveys/${enc(id)}/families/${enc(familyId)}/phone`, {
          reason: '抽样调查电话访问',
        })
      ).data,
  });
}

export function useExplainDiscrepancy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ id, ...body }: { id: string; version: number; explanation: string }) =>
      (await api.post<Envelope<SurveyDiscrepancy>>(`/survey-discrepancies/${enc(id)}/explain`, body)).data,
    onSuccess: invalidate,
  });
}
