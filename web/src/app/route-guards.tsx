import { lazy, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from './auth-context';
import { canOpen } from './menu';

const ForbiddenPage = lazy(() => import('../features/errors/forbidden-page'));

/**
 * Sends visitors without a session to /login, remembering where they wanted to go, and a user whose
 * password must be changed (new, reset or expired) to /password: the server refuses everything else.
 */
export function RequireAuth() {
  const user = useAuth();
  const location = useLocation();
  const next = location.pathname + location.search;
  if (!user) {
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (user.mustChangePassword) {
    return <Navigate to={next === '/' ? '/password' : `/password?next=${encodeURIComponent(next)}`} replace />;
  }
  // The role needs a second factor and none is enrolled yet: the server refuses everything else.
  if (user.mfaEnrolmentDue) {
    return <Navigate to={next === '/' ? '/mfa-setup' : `/mfa-setup?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

/** Pages of the menu restricted to some roles (see menu.tsx); with several paths, any one of them opens it. */
export function RequireMenuAccess({ path, children }: { path: string | string[]; children: ReactNode }) {
  const user = useAuth();
  const paths = Array.isArray(path) ? path : [path];
  if (!user || !paths.some((p) => canOpen(p, user))) return <ForbiddenPage />;
  return <>{children}</>;
}

/** Only same-site paths, so ?next= cannot send a cadre to another site after login. */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
