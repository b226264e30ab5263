import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type {
  ComplianceQuery,
  ContactCompliance,
  MonthlyCompliance,
  OverdueFamily,
  TrendPoint,
  VisitFigures,
} from '../../../common/schemas/compliance';
import { api, buildUrl, type Envelope, type ListEnvelope, type PageInfo } from './client';

export type { ComplianceQuery, ContactCompliance, MonthlyCompliance, OverdueFamily, TrendPoint, VisitFigures };

export const complianceKeys = {
  all: ['compliance'] as const,
  monthly: (q: ComplianceQuery) => ['compliance', 'monthly', q] as const,
  trend: (q: ComplianceQuery) => ['compliance', 'trend', q] as const,
  contacts: (q: ComplianceQuery & { page: number; pageSize: number }) => ['compliance', 'contacts', q] as const,
  overdue: (q: ComplianceQuery & { page: number; pageSize: number }) => ['compliance', 'overdue', q] as const,
};

export function useMonthlyCompliance(query: ComplianceQuery, enabled = true) {
  return useQuery({
    queryKey: complianceKeys.monthly(query),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<MonthlyCompliance>>('/compliance/monthly', { ...query }, signal)).data,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The 12 months up to `month`. */
export function useComplianceTrend(query: ComplianceQuery) {
  return useQuery({
    queryKey: complianceKeys.trend(query),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<TrendPoint[]>>('/compliance/trend', { ...query, months: 12 }, signal)).data,
    placeholderData: keepPreviousData,
  });
}

export function useContactCompliance(query: ComplianceQuery & { page: number; pageSize: number }) {
  return useQuery({
    queryKey: complianceKeys.contacts(query),
    queryFn: ({ signal }) => api.get<ListEnvelope<ContactCompliance>>('/compliance/contacts', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useOverdueFamilies(query: ComplianceQuery & { page: number; pageSize: number }) {
  return useQuery({
    queryKey: complianceKeys.overdue(query),
    queryFn: ({ signal }) =>
      api.get<{ data: OverdueFamily[]; page: PageInfo; month: string }>('/compliance/overdue', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

/** The masked xlsx of the overdue list; a plain link, so the browser downloads it with the session cookie. */
export function overdueExportUrl(query: ComplianceQuery): string {
  return buildUrl('/compliance/overdue.xlsx', { ...query });
}
