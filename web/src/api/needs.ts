import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { DEPARTMENTS, NEED_CATEGORIES, NEED_STATUSES } from '../../../common/labels';
import type {
  JointMeeting,
  JointMeetingCreate,
  Need,
  NeedCreate,
  NeedListQuery,
  NeedsByDepartment,
  NeedUpdate,
} from '../../../common/schemas/needs';
import { api, type Envelope, type ListEnvelope } from './client';
import { isQueued, submitPhoneWrite, type Queued } from '../offline/sync';
import { familyKeys, needKeys } from './query-keys';
import { todoKeys } from './todos';

export type NeedStatus = (typeof NEED_STATUSES)[number];
export type NeedCategory = (typeof NEED_CATEGORIES)[number];
export type Department = (typeof DEPARTMENTS)[number];
export type { JointMeeting, JointMeetingCreate, Need, NeedCreate, NeedsByDepartment, NeedUpdate };
export { needKeys };

/** The list filters as the server takes them (booleans as 'true'), with the page. */
export type NeedFilters = NeedListQuery & { page: number; pageSize: number };

export function useNeeds(filters: NeedFilters, enabled = true) {
  return useQuery({
    queryKey: needKeys.list(filters),
    queryFn: ({ signal }) => api.get<ListEnvelope<Need>>('/needs', { ...filters }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useNeedsByDepartment(regionCode: string | undefined) {
  return useQuery({
    queryKey: needKeys.byDepartment(regionCode),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<NeedsByDepartment[]>>('/needs/by-department', { regionCode }, signal)).data,
    placeholderData: keepPreviousData,
  });
}

/** What a change to a need shows up in: the lists and figures, the family's archive, todos, supervision. */
function invalidateNeeds(queryClient: QueryClient, familyId: string) {
  void queryClient.invalidateQueries({ queryKey: needKeys.all });
  void queryClient.invalidateQueries({ queryKey: familyKeys.part(familyId, 'needs') });
  void queryClient.invalidateQueries({ queryKey: todoKeys.all });
  void queryClient.invalidateQueries({ queryKey: ['supervision'] });
}

export function useCreateNeed() {
  const queryClient = useQueryClient();
  return useMutation({
    // Through the outbox (issue #17): sent now when online, else kept and sent later.
    mutationFn: ({ summary, ...body }: NeedCreate & { summary?: string }): Promise<Need | Queued> =>
      submitPhoneWrite<Need>({ kind: 'need', path: '/needs', body, familyId: body.familyId, summary: summary ?? '' }),
    onSuccess: (need) => {
      if (!isQueued(need)) void invalidateNeeds(queryClient, need.familyId);
    },
  });
}

/** A step of the status flow, or a new department or deadline. A stale `version` answers 409. */
export function useUpdateNeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...input }: NeedUpdate & { id: string }) =>
      (await api.patch<Envelope<Need>>(`/needs/${encodeURIComponent(id)}`, input)).data,
    onSuccess: (need) => invalidateNeeds(queryClient, need.familyId),
  });
}

/** Needs that have not been reloaded yet after someone else changed them: reload them all. */
export function useReloadNeeds() {
  const queryClient = useQueryClient();
  return (familyId: string) => invalidateNeeds(queryClient, familyId);
}

export function useJointMeetings(regionCode: string | undefined) {
  return useQuery({
    queryKey: needKeys.meetings(regionCode),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<JointMeeting[]>>('/joint-meetings', { countyCode: regionCode }, signal)).data,
    placeholderData: keepPreviousData,
  });
}

export function useCreateJointMeeting() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: JointMeetingCreate) =>
      (await api.post<Envelope<JointMeeting>>('/joint-meetings', input)).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: needKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['supervision'] });
    },
  });
}
