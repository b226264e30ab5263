import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UserCreate, UserCreated, UserListFilters, UserUpdate, UserView } from '../../../common/schemas/users';
import { api, type Envelope, type ListEnvelope } from './client';

export type User = UserView;

/** The account list's filters with the page. */
export type UserFilters = UserListFilters & { page: number; pageSize: number };

export type { UserCreate, UserUpdate };

export const userKeys = {
  all: ['users'] as const,
  list: (filters: UserFilters) => ['users', 'list', filters] as const,
};

export function isLocked(user: Pick<User, 'lockedUntil'>, now = Date.now()): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now;
}

export function useUsers(filters: UserFilters) {
  return useQuery({
    queryKey: userKeys.list(filters),
    queryFn: ({ signal }) => api.get<ListEnvelope<User>>('/users', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

function useUserMutation<TInput, TUser extends User = User>(mutationFn: (input: TInput) => Promise<Envelope<TUser>>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: TInput) => (await mutationFn(input)).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useCreateUser() {
  return useUserMutation((input: UserCreate) => api.post<Envelope<UserCreated>>('/users', input));
}

export function useUpdateUser() {
  return useUserMutation(({ id, ...patch }: UserUpdate & { id: string }) =>
    api.patch<Envelope<User>>(`/users/${encodeURIComponent(id)}`, patch),
  );
}

export function useUnlockUser() {
  return useUserMutation((id: string) => api.post<Envelope<User>>(`/users/${encodeURIComponent(id)}/unlock`));
}

/** The changes waiting for this actor's approval (the security administrator's, or the auditor's). */
export function useUserApprovals(enabled = true) {
  return useQuery({
    queryKey: [...userKeys.all, 'approvals'] as const,
    queryFn: ({ signal }) => api.get<Envelope<User[]>>('/user-approvals', undefined, signal),
    enabled,
  });
}

export function useDecideUser() {
  return useUserMutation(
    ({ id, decision, ...body }: { id: string; decision: 'approve' | 'reject'; version: number; reason?: string }) =>
      api.post<Envelope<User>>(`/users/${encodeURIComponent(id)}/${decision}`, body),
  );
}

export function useResetMfa() {
  return useUserMutation((id: string) => api.post<Envelope<User>>(`/users/${encodeURIComponent(id)}/mfa-reset`));
}
