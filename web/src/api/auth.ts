import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { MfaEnrolment, SessionUser as SessionUserShape } from '../../../common/schemas/users';
import { api, ApiError, setCsrfToken, type Envelope } from './client';

/** mustChangePassword / mfaEnrolmentDue: every other request answers 403 until the account is claimed. */
export type SessionUser = SessionUserShape;

interface Session {
  user: SessionUser;
  csrfToken: string;
}

export interface Health {
  status: 'ok';
  database: 'sqlite' | 'postgres';
  version: string;
  demo: boolean;
}

/**
 * Drops everything cached for the previous session. The session query itself stays (it is observed by
 * the AuthProvider for the app's whole life) and is overwritten instead.
 */
export function forgetSessionData(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => !['health', 'auth'].includes(String(query.queryKey[0])) });
}

export const authKeys = {
  me: ['auth', 'me'] as const,
  health: ['health'] as const,
};

/** The signed-in user, or null when there is no session. */
export function useMe() {
  return useQuery({
    queryKey: authKeys.me,
    queryFn: async (): Promise<SessionUser | null> => {
      try {
        const { data } = await api.get<Envelope<Session>>('/auth/me');
        setCsrfToken(data.csrfToken);
        return data.user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Infinity,
    retry: 1,
  });
}

/** The password step answered with a second step: the account has a TOTP factor. */
export interface MfaStep {
  mfaRequired: true;
  challenge: string;
}

function useStartSession() {
  const queryClient = useQueryClient();
  return (session: Session) => {
    // A new session: nothing cached for the previous one may leak into it.
    forgetSessionData(queryClient);
    setCsrfToken(session.csrfToken);
    queryClient.setQueryData(authKeys.me, session.user);
  };
}

export function useLogin() {
  const start = useStartSession();
  return useMutation({
    mutationFn: async (input: { username: string; password: string }) => {
      const { data } = await api.post<Envelope<Session | MfaStep>>('/auth/login', input);
      return data;
    },
    onSuccess: (answer) => {
      if (!('mfaRequired' in answer)) start(answer);
    },
  });
}

export function useVerifyMfa() {
  const start = useStartSession();
  return useMutation({
    mutationFn: async (input: { challenge: string; code: string }) =>
      (await api.post<Envelope<Session>>('/auth/mfa/verify', input)).data,
    onSuccess: start,
  });
}

export function useBeginMfaEnrolment() {
  return useMutation({
    mutationFn: async () => (await api.post<Envelope<MfaEnrolment>>('/auth/mfa/enrolment')).data,
  });
}

/** Confirms the app holds the secret; answers the recovery codes (shown once). */
export function useConfirmMfaEnrolment() {
  return useMutation({
    mutationFn: async (code: string) =>
      (await api.post<Envelope<{ recoveryCodes: string[] }>>('/auth/mfa/enrolment/confirm', { code })).data,
  });
}

/** `beforeClear` runs just before the session is dropped, e.g. to go to /login in the same render. */
export function useLogout(beforeClear?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => {
      beforeClear?.();
      setCsrfToken(null);
      forgetSessionData(queryClient);
      queryClient.setQueryData(authKeys.me, null);
    },
  });
}

export function useHealth() {
  return useQuery({
    queryKey: authKeys.health,
    queryFn: () => api.get<Health>('/health'),
    staleTime: 10 * 60 * 1000,
    retry: false,
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<void>('/auth/password', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: authKeys.me }),
  });
}
