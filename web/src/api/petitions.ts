import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  HANDLING_KINDS,
  PetitionEventCreate as PetitionEventSchema,
  RISK_LEVELS,
  TARGET_LEVELS,
} from '../../../common/schemas/responses';
import { api, type Envelope } from './client';
import { isQueued, submitPhoneWrite, type Queued } from '../offline/sync';
import { familyKeys, type PetitionRisk, type PetitionRisks } from './families';
import { todoKeys } from './todos';

export type { PetitionRisk } from './families';

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

/** 处置记录: what was done about a risk; `resolve` marks it 已化解 (only after a home visit). */
export interface PetitionHandlingCreate {
  kind: (typeof HANDLING_KINDS)[number];
  note: string;
  /** `YYYY-MM-DD`, the next review */
  reviewDate?: string | null;
  resolve?: boolean;
}

/** 信访事件: a petition that actually happened, optionally linked to the risk that foresaw it. */
export type PetitionEventCreate = z.input<typeof PetitionEventSchema>;
export type PetitionForm = PetitionEventCreate['form'];
export type PetitionEvent = PetitionRisks['events'][number];

/** Risks change the family's petition section, the contacts' todos, leaders' alerts and the supervision figures. */
function invalidatePetitionWork(queryClient: QueryClient, familyId: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: familyKeys.part(familyId, 'petition-risks') }),
    queryClient.invalidateQueries({ queryKey: todoKeys.all }),
    queryClient.invalidateQueries({ queryKey: ['supervision'] }),
  ]);
}

export function useReportPetitionRisk(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // Through the outbox (issue #17): sent now when online, else kept and sent later.
    mutationFn: ({ summary, ...body }: PetitionRiskCreate & { summary?: string }): Promise<PetitionRisk | Queued> =>
      submitPhoneWrite<PetitionRisk>({
        kind: 'petition_risk',
        path: `/families/${encodeURIComponent(familyId)}/petition-risks`,
        body,
        familyId,
        summary: summary ?? '',
      }),
    onSuccess: (answer) => {
      if (!isQueued(answer)) void invalidatePetitionWork(queryClient, familyId);
    },
  });
}

export function useAddPetitionHandling(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ riskId, ...input }: PetitionHandlingCreate & { riskId: string }) =>
      (await api.post<Envelope<PetitionRisk>>(`/petition-risks/${encodeURIComponent(riskId)}/handlings`, input)).data,
    onSuccess: () => invalidatePetitionWork(queryClient, familyId),
  });
}

export function useRecordPetitionEvent(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: PetitionEventCreate) =>
      (await api.post<Envelope<PetitionEvent>>(`/families/${encodeURIComponent(familyId)}/petition-events`, input))
        .data,
    onSuccess: () => invalidatePetitionWork(queryClient, familyId),
  });
}
