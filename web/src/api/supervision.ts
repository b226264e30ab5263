import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { NeedsByDepartment } from '../../../common/schemas/needs';
import type { SupervisionSummary } from '../../../common/schemas/supervision';
import { api, type Envelope } from './client';

export type { NeedsByDepartment, SupervisionSummary };

export function useSupervisionSummary(regionCode: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['supervision', regionCode ?? ''],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<SupervisionSummary>>('/supervision/summary', { regionCode }, signal)).data,
    placeholderData: keepPreviousData,
    enabled,
  });
}
