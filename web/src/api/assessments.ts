import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AssessmentCatalogueEntry,
  AssessmentResult,
  AssessmentScheme,
  AssessmentSchemeInput,
  AssessmentSchemeReplace,
  AssessmentUnit,
} from '../../../common/schemas/assessments';
import { api, type Envelope } from './client';
import { downloadFile } from './imports';

export type { AssessmentCatalogueEntry, AssessmentResult, AssessmentScheme, AssessmentUnit };
/** What the form sends (the schema's input: defaults such as `direction` may be left out). */
export type AssessmentSchemeBody = z.input<typeof AssessmentSchemeInput>;
export type AssessmentSchemeReplaceBody = z.input<typeof AssessmentSchemeReplace>;

const enc = encodeURIComponent;

export const assessmentKeys = {
  all: ['assessments'] as const,
  catalogue: ['assessments', 'catalogue'] as const,
  list: (year?: number) => ['assessments', 'list', year ?? 0] as const,
  one: (id: string) => ['assessments', 'one', id] as const,
  result: (id: string) => ['assessments', 'result', id] as const,
};

/** 考核 (R16–R17): the indicators a scheme may score. */
export function useAssessmentCatalogue() {
  return useQuery({
    queryKey: assessmentKeys.catalogue,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<AssessmentCatalogueEntry[]>>('/assessment-catalogue', undefined, signal)).data,
    staleTime: 60 * 60 * 1000,
  });
}

/** The schemes of the user's level and below, and the published ones of the levels above. */
export function useAssessmentSchemes(year?: number) {
  return useQuery({
    queryKey: assessmentKeys.list(year),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<AssessmentScheme[]>>('/assessment-schemes', { year }, signal)).data,
  });
}

export function useAssessmentScheme(id: string | undefined) {
  return useQuery({
    queryKey: assessmentKeys.one(id ?? ''),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<AssessmentScheme>>(`/assessment-schemes/${enc(id!)}`, undefined, signal)).data,
    enabled: !!id,
  });
}

/** A draft's result is computed live on each read; a published one is the frozen snapshot. */
export function useAssessmentResult(id: string) {
  return useQuery({
    queryKey: assessmentKeys.result(id),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<AssessmentResult>>(`/assessment-schemes/${enc(id)}/result`, undefined, signal)).data,
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: assessmentKeys.all });
}

export function useCreateAssessment() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (body: AssessmentSchemeBody) =>
      (await api.post<Envelope<AssessmentScheme>>('/assessment-schemes', body)).data,
    onSuccess: invalidate,
  });
}

export function useUpdateAssessment(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (body: AssessmentSchemeReplaceBody) =>
      (await api.put<Envelope<AssessmentScheme>>(`/assessment-schemes/${enc(id)}`, body)).data,
    onSuccess: invalidate,
  });
}

export function usePublishAssessment(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (version: number) =>
      (await api.post<Envelope<AssessmentScheme>>(`/assessment-schemes/${enc(id)}/publish`, { version })).data,
    onSuccess: invalidate,
  });
}

/** The ranking as xlsx (the server audits the export). */
export function downloadAssessment(id: string, fileName: string) {
  return downloadFile(`/assessment-schemes/${enc(id)}/export.xlsx`, fileName);
}
