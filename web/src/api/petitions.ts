import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  PetitionEvent,
  PetitionEventCreate as PetitionEventSchema,
  PetitionHandlingCreate as PetitionHandlingSchema,
  PetitionRisk,
  PetitionRiskCreate as PetitionRiskSchema,
  PetitionRisks,
} from '../../../common/schemas/petitions';
import { api, type Envelope } from './client';
import { isQueued, submitPhoneWrite, type Queued } from '../offline/sync';
import { familyKeys } from './query-keys';
import { todoKeys } from './todos';

export type { PetitionEvent, PetitionRisk, PetitionRisks };

/** 信访苗头 (R7). Petition data is need-to-know: every read is audited on the server. */
export type PetitionRiskCreate = z.input<typeof PetitionRiskSchema>;
/** 处置记录: what was done about a risk; `resolve` marks it 已化解 (only after a home visit). */
export type PetitionHandlingCreate = z.input<typeof PetitionHandlingSchema>;
/** 信访事件: a petition that actually happened, optionally linked to the risk that foresaw it. */
export type PetitionEventCreate = z.input<typeof PetitionEventSchema>;
export type PetitionForm = PetitionEventCreate['form'];

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
