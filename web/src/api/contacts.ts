import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Assignments,
  AssignmentSet,
  BulkAssignmentResult,
  BulkAssignmentRow,
  BulkAssignmentSet,
  Contact,
  ContactCard,
  ContactCreate,
  ContactListFilters,
  ContactUpdate,
  Coverage,
  CoverageGap,
  CoverageGapFilters,
  CoverageGapKind,
  CurrentAssignment,
  Handover,
  HandoverResult,
  PastAssignment,
  VillageContactCard,
} from '../../../common/schemas/contacts';
import { readFamily } from '../offline/offline-db';
import { orOffline } from '../offline/sync';
import { api, type Envelope, type ListEnvelope } from './client';

export type {
  Assignments,
  AssignmentSet,
  BulkAssignmentRow,
  Contact,
  ContactCard,
  ContactCreate,
  ContactUpdate,
  Coverage,
  CoverageGap,
  VillageContactCard,
};
/** A post the family holds now. */
export type Assignment = CurrentAssignment;
/** A post the family held before. */
export type AssignmentHistoryEntry = PastAssignment;
export type GapKind = CoverageGapKind;

/** The registry's filters (`isActive` a boolean, sent as text) with the page. */
export type ContactFilters = ContactListFilters & { page: number; pageSize: number };
/** The families behind one coverage gap, a page of them. */
export type CoverageGapQuery = CoverageGapFilters & { page: number; pageSize: number };

export const contactKeys = {
  all: ['contacts'] as const,
  list: (filters: ContactFilters) => ['contacts', 'list', filters] as const,
  assignments: (familyId: string) => ['assignments', familyId] as const,
  card: (familyId: string) => ['contact-card', familyId] as const,
  coverage: (regionCode?: string) => ['coverage', regionCode ?? ''] as const,
  gaps: (q: CoverageGapQuery) => ['coverage', 'gaps', q] as const,
};

export function useContacts(filters: ContactFilters, enabled = true) {
  return useQuery({
    queryKey: contactKeys.list(filters),
    queryFn: ({ signal }) =>
      api.get<ListEnvelope<Contact>>(
        '/contacts',
        { ...filters, isActive: filters.isActive === undefined ? undefined : String(filters.isActive) },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

function useContactMutation<TInput, TOutput>(mutationFn: (input: TInput) => Promise<TOutput>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: contactKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['assignments'] });
      void queryClient.invalidateQueries({ queryKey: ['coverage'] });
    },
  });
}

export function useCreateContact() {
  return useContactMutation(
    async (input: ContactCreate) => (await api.post<Envelope<Contact>>('/contacts', input)).data,
  );
}

export function useUpdateContact() {
  return useContactMutation(
    async ({ id, ...patch }: ContactUpdate & { id: string }) =>
      (await api.patch<Envelope<Contact>>(`/contacts/${encodeURIComponent(id)}`, patch)).data,
  );
}

/** Moves all of a contact's families to a successor of the same post; answers how many moved. */
export function useHandover() {
  return useContactMutation(
    async ({ id, ...body }: Handover & { id: string }) =>
      (await api.post<Envelope<HandoverResult>>(`/contacts/${encodeURIComponent(id)}/handover`, body)).data,
  );
}

export function useAssignments(familyId: string | undefined) {
  return useQuery({
    queryKey: contactKeys.assignments(familyId ?? ''),
    queryFn: ({ signal }) =>
      orOffline(
        async () =>
          (
            await api.get<Envelope<Assignments>>(
              `/families/${encodeURIComponent(familyId!)}/assignments`,
              undefined,
              signal,
            )
          ).data,
        // Without signal: the family's contacts as of the last sync (phones masked).
        async () => {
          const f = await readFamily(familyId!);
          return f ? { current: f.contacts, history: [] } : null;
        },
      ),
    enabled: !!familyId,
  });
}

export function useSetAssignments(familyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: AssignmentSet) =>
      (await api.put<Envelope<Assignments>>(`/families/${encodeURIComponent(familyId)}/assignments`, input)).data,
    onSuccess: (data) => {
      queryClient.setQueryData(contactKeys.assignments(familyId), data);
      void queryClient.invalidateQueries({ queryKey: contactKeys.card(familyId) });
      // The archive's version moved on.
      void queryClient.invalidateQueries({ queryKey: ['families'] });
      void queryClient.invalidateQueries({ queryKey: contactKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['coverage'] });
    },
  });
}

export function useContactCard(familyId: string | undefined) {
  return useQuery({
    queryKey: contactKeys.card(familyId ?? ''),
    queryFn: async ({ signal }) =>
      (
        await api.get<Envelope<ContactCard>>(
          `/families/${encodeURIComponent(familyId!)}/contact-card`,
          undefined,
          signal,
        )
      ).data,
    enabled: !!familyId,
  });
}

export function useCoverage(regionCode: string | undefined, enabled = true) {
  return useQuery({
    queryKey: contactKeys.coverage(regionCode),
    queryFn: async ({ signal }) => (await api.get<Envelope<Coverage>>('/coverage', { regionCode }, signal)).data,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCoverageGaps(query: CoverageGapQuery) {
  return useQuery({
    queryKey: contactKeys.gaps(query),
    queryFn: ({ signal }) => api.get<ListEnvelope<CoverageGap>>('/coverage/gaps', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

/** 批量安排双岗 (issue 11 item 7): the village's families with their current posts, and the one bulk write. */
export function useBulkRoster(regionCode: string | undefined) {
  return useQuery({
    queryKey: ['assignments', 'bulk', regionCode ?? ''] as const,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<BulkAssignmentRow[]>>('/assignments/bulk', { regionCode }, signal)).data,
    enabled: !!regionCode,
  });
}

export function useBulkAssign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: BulkAssignmentSet) =>
      (await api.post<Envelope<BulkAssignmentResult>>('/assignments/bulk', input)).data,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['assignments'] }),
        queryClient.invalidateQueries({ queryKey: contactKeys.all }),
        queryClient.invalidateQueries({ queryKey: ['coverage'] }),
      ]),
  });
}

/** A village's 联系卡, several to an A4 sheet. */
export function useVillageContactCards(regionCode: string | undefined) {
  return useQuery({
    queryKey: ['contact-cards', regionCode ?? ''] as const,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<VillageContactCard[]>>('/contact-cards', { regionCode }, signal)).data,
    enabled: !!regionCode,
    // Full phone numbers: not kept once the page is left.
    gcTime: 0,
  });
}
