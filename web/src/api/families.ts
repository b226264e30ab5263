import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, ApiError, type Envelope, type ListEnvelope } from './client';
import type { MajorEvent } from '../../../common/schemas/events';
import type { Need } from '../../../common/schemas/needs';
import type { PetitionRisk, PetitionRisks } from '../../../common/schemas/petitions';
import { familyKeys } from './query-keys';
import type { ContactLog } from '../../../common/schemas/contact-logs';
import type { Assignments } from '../../../common/schemas/contacts';
import type {
  AssistanceInput as AssistanceSchema,
  AssistanceView,
  ChildPatch,
  ChildView,
  FAMILY_STATUSES,
  FAMILY_TYPES,
  FamilyDetail,
  FamilyListItem,
  FamilyListQuery,
  FamilyPatch,
  FamilySearchInfo,
  FamilyStats,
  HistoryEntry,
  MEMBER_RELATIONS,
  MemberPatch,
  MemberView,
  SEXES,
  SpecialAssistanceView,
  StatusChange,
} from '../../../common/schemas/families';

// The family's posts (api/contacts.ts fetches the same answer under the same key).
export type { Assignments, ContactLog, FamilySearchInfo, MajorEvent, PetitionRisk, PetitionRisks };

/**
 * Family archives (issue 3): the list, one archive with everything shown on its page, and the changes.
 * ID numbers and phones arrive masked; the full value only through `revealFamilyField`, never cached.
 */

export type FamilyType = (typeof FAMILY_TYPES)[number];
export type FamilyStatus = (typeof FAMILY_STATUSES)[number];
export type Relation = (typeof MEMBER_RELATIONS)[number];
export type Sex = (typeof SEXES)[number];
export type { FamilyDetail, FamilyListItem, FamilyStats, HistoryEntry };
export type Member = MemberView;
export type Child = ChildView;
export type SpecialAssistance = SpecialAssistanceView;
export type AssistanceRecord = AssistanceView;
export type FamilyCounts = Omit<FamilyStats, 'regionCode' | 'name' | 'level' | 'children'>;

/** The list filters as the server takes them (booleans as 'true' | 'false'). */
export type FamilyFilters = Omit<FamilyListQuery, 'q'>;

/** `q`: name prefix, ID number, phone or archive number: sent in a POST body, never in a URL. */
export type FamilySearch = FamilyListQuery & { page: number; pageSize: number };

/**
 * What the archive form sends, as a client may write it (`z.input`): the create and the edit share one
 * shape — the PATCH body without its version, every field optional, a parent found by `relation`.
 */
export type FamilyInput = Omit<z.input<typeof FamilyPatch>, 'version'>;
export type MemberInput = z.input<typeof MemberPatch>;
export type ChildInput = z.input<typeof ChildPatch>;
export type StatusChangeInput = z.input<typeof StatusChange>;
export type AssistanceInput = z.input<typeof AssistanceSchema>;

/** Paths that `POST /families/{id}/reveal` accepts. */
export type RevealField =
  `members.${0 | 1}.idNumber` | `members.${0 | 1}.phone` | 'child.idNumber' | 'child.disabilityCertNo';

export { familyKeys };

const familyPath = (id: string) => `/families/${encodeURIComponent(id)}`;

export function useFamilySearch(search: FamilySearch) {
  return useQuery({
    queryKey: familyKeys.search(search),
    queryFn: () => api.post<ListEnvelope<FamilyListItem> & { search?: FamilySearchInfo }>('/families/search', search),
    placeholderData: keepPreviousData,
  });
}

async function fetchStats(regionCode: string | undefined, signal: AbortSignal): Promise<FamilyStats> {
  return (await api.get<Envelope<FamilyStats>>('/families/stats', { regionCode }, signal)).data;
}

export function useFamilyStats(regionCode: string | undefined, enabled = true) {
  return useQuery({
    queryKey: familyKeys.stats(regionCode),
    queryFn: ({ signal }) => fetchStats(regionCode, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useFamily(id: string) {
  return useQuery({
    queryKey: familyKeys.one(id),
    queryFn: ({ signal }) => api.get<Envelope<FamilyDetail>>(familyPath(id), undefined, signal).then((r) => r.data),
  });
}

function useFamilyPart<T>(
  id: string,
  part: string,
  path: string,
  query?: Record<string, string>,
  queryKey: readonly unknown[] = familyKeys.part(id, part),
) {
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => api.get<Envelope<T>>(path, query, signal).then((r) => r.data),
  });
}

export const useFamilyHistory = (id: string) =>
  useFamilyPart<HistoryEntry[]>(id, 'history', `${familyPath(id)}/history`);
// The same keys as api/contacts.ts and api/contact-logs.ts use for the same answers, so a new assignment
// or visit recorded there shows here at once.
export const useFamilyAssignments = (id: string) =>
  useFamilyPart<Assignments>(id, 'assignments', `${familyPath(id)}/assignments`, undefined, ['assignments', id]);
export const useFamilyContactLogs = (id: string) =>
  useFamilyPart<ContactLog[]>(id, 'contact-logs', `${familyPath(id)}/contact-logs`, undefined, ['contact-logs', id]);
export const useFamilyEvents = (id: string) => useFamilyPart<MajorEvent[]>(id, 'events', `${familyPath(id)}/events`);
export const useFamilyNeeds = (id: string) =>
  useFamilyPart<Need[]>(id, 'needs', '/needs', { familyId: id, pageSize: '100' });

/** Need-to-know: roles without it get 404, which means "no section", not an error. */
/** `enabled`: whether the user may read petition risks at all (the session's abilities); no request otherwise. */
export function useFamilyPetitionRisks(id: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: familyKeys.part(id, 'petition-risks'),
    queryFn: async ({ signal }) => {
      try {
        return (await api.get<Envelope<PetitionRisks>>(`${familyPath(id)}/petition-risks`, undefined, signal)).data;
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null;
        throw err;
      }
    },
  });
}

function useFamilyMutation<TInput>(mutationFn: (input: TInput) => Promise<FamilyDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (family) => {
      queryClient.setQueryData(familyKeys.one(family.id), family);
      return queryClient.invalidateQueries({
        queryKey: familyKeys.all,
        predicate: (query) => query.queryKey[1] !== family.id || query.queryKey.length > 2,
      });
    },
  });
}

export function useCreateFamily() {
  return useFamilyMutation((input: FamilyInput) =>
    api.post<Envelope<FamilyDetail>>('/families', input).then((r) => r.data),
  );
}

export function useUpdateFamily(id: string) {
  return useFamilyMutation((input: FamilyInput & { version: number }) =>
    api.patch<Envelope<FamilyDetail>>(familyPath(id), input).then((r) => r.data),
  );
}

export function useChangeFamilyStatus(id: string) {
  return useFamilyMutation((input: StatusChangeInput) =>
    api.post<Envelope<FamilyDetail>>(`${familyPath(id)}/status`, input).then((r) => r.data),
  );
}

export function useAddAssistance(id: string) {
  return useFamilyMutation((input: AssistanceInput) =>
    api.post<Envelope<FamilyDetail>>(`${familyPath(id)}/assistance`, input).then((r) => r.data),
  );
}

/** One full value, audited with the reason. Kept nowhere: `gcTime: 0` drops it from the mutation cache. */
export function useRevealFamilyField(id: string) {
  return useMutation({
    mutationFn: (input: { field: RevealField; reason: string }) =>
      api.post<Envelope<{ field: string; value: string }>>(`${familyPath(id)}/reveal`, input).then((r) => r.data),
    gcTime: 0,
  });
}
