import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RISK_LEVELS, TARGET_LEVELS } from '../../../common/schemas/responses';
import { api, type Envelope } from './client';
import { todoKeys } from './todos';

/** 信访苗头 (R7). Petition data is need-to-know: every read is audited on the server. */
export interface PetitionRiskCreate {
  targetLevel: (typeof TARGET_LEVELS)[number];
  scope: 'individual' | 'group';
  riskLevel: (typeof RISK_LEVELS)[number];
  signals: string;
  identifiedAt?: string;
  /** `YYYY-MM-DD` */
  reviewDate?: string | null;
}

export interface PetitionRisk {
  id: string;
  familyId: string;
  targetLevel: string;
  riskLevel: string;
  visitDueAt: string;
  isLeaderAlerted: boolean;
  status: string;
  version: number;
}

export function useReportPetitionRisk(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: PetitionRiskCreate) =>
      (await api.post<Envelope<PetitionRisk>>(`/families/${encodeURIComponent(familyId)}/petition-risks`, input)).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: todoKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['supervision'] });
    },
  });
}
