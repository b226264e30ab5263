import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Envelope } from './client';

export interface NeedsByDepartment {
  department: string;
  total: number;
  resolved: number;
  unresolvable: number;
  overdue: number;
  /** 0–1 */
  resolutionRate: number;
}

/** A supervisor's page in one answer (R5, R6, R7, R11). */
export interface SupervisionSummary {
  regionCode: string;
  events: {
    open: number;
    overdue: number;
    escalated: number;
    byAge: Array<{ bucket: string; count: number }>;
  };
  /** The festival whose window is open, else the next one. */
  festival: {
    festival: string;
    label: string;
    year: number;
    families: number;
    cared: number;
    declined: number;
    rate: number;
  };
  /** null for readers without need-to-know of petition data. */
  risks: Array<{ riskLevel: string; targetLevel: string; count: number }> | null;
  needs: NeedsByDepartment[];
}

export function useSupervisionSummary(regionCode: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['supervision', regionCode ?? ''],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<SupervisionSummary>>('/supervision/summary', { regionCode }, signal)).data,
    placeholderData: keepPreviousData,
    enabled,
  });
}
