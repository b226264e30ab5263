import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Flex } from 'antd';
import { onUnauthenticated } from '../api/client';
import { authKeys, forgetSessionData, useMe, type SessionUser } from '../api/auth';
import { rememberTodoHint } from '../api/todo-roles';
import { FullPageSpin } from '../components/page-spin';
import { configureSyncWhenLoaded } from '../offline/sync-loader';

const AuthContext = createContext<SessionUser | null>(null);

/** Loads the session once (`GET /auth/session`: null when signed out) and drops it when any request answers 401 UNAUTHENTICATED. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useMe();

  useEffect(() => {
    // The engine itself loads when a session needs it (offline/sync-loader.ts), with these hooks.
    configureSyncWhenLoaded({
      onSent: () => {
        for (const key of [['todos'], ['contact-logs'], ['compliance'], ['supervision'], ['families']])
          void queryClient.invalidateQueries({ queryKey: key });
      },
      revalidateSession: () => void queryClient.invalidateQueries({ queryKey: authKeys.me }),
    });
  }, [queryClient]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        forgetSessionData(queryClient);
        rememberTodoHint(false);
        queryClient.setQueryData(authKeys.me, null);
      }),
    [queryClient],
  );

  if (me.isPending) return <FullPageSpin />;
  if (me.isError) {
    // Plain markup: this is on the login page's critical path, where antd's Result would be heavy.
    return (
      <Flex vertical align="center" justify="center" gap={16} style={{ minHeight: '100vh', padding: 16 }} role="alert">
        <div style={{ fontSize: 18 }}>暂时无法连接服务器</div>
        <div style={{ color: 'rgba(0, 0, 0, 0.45)' }}>请检查网络连接，稍后再试。</div>
        <Button type="primary" onClick={() => me.refetch()}>
          重试
        </Button>
      </Flex>
    );
  }
  return <AuthContext.Provider value={me.data}>{children}</AuthContext.Provider>;
}

/** The signed-in user, or null on the login page. */
export function useAuth(): SessionUser | null {
  return useContext(AuthContext);
}

/** The signed-in user; only for components rendered behind RequireAuth. */
export function useCurrentUser(): SessionUser {
  const user = useContext(AuthContext);
  if (!user) throw new Error('useCurrentUser() outside RequireAuth');
  return user;
}
