import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Health } from '../../../common/schemas/health';
import type {
  LoginBody,
  MfaChallenge,
  MfaEnrolment,
  MfaRecoveryCodes,
  MfaVerifyBody,
  PasswordChange,
  Session,
  SessionUser as SessionUserShape,
} from '../../../common/schemas/users';
import { prefetchTodos } from './todos';
import { rememberTodoHint, TODO_ROLES } from './todo-roles';
import { loadSync } from '../offline/sync-loader';
import { api, ApiError, dropBootResponses, isApiError, setCsrfToken, type Envelope } from './client';

/** mustChangePassword / mfaEnrolmentDue: every other request answers 403 until the account is claimed. */
export type SessionUser = SessionUserShape;

export type { Health };

/**
 * Drops everything cached for the previous session. The session query itself stays (it is observed by
 * the AuthProvider for the app's whole life) and is overwritten instead.
 */
export function forgetSessionData(queryClient: QueryClient): void {
  dropBootResponses();
  queryClient.removeQueries({ predicate: (query) => !['health', 'auth'].includes(String(query.queryKey[0])) });
}

export const authKeys = {
  me: ['auth', 'me'] as const,
  health: ['health'] as const,
};

/** The signed-in user, or null when there is no session. */
export function useMe() {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: authKeys.me,
    queryFn: async (): Promise<SessionUser | null> => {
      try {
        // null when no one is signed in (a 200, so the login page logs no error in the console).
        const { data } = await api.get<Envelope<Session | null>>('/auth/session');
        rememberTodoHint(Boolean(data && TODO_ROLES.includes(data.user.role)));
        if (!data) return null;
        setCsrfToken(data.csrfToken);
        const { user } = data;
        if (window.location.pathname === '/' && !user.mustChangePassword && !user.mfaEnrolmentDue)
          prefetchTodos(queryClient, user.role);
        void loadSync().then((sync) => sync.adoptSession(data.user));
        return data.user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        // No signal: open with the session this phone saw last, on its offline copy (issue #17).
        if (isApiError(err, 'NETWORK_ERROR')) {
          const user = await (await loadSync()).offlineSessionUser();
          if (user) return user;
        }
        throw err;
      }
    },
    staleTime: Infinity,
    retry: 1,
  });
}

/** The password step answered with a second step: the account has a TOTP factor. */
export type MfaStep = MfaChallenge;

function useStartSession() {
  const queryClient = useQueryClient();
  return (session: Session) => {
    // A new session: nothing cached for the previous one may leak into it.
    forgetSessionData(queryClient);
    setCsrfToken(session.csrfToken);
    queryClient.setQueryData(authKeys.me, session.user);
    rememberTodoHint(TODO_ROLES.includes(session.user.role));
    // Another account's offline copy and queue are cleared; this account's queue is sent (issue #17).
    void loadSync().then((sync) => sync.adoptSession(session.user));
  };
}

export function useLogin() {
  const start = useStartSession();
  return useMutation({
    mutationFn: async (input: LoginBody) => {
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
    mutationFn: async (input: MfaVerifyBody) => (await api.post<Envelope<Session>>('/auth/mfa/verify', input)).data,
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
      (await api.post<Envelope<MfaRecoveryCodes>>('/auth/mfa/enrolment/confirm', { code })).data,
  });
}

/** `beforeClear` runs just before the session is dropped, e.g. to go to /login in the same render. */
export function useLogout(beforeClear?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.post<void>('/auth/logout');
      } finally {
        // Every cached family record and the queue go with the session (issue #17).
        await (await loadSync()).forgetOfflineData();
      }
    },
    onSettled: () => {
      beforeClear?.();
      rememberTodoHint(false);
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
    mutationFn: (input: PasswordChange) => api.post<void>('/auth/password', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: authKeys.me }),
  });
}
