import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ContactLog, ContactLogCreateInput } from '../../../common/schemas/contact-logs';
import type { FamilyDetail } from '../../../common/schemas/families';
import { readFamily } from '../offline/offline-db';
import { orOffline, submitPhoneWrite, isQueued, type Queued } from '../offline/sync';
import { api, type Envelope } from './client';
import { todoKeys } from './todos';

export type { ContactLog };
/** The body the visit form sends (`direction` may be left to the server's default). */
export type ContactLogCreate = ContactLogCreateInput;

/** The archive fields the visit form shows at its top (the families feature owns the full archive). */
export type VisitFamily = Pick<
  FamilyDetail,
  | 'id'
  | 'archiveNo'
  | 'familyType'
  | 'regionCode'
  | 'regionName'
  | 'address'
  | 'isSpecialDifficulty'
  | 'status'
  | 'version'
> & { members: Array<Pick<FamilyDetail['members'][number], 'relation' | 'name' | 'isDeceased'>> };

export const contactLogKeys = {
  family: (familyId: string) => ['families', familyId, 'visit-header'] as const,
  logs: (familyId: string) => ['contact-logs', familyId] as const,
};

export function useVisitFamily(familyId: string | undefined) {
  return useQuery({
    queryKey: contactLogKeys.family(familyId ?? ''),
    queryFn: ({ signal }) =>
      orOffline(
        async () =>
          (await api.get<Envelope<VisitFamily>>(`/families/${encodeURIComponent(familyId!)}`, undefined, signal)).data,
        async () => {
          // Without signal: the visit form's fields as of the last sync (names masked, no address).
          const f = await readFamily(familyId!);
          return f ? ({ ...f, address: '' } satisfies VisitFamily) : null;
        },
      ),
    enabled: !!familyId,
  });
}

/** The family's logs, newest first (the server returns the latest 100). */
export function useContactLogs(familyId: string | undefined) {
  return useQuery({
    queryKey: contactLogKeys.logs(familyId ?? ''),
    queryFn: async ({ signal }) =>
      (
        await api.get<Envelope<ContactLog[]>>(
          `/families/${encodeURIComponent(familyId!)}/contact-logs`,
          undefined,
          signal,
        )
      ).data,
    enabled: !!familyId,
  });
}

export function useCreateContactLog(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // Through the outbox: sent at once when online, kept and sent later when not (issue #17).
    mutationFn: (input: ContactLogCreate & { summary?: string }): Promise<ContactLog | Queued> => {
      const { summary, ...body } = input;
      return submitPhoneWrite<ContactLog>({
        kind: 'contact_log',
        path: `/families/${encodeURIComponent(familyId)}/contact-logs`,
        body,
        familyId,
        summary: summary ?? '',
      });
    },
    onSuccess: (answer) => {
      if (isQueued(answer)) return;
      // A home visit takes the family off 本月待走访 and may answer an open event or petition risk.
      void queryClient.invalidateQueries({ queryKey: todoKeys.all });
      void queryClient.invalidateQueries({ queryKey: contactLogKeys.logs(familyId) });
      void queryClient.invalidateQueries({ queryKey: ['compliance'] });
      void queryClient.invalidateQueries({ queryKey: ['supervision'] });
    },
  });
}
