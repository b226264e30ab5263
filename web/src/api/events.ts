import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { MajorEvent, MajorEventCreate } from '../../../common/schemas/events';
import { api, type Envelope } from './client';
import { isQueued, submitPhoneWrite, type Queued } from '../offline/sync';
import { familyKeys } from './query-keys';
import { todoKeys } from './todos';

/** 重大情况 (R5): accident, serious illness, disaster or death, with a deadline for a home visit. */
export type { MajorEvent, MajorEventCreate };

/** What an event changes: the family's queries given (its event list at least), everyone's todos, the supervision figures. */
function invalidateEventWork(queryClient: QueryClient, familyQueries: readonly unknown[]) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: familyQueries }),
    queryClient.invalidateQueries({ queryKey: todoKeys.all }),
    queryClient.invalidateQueries({ queryKey: ['supervision'] }),
  ]);
}

export function useReportEvent(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // Through the outbox (issue #17): sent now when online, else kept and sent later.
    mutationFn: ({ summary, ...body }: MajorEventCreate & { summary?: string }): Promise<MajorEvent | Queued> =>
      submitPhoneWrite<MajorEvent>({
        kind: 'event',
        path: `/families/${encodeURIComponent(familyId)}/events`,
        body,
        familyId,
        summary: summary ?? '',
      }),
    onSuccess: (answer) => {
      if (!isQueued(answer)) void invalidateEventWork(queryClient, familyKeys.part(familyId, 'events'));
    },
  });
}

/** 结案: a visited event closes with what was done for the family afterwards. */
export function useCloseEvent(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { id: string; version: number; followUp: string }) =>
      (
        await api.post<Envelope<MajorEvent>>(`/events/${encodeURIComponent(input.id)}/close`, {
          version: input.version,
          followUp: input.followUp,
        })
      ).data,
    onSuccess: () => invalidateEventWork(queryClient, familyKeys.part(familyId, 'events')),
  });
}

/**
 * 确认亡故: the parent named by the event is marked deceased in the archive; with both parents gone the archive
 * exits. So the whole family (archive, history, lists and counts) is reloaded, not only its events.
 */
export function useConfirmDeath() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { id: string; version: number }) =>
      (
        await api.post<Envelope<MajorEvent>>(`/events/${encodeURIComponent(input.id)}/confirm-death`, {
          version: input.version,
        })
      ).data,
    onSuccess: () => invalidateEventWork(queryClient, familyKeys.all),
  });
}
