import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Post } from '../../../common/schemas/contacts';
import { readFamily } from '../offline/offline-db';
import { orOffline } from '../offline/sync';
import { api, type Envelope, type ListEnvelope } from './client';
import type {
  BulkAssignmentResult,
  BulkAssignmentRow,
  BulkAssignmentSet,
  VillageContactCard,
} from '../../../common/schemas/contacts';

export type { BulkAssignmentRow, VillageContactCard };

/** A registry entry (联系人库). Phones are masked in lists. */
export interface Contact {
  id: string;
  name: string;
  phone: string;
  post: Post;
  regionCode: string;
  regionName: string;
  organization: string | null;
  title: string | null;
  userId: string | null;
  isActive: boolean;
  /** Families the contact currently holds a post for. */
  familyCount: number;
  version: number;
}

export interface ContactFilters {
  regionCode?: string;
  post?: Post;
  q?: string;
  isActive?: boolean;
  page: number;
  pageSize: number;
}

export interface ContactCreate {
  name: string;
  phone: string;
  post: Post;
  regionCode: string;
  organization?: string | null;
  title?: string | null;
}

export interface ContactUpdate {
  version: number;
  name?: string;
  phone?: string;
  organization?: string | null;
  title?: string | null;
  isActive?: boolean;
}

export interface Assignment {
  id: string;
  contactId: string;
  /** The signed-in user is this contact. */
  isMine: boolean;
  post: Post;
  name: string;
  phone: string;
  organization: string | null;
  title: string | null;
  startedAt: string;
}

export interface AssignmentHistoryEntry {
  id: string;
  contactId: string;
  post: Post;
  name: string;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
}

export interface Assignments {
  current: Assignment[];
  history: AssignmentHistoryEntry[];
}

export interface AssignmentSet {
  townshipContactId: string;
  villageContactId: string;
  helperContactIds?: string[];
  /** Omitted keeps the county leader as is; null removes it. */
  countyLeaderContactId?: string | null;
  reason?: string | null;
  /** The archive's version as loaded: a concurrent change answers 409. */
  version?: number;
}

export interface ContactCard {
  archiveNo: string;
  /** The parents' names masked (钱某兰). */
  familyName: string;
  regionName: string;
  address: string;
  /** Full phone numbers: the card is left with the family. */
  contacts: Array<{ post: Post; name: string; phone: string; organization: string | null; title: string | null }>;
}

interface CoverageNumbers {
  families: number;
  bothPosts: number;
  missingTownshipPost: number;
  missingVillagePost: number;
  specialDifficulty: number;
  specialDifficultyWithoutCountyLeader: number;
}

export interface Coverage extends CoverageNumbers {
  regionCode: string;
  name: string;
  level: string;
  children: Array<CoverageNumbers & { regionCode: string; name: string }>;
}

export type GapKind = 'missing_township' | 'missing_village' | 'special_without_leader';

export interface CoverageGap {
  id: string;
  archiveNo: string;
  regionCode: string;
  regionName: string;
  familyType: string;
  isSpecialDifficulty: boolean;
}

export const contactKeys = {
  all: ['contacts'] as const,
  list: (filters: ContactFilters) => ['contacts', 'list', filters] as const,
  assignments: (familyId: string) => ['assignments', familyId] as const,
  card: (familyId: string) => ['contact-card', familyId] as const,
  coverage: (regionCode?: string) => ['coverage', regionCode ?? ''] as const,
  gaps: (q: { kind: GapKind; regionCode?: string; page: number; pageSize: number }) => ['coverage', 'gaps', q] as const,
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
    async ({ id, ...body }: { id: string; successorContactId: string; reason: string }) =>
      (await api.post<Envelope<{ moved: number }>>(`/contacts/${encodeURIComponent(id)}/handover`, body)).data,
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

export function useCoverageGaps(query: { kind: GapKind; regionCode?: string; page: number; pageSize: number }) {
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
